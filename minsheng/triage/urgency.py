"""Step 6 of triage: does a clue describe danger to life, health or property?

A rule list, not a model: every suggested priority comes with the words that triggered it,
so that the operator who confirms it can see why, and a missed case can be fixed by adding
a word. The rules only suggest; a person sets the priority.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from minsheng.directory.choices import Priority

_RANK = {Priority.LOW: 0, Priority.NORMAL: 1, Priority.HIGH: 2, Priority.URGENT: 3}
_BY_RANK = {rank: level for level, rank in _RANK.items()}
_SCORE = {Priority.LOW: 0.1, Priority.NORMAL: 0.3, Priority.HIGH: 0.7, Priority.URGENT: 0.95}


@dataclass(frozen=True)
class Signal:
    """One kind of danger: its label (shown to operators), its words and its level."""

    label: str
    pattern: re.Pattern[str]
    level: Priority
    context: re.Pattern[str] | None = None
    gap: int = 0

    @classmethod
    def build(cls, label: str, words: str | Near, level: Priority) -> Signal:
        if isinstance(words, Near):
            return cls(label, re.compile(words.anchor), level, re.compile(words.context), words.gap)
        return cls(label, re.compile(words), level)


@dataclass(frozen=True)
class Near:
    """`anchor` words with `context` words within `gap` characters, in the same sentence.

    Matched by finding the (rarer) anchor first and looking around it, not by one regex with
    both orders and a lazy gap, which costs a scan of every position of every message.
    """

    anchor: str
    context: str
    gap: int = 12


_PEOPLE_MANY = (
    r"多人|上百人|几百人|数百人|几十人|数十人|上千人|大批|一群|群众|\d{2,}多?(?:名|个)?人"
)
_VULNERABLE = r"小孩|孩子|儿童|婴儿|幼儿|老人|老年人|老太太|老大爷|残疾人|孕妇"
_AT_RISK = r"被困|困在|独自|无人照顾|没人照顾|无人看管|反锁|锁在|高烧|昏迷|晕倒"

SIGNALS: tuple[Signal, ...] = tuple(
    Signal.build(label, words, level)
    for label, words, level in (
        (
            "自杀风险",
            r"自杀|轻生|跳楼|割腕|喝农药|不想活|活不下去|寻短见|以死相逼",
            Priority.URGENT,
        ),
        ("火灾", r"着火|火灾|起火|失火|大火|火情|燃烧起来|冒烟|浓烟|烧起来", Priority.URGENT),
        (
            "燃气泄漏",
            "|".join(
                f"{gas}(?:管道?)?(?:泄漏|泄露|漏气)" for gas in ("燃气", "煤气", "天然气", "液化气")
            )
            + "|煤气味|燃气味|天然气味",
            Priority.URGENT,
        ),
        ("坍塌", r"坍塌|倒塌|垮塌|塌方|塌陷|垮了|倒了一片|楼体倾斜|墙体倾斜", Priority.URGENT),
        ("人员被困", Near(r"被困|困在|出不来", _VULNERABLE + r"|人员|居民|住户"), Priority.URGENT),
        ("人员伤亡", r"死亡|身亡|死了人|遇难|丧生|致死|伤亡", Priority.URGENT),
        (
            "受伤",
            r"受伤|流血|骨折|摔伤|砸伤|烧伤|烫伤|咬伤|撞伤|划伤|送医|送进医院|住院抢救",
            Priority.HIGH,
        ),
        ("食物中毒", r"食物中毒|集体中毒|中毒|上吐下泻|呕吐腹泻", Priority.URGENT),
        (
            "疫情",
            r"疫情|传染病|新冠|确诊|疑似病例|感染者|发热病人|禽流感|非洲猪瘟|狂犬病|结核病",
            Priority.HIGH,
        ),
        ("人员失踪", r"失踪|走失|失联|找不到人|下落不明", Priority.HIGH),
        ("老人儿童无人照看", Near(_AT_RISK, _VULNERABLE), Priority.HIGH),
        (
            "群体性事件",
            Near(r"聚集|上访|堵路|围堵|静坐|拉横幅|围攻|冲突|打架|械斗|集体维权", _PEOPLE_MANY, 16),
            Priority.HIGH,
        ),
        (
            "节前欠薪",
            Near(
                r"拖欠(?:[^。！？]{0,6})?(?:工资|工钱|薪水|血汗钱)|欠薪|工资(?:没|未|不)发",
                r"春节|过年|年底|年关|年前|除夕|中秋|国庆",
                30,
            ),
            Priority.HIGH,
        ),
        (
            "内涝",
            r"内涝|被淹|水淹|淹没|积水齐腰|积水没过|水管爆裂|爆管|管道爆裂|洪水|山洪",
            Priority.HIGH,
        ),
        (
            "用电危险",
            r"电线裸露|裸露的电线|漏电|触电|电线掉落|电线断落|电线老化|电箱冒火|电击",
            Priority.HIGH,
        ),
        (
            "房屋安全",
            r"危房|墙体开裂|墙面开裂|裂缝(?:加大|越来越大|变大|扩大)|楼板开裂|房屋开裂|"
            r"高空坠物|高空抛物|脚手架(?:倒|垮|松动)|地基下沉|承重墙",
            Priority.HIGH,
        ),
        ("危险品", r"爆炸|炸药|危化品|危险化学品|化学品泄漏|有毒气体|毒气|辐射超标", Priority.HIGH),
        ("暴力威胁", r"殴打|打人|砍人|行凶|持刀|威胁要杀|报复社会|家暴", Priority.HIGH),
    )
)

# A signal word after one of these, in the same clause, does not count ("没有着火").
_NEGATION = re.compile(
    r"(?:没有|没|不是|并非|并不是|并没有|无|未|未发现|不存在|排除|不会|杜绝|防止|预防|避免|谨防|以防)"
    r"[^，,。！？!?；;]{0,4}$"
)
# A risk named as such, a drill, a leaflet: still worth a look, one level lower.
_SOFTENER = re.compile(r"隐患|风险|演练|宣传|知识|培训|预案|检查")
# All signals' words in one regex: a single scan finds every candidate. Every alternative
# starts with a literal character, so the engine jumps between positions holding one of
# those characters instead of trying every alternative everywhere (about 4x faster than
# 18 separate scans; a capturing group per signal would defeat the jump and cost 15x).
_ANY_SIGNAL = re.compile("|".join(signal.pattern.pattern for signal in SIGNALS))
_SENTENCE_END = re.compile(r"[。！？!?；;]")
_RESOLVED = re.compile(
    r"(?:已经?|早已|现已|目前已)(?:被)?(?:扑灭|排除|修好|修复|处理好?|解决|恢复|控制住?|送医|救出|找到|脱险|疏散)"
)
_LOW = re.compile(r"^(?:咨询|请问|建议|询问|了解一下)|(?:咨询一下|想咨询|请问一下|的建议)")


@dataclass
class UrgencyAssessment:
    """A suggested priority, a score in [0, 1], and (signal, matched text) reasons."""

    level: Priority = Priority.NORMAL
    score: float = _SCORE[Priority.NORMAL]
    reasons: list[tuple[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"level": self.level.value, "score": self.score, "reasons": self.reasons}


def assess_urgency(text: str) -> UrgencyAssessment:
    """The danger signals in `text` and the priority they suggest (normal when none)."""
    reasons: list[tuple[str, str]] = []
    rank = -1
    for signal, (start, end) in _affirmed_signals(text):
        signal_rank = _RANK[signal.level]
        label = signal.label
        if _SOFTENER.match(text, end) or _SOFTENER.match(text, end + 1):
            signal_rank -= 1
            label += "（隐患）"
        reasons.append((label, text[start:end]))
        rank = max(rank, signal_rank)
    if rank < 0:
        low = _LOW.search(text[:40])
        if low:
            return UrgencyAssessment(
                level=Priority.LOW, score=_SCORE[Priority.LOW], reasons=[("咨询建议", low.group())]
            )
        return UrgencyAssessment()
    resolved = _RESOLVED.search(text)
    if resolved:
        rank = max(rank - 1, _RANK[Priority.NORMAL])
        reasons.append(("已处理提示", resolved.group()))
    level = _BY_RANK[max(rank, _RANK[Priority.NORMAL])]
    extra = sum(1 for label, _ in reasons if label != "已处理提示") - 1
    score = min(_SCORE[level] + 0.01 * max(extra, 0), 1.0)
    return UrgencyAssessment(level=level, score=round(score, 3), reasons=reasons)


def _affirmed_signals(text: str) -> list[tuple[Signal, tuple[int, int]]]:
    """Each signal once, at its first match not negated in its clause, in SIGNALS order."""
    found: dict[int, tuple[int, int]] = {}
    for match in _ANY_SIGNAL.finditer(text):
        # The union tries the signals in order, so the first that matches here is the one.
        index = next(i for i, s in enumerate(SIGNALS) if s.pattern.match(text, match.start()))
        if index in found:
            continue
        span = _affirmed(SIGNALS[index], text, match.start(), match.end())
        if span is not None:
            found[index] = span
    return [(SIGNALS[index], found[index]) for index in sorted(found)]


def _affirmed(signal: Signal, text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span to show for a match, or None when it is negated or lacks its context."""
    if _NEGATION.search(text, max(start - 8, 0), start):
        return None
    if signal.context is None:
        return start, end
    low, high = max(start - signal.gap, 0), end + signal.gap
    for near in signal.context.finditer(text, low, high):
        first, last = min(near.start(), start), max(near.end(), end)
        if not _SENTENCE_END.search(text, first, last):
            return first, last
    return None
