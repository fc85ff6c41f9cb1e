"""Step 3 of triage: find and mask personal data written into the free text of a clue.

Citizens often write their phone number, ID number or bank card into the message itself;
departments must see the matter but not the person (privacy rules of the platform). The
masks are the ones staff already see on complainant fields (minsheng.privacy.masking).
Precision matters as much as recall: amounts, dates, message ids and door numbers must stay
readable, so every numeric kind is checked (ID checksum and date, Luhn, mobile prefixes).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from minsheng.privacy.masking import (
    COMPOUND_SURNAMES,
    MASK,
    mask_email,
    mask_id_number,
    mask_name,
    mask_phone,
)
from minsheng.privacy.validators import is_luhn_valid, is_valid_id_number


class PiiKind(StrEnum):
    EMAIL = "email"
    ID_NUMBER = "id_number"
    BANK_CARD = "bank_card"
    MOBILE = "mobile"
    LANDLINE = "landline"
    PLATE = "plate"
    NAME = "name"


@dataclass(frozen=True)
class PiiSpan:
    """One piece of personal data: `text[start:end] == value`."""

    kind: PiiKind
    start: int
    end: int
    value: str


@dataclass(frozen=True)
class MaskedText:
    text: str
    spans: list[PiiSpan]

    @property
    def kinds(self) -> list[str]:
        """Distinct kinds found, in a stable order (what the triage event records)."""
        return sorted({span.kind.value for span in self.spans})


_NOT_ALNUM_BEFORE = r"(?<![0-9A-Za-z])"
_NOT_ALNUM_AFTER = r"(?![0-9A-Za-z])"
_SEP = r"[ \-]?"
# Where numbers may be: digits with their separators, "+86", "(0731)", an extension, a
# check letter X, a decimal point (so that look-aheads see it). Every numeric kind has at
# least seven digits.
_NUMERIC_ZONE = re.compile(r"[\d+(（][\d \-—–+()（）转Xx.]{6,}")
_MIN_DIGITS = 7

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
_EMAIL_LOCAL_MAX = 65
_EMAIL_DOMAIN_MAX = 256
_ID18 = re.compile(
    _NOT_ALNUM_BEFORE
    + r"[1-9]\d{5}"
    + _SEP
    + r"(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
    + _SEP
    + r"\d{3}[\dXx]"
    + _NOT_ALNUM_AFTER
)
_ID15 = re.compile(
    _NOT_ALNUM_BEFORE + r"[1-8]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}" + r"(?!\d)"
)
# Not followed by a digit or a decimal part: 18112525462.26 is a statistic, not a phone.
_MOBILE = re.compile(r"(?<![\d+.])(?:(?:\+|00)?86[ \-]?)?1[3-9]\d(?:[ \-]?\d{4}){2}(?!\d|\.\d)")
_LANDLINE = re.compile(
    r"(?<![\d(（])(?:[(（]0\d{2,3}[)）][ \-—–]?|0\d{2,3}[ \-—–]?)[2-9]\d{2,3}[ \-]?\d{4}"
    r"(?:(?:转|-|ext\.?)\d{1,6})?(?!\d)"
)
# A local number without area code counts only right after a word that announces it.
_LOCAL_PHONE = re.compile(r"(?:电话|座机|固话|联系方式|联系电话)[:：是为]?\s*([2-9]\d{6,7})(?!\d)")
_CARD = re.compile(r"(?<!\d)(?:\d{16,19}|\d{4}(?:[ \-]\d{4}){3}(?:[ \-]?\d{1,3})?)(?!\d)")
_CARD_CONTEXT = re.compile(r"(?:卡|账号|帐号|账户|帐户|工资卡|银行)")
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE = re.compile(
    rf"[{_PROVINCES}] ?[A-HJ-NP-Z][·•.\s]?"
    r"(?=[A-HJ-NP-Z0-9挂学警]*\d)"
    r"(?:[DF][A-HJ-NP-Z0-9]\d{4}|\d{5}[DF]|[A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9挂学警])"
    + _NOT_ALNUM_AFTER
)

_COMMON_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞"
    "左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕"
    "屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧"
    "闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
_SURNAME = "(?:" + "|".join(sorted(COMPOUND_SURNAMES)) + f"|[{_COMMON_SURNAMES}])"
# Characters that end a name rather than continue it: "我叫李四在A市上班" names 李四.
_STOPS = "在是的了和与及住家现今说也都就要从到向给被把让于为对将已曾还又很不没因所等"
_PLACE_CHARS = "年月日号市区县镇村路街人省局厅处站院所体客"
_NOT_GIVEN = _STOPS + _PLACE_CHARS
_GIVEN = rf"(?:(?![{_NOT_GIVEN}])[\u4e00-\u9fff])"
# What may follow a name; place characters may not ("我是黄花镇居民" names nobody).
_NAME_END = r"(?=$|[^\u4e00-\u9fff]|[" + _STOPS + r"男女今电手身联系]|本人|先生|女士|同志)"
# "联系人：张先生" names nobody; a title right after the surname is not a given name.
_TITLE_AFTER_SURNAME = r"(?!先生|女士|小姐|老师|师傅|阿姨|某|总|经理|书记|主任|局长)"
_NAME_CORE = rf"{_SURNAME}{_TITLE_AFTER_SURNAME}{_GIVEN}{{1,2}}?"
# After a bare "本人" or a label without a colon the text often goes on with an ordinary
# word (本人房屋是空置的, 投诉人解释说明), so the name must end at a clear boundary.
_STRONG_END = (
    r"(?=$|[^\u4e00-\u9fff]|联系|电话|手机|身份|男|女|在|现|今年|先生|女士|同志"
    r"|的(?:身份证|电话|手机|联系))"
)
# Everyday words that begin with a surname character and end where a name may end
# ("我是明确要求…", "缴纳本人党费，").
_NOT_NAMES_TEXT = (
    "明确 明白 明显 党费 党员 高兴 全体 常客 安全 方便 方面 周边 周围 文明 时间 时候 关于 "
    "关系 成功 成立 宁愿 石头 管理 金额 黄金 万元 包括 单位 单独 司机 车主 业主 房东 房主 "
    "程序 杨梅 江边 毛病 向往 常常 华人 全部 全家 申请 施工 农民 尤其 简单 项目 连续 景区"
)
_NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())
_NAME_TRIGGER = re.compile("我叫|我的名字|本人|我是|名叫|联系人|姓名|户主|举报人|投诉人|申请人")
_NAME = re.compile(
    r"(?:(?:我叫|我的名字(?:叫|是)|本人(?:名叫|叫|是|系)|我是|名叫"
    r"|(?:联系人|姓名|户主|举报人|投诉人|申请人)[:：])\s*"
    rf"(?P<name>{_NAME_CORE}){_NAME_END}"
    r"|(?:本人|联系人|姓名|户主|举报人|投诉人|申请人)\s?"
    rf"(?P<bare>{_NAME_CORE}){_STRONG_END})"
)


def detect_pii(text: str) -> list[PiiSpan]:
    """Every piece of personal data in `text`, in order, never overlapping.

    When two candidates overlap, the more specific kind wins (an 18-digit run that passes the
    ID checksum is an ID number, not a bank card), then the longer one.
    """
    candidates = sorted(_candidates(text), key=lambda s: (_PRIORITY[s.kind], s.start - s.end))
    taken: list[PiiSpan] = []
    for span in candidates:
        if all(span.end <= other.start or span.start >= other.end for other in taken):
            taken.append(span)
    return sorted(taken, key=lambda s: s.start)


def mask_pii(text: str) -> MaskedText:
    """`text` with each piece of personal data replaced by its mask (138****1234, 张*)."""
    spans = detect_pii(text)
    parts: list[str] = []
    position = 0
    for span in spans:
        parts.append(text[position : span.start])
        parts.append(_MASKERS[span.kind](span.value))
        position = span.end
    parts.append(text[position:])
    return MaskedText(text="".join(parts), spans=spans)


def mask_plate(plate: str) -> str:
    """Keep the province and the issuing-office letter: 湘A*****."""
    compact = re.sub(r"[·•.\s]", "", plate)
    return compact[:2] + MASK * max(len(compact) - 2, 0)


def mask_card(card: str) -> str:
    """Keep the first 4 and last 4 digits, as bank statements do."""
    return mask_id_number(card)


def _valid_legacy_id(value: str) -> bool:
    """A 15-digit ID (before 1999): only a valid 19yy birth date is checkable."""
    try:
        dt.date(1900 + int(value[6:8]), int(value[8:10]), int(value[10:12]))
    except ValueError:
        return False
    return True


def _candidates(text: str) -> Iterator[PiiSpan]:
    yield from _emails(text)
    yield from _numeric_candidates(text)
    for match in _PLATE.finditer(text):
        yield _span(PiiKind.PLATE, match.start(), match.end(), text)
    # Find the (literal) trigger words first, then try the name pattern only there: the
    # full pattern scanned over the whole message costs several times more.
    for trigger in _NAME_TRIGGER.finditer(text):
        named = _NAME.match(text, trigger.start())
        if named is None:
            continue
        group = "name" if named.group("name") else "bare"
        if named.group(group)[:2] in _NOT_NAMES:
            continue
        yield _span(PiiKind.NAME, named.start(group), named.end(group), text)


def _emails(text: str) -> Iterator[PiiSpan]:
    """E-mail addresses, looked for only around each "@" (the pattern's leading look-behind
    would otherwise be tried at every position of the message)."""
    seen: set[tuple[int, int]] = set()
    at = text.find("@")
    while at >= 0:
        low = max(at - _EMAIL_LOCAL_MAX, 0)
        for match in _EMAIL.finditer(text, low, at + _EMAIL_DOMAIN_MAX):
            if match.start() <= at < match.end() and match.span() not in seen:
                seen.add(match.span())
                yield _span(PiiKind.EMAIL, match.start(), match.end(), text)
        at = text.find("@", at + 1)


def _numeric_candidates(text: str) -> Iterator[PiiSpan]:
    """Numbers are looked for only inside zones of seven digits or more.

    The numeric patterns begin with look-behinds, which make the engine try them at every
    position (~0.2 µs each per character); a zone search that starts with a character class
    is skipped along in C, and the patterns then run on a few short windows. Look-behinds
    still see the text before a window; a window ends where the digits end.
    """
    zones = [
        zone.span()
        for zone in _NUMERIC_ZONE.finditer(text)
        if sum(char.isdigit() for char in zone.group()) >= _MIN_DIGITS
    ]
    if not zones:
        return
    for low, high in zones:
        yield from _numbers_in(text, low, high)
    for match in _LOCAL_PHONE.finditer(text):
        yield _span(PiiKind.LANDLINE, match.start(1), match.end(1), text)


def _numbers_in(text: str, low: int, high: int) -> Iterator[PiiSpan]:
    for match in _ID18.finditer(text, low, high):
        if is_valid_id_number(re.sub(r"[ \-]", "", match.group())):
            yield _span(PiiKind.ID_NUMBER, match.start(), match.end(), text)
    for match in _ID15.finditer(text, low, high):
        if _valid_legacy_id(match.group()):
            yield _span(PiiKind.ID_NUMBER, match.start(), match.end(), text)
    for match in _MOBILE.finditer(text, low, high):
        yield _span(PiiKind.MOBILE, match.start(), match.end(), text)
    for match in _LANDLINE.finditer(text, low, high):
        yield _span(PiiKind.LANDLINE, match.start(), match.end(), text)
    for match in _CARD.finditer(text, low, high):
        digits = re.sub(r"[ \-]", "", match.group())
        if not 16 <= len(digits) <= 19 or not is_luhn_valid(digits):
            continue
        announced = _CARD_CONTEXT.search(text, max(match.start() - 12, 0), match.start())
        if announced or digits[0] in "3456" or digits.startswith("95"):
            yield _span(PiiKind.BANK_CARD, match.start(), match.end(), text)


def _span(kind: PiiKind, start: int, end: int, text: str) -> PiiSpan:
    return PiiSpan(kind=kind, start=start, end=end, value=text[start:end])


_PRIORITY = {
    PiiKind.EMAIL: 0,
    PiiKind.ID_NUMBER: 1,
    PiiKind.MOBILE: 2,
    PiiKind.BANK_CARD: 3,
    PiiKind.LANDLINE: 4,
    PiiKind.PLATE: 5,
    PiiKind.NAME: 6,
}
_MASKERS: dict[PiiKind, Callable[[str], str]] = {
    PiiKind.EMAIL: mask_email,
    PiiKind.ID_NUMBER: mask_id_number,
    PiiKind.BANK_CARD: mask_card,
    PiiKind.MOBILE: mask_phone,
    PiiKind.LANDLINE: mask_phone,
    PiiKind.PLATE: mask_plate,
    PiiKind.NAME: mask_name,
}
