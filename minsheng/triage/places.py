"""Step 4 of triage: which region a clue is about, and the street-level place it names.

The region decides the responsible government (responsibility list); the street-level text
(小区, 路, 栋...) helps the handling department find the spot and the duplicate detector
group clues. Matching is one compiled trie-shaped regex over all names and aliases, so a
position tries the longest alias first and the scan stays in C whatever the gazetteer size.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from minsheng.directory.models import Region

# Longest suffixes first: "自治县" before "县".
_ADMIN_SUFFIXES = (
    "特别行政区",
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "自治区",
    "自治州",
    "自治县",
    "新区",
    "街道办事处",
    "街道",
    "社区",
    "省",
    "市",
    "区",
    "县",
    "旗",
    "镇",
    "乡",
    "村",
)
# Derived short forms that are ordinary words (or another region's everyday name) are not
# aliases: "新城区" → "新城" would fire on every "新城" in a message.
_AMBIGUOUS_SHORT_FORMS_TEXT = (
    "新城 城关 城中 城东 城西 城南 城北 中心 开发 高新 经开 工业 东方 南方 北方 西方 "
    "和平 胜利 解放 人民 建设 新华 光明 向阳 红旗 友谊 前进 新民 团结 幸福 长安 永安 "
    "东城 西城 南城 北城 东区 西区 南区 北区 市中 郊区 矿区 林区 白云 青山 桃源 新村"
)
_AMBIGUOUS_SHORT_FORMS = frozenset(_AMBIGUOUS_SHORT_FORMS_TEXT.split())
MIN_ALIAS_LENGTH = 2
_ROAD_AFTER = re.compile(r"[东南西北中]?(?:[一二三四五六七八九十]路|路|街|大道|大街|巷)")


@dataclass(frozen=True)
class GazetteerEntry:
    """What the gazetteer knows of one region: enough to resolve without the database."""

    code: str
    name: str
    level: int
    parent_code: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlaceMatch:
    code: str
    name: str
    matched: str
    start: int
    end: int


@dataclass
class PlaceResult:
    """Regions mentioned (in text order), the one the clue is most likely about, free text."""

    matches: list[PlaceMatch] = field(default_factory=list)
    best: PlaceMatch | None = None
    places: list[str] = field(default_factory=list)

    @property
    def best_code(self) -> str | None:
        return self.best.code if self.best else None


def derived_short_forms(name: str) -> list[str]:
    """Everyday short forms of an official name: 雨花区→雨花, 长沙市→长沙, 湖南省→湖南.

    Only forms of at least two characters with a Chinese character in them are kept, and
    never the listed everyday words, so "A市" gives nothing and "新城区" neither.
    """
    for suffix in _ADMIN_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            short = name[: -len(suffix)]
            if (
                len(short) >= MIN_ALIAS_LENGTH
                and re.search(r"[\u4e00-\u9fff]", short)
                and short not in _AMBIGUOUS_SHORT_FORMS
            ):
                return [short]
            return []
    return []


class Gazetteer:
    """An immutable index from names and aliases to regions, with one compiled matcher."""

    def __init__(self, entries: Iterable[GazetteerEntry]) -> None:
        self._entries: dict[str, GazetteerEntry] = {entry.code: entry for entry in entries}
        official: dict[str, set[str]] = defaultdict(set)
        derived: dict[str, set[str]] = defaultdict(set)
        for entry in self._entries.values():
            official[entry.name].add(entry.code)
            for alias in entry.aliases:
                if len(alias) >= MIN_ALIAS_LENGTH:
                    official[alias].add(entry.code)
            for alias in derived_short_forms(entry.name):
                derived[alias].add(entry.code)
        # A derived form never shadows a name someone wrote down (长沙县 vs 长沙市's 长沙).
        self._aliases: dict[str, tuple[str, ...]] = {
            alias: tuple(sorted(codes)) for alias, codes in official.items()
        }
        for alias, codes in derived.items():
            self._aliases.setdefault(alias, tuple(sorted(codes)))
        self._pattern = _trie_regex(self._aliases) if self._aliases else None

    @classmethod
    def from_regions(cls, regions: QuerySet[Region] | Iterable[Region]) -> Gazetteer:
        """Build from Region rows (active ones; pass a filtered queryset to narrow further)."""
        rows = [region for region in regions if region.is_active]
        code_by_pk = {region.pk: region.code for region in rows}
        return cls(
            GazetteerEntry(
                code=region.code,
                name=region.name,
                level=int(region.level),
                parent_code=code_by_pk.get(region.parent_id) if region.parent_id else None,
                aliases=tuple(a.strip() for a in region.short_name.split(",") if a.strip()),
            )
            for region in rows
        )

    def __len__(self) -> int:
        return len(self._entries)

    def ancestors(self, code: str) -> list[str]:
        """Codes from the parent up to the root (regions outside the gazetteer end it)."""
        chain: list[str] = []
        parent = self._entries[code].parent_code
        while parent is not None and parent in self._entries and parent not in chain:
            chain.append(parent)
            parent = self._entries[parent].parent_code
        return chain

    def find_places(self, text: str) -> PlaceResult:
        """Regions and street-level places named in `text`."""
        candidates = self._match(text)
        matches: list[PlaceMatch] = []
        for index, (codes, (start, end)) in enumerate(candidates):
            others = {c for j, (cs, _) in enumerate(candidates) if j != index for c in cs}
            code = self._choose(codes, others)
            matches.append(
                PlaceMatch(
                    code=code,
                    name=self._entries[code].name,
                    matched=text[start:end],
                    start=start,
                    end=end,
                )
            )
        return PlaceResult(
            matches=matches,
            best=self._best(matches),
            places=free_place_text(text, skip=[(m.start, m.end) for m in matches]),
        )

    def _match(self, text: str) -> list[tuple[tuple[str, ...], tuple[int, int]]]:
        if self._pattern is None:
            return []
        found = []
        for match in self._pattern.finditer(text):
            start, end = match.span()
            alias = match.group()
            # "A3区" inside "BA3区" or "A3" inside "A33": not the same name.
            if (
                start > 0
                and alias[0].isascii()
                and text[start - 1].isascii()
                and (text[start - 1].isalnum())
            ):
                continue
            # "麓山南路" is a road named after a place, not a mention of the place.
            if _ROAD_AFTER.match(text, end):
                continue
            found.append((self._aliases[alias], (start, end)))
        return found

    def _choose(self, codes: tuple[str, ...], mentioned: set[str]) -> str:
        """For an alias shared by several regions, prefer the one whose ancestors are named."""
        if len(codes) == 1:
            return codes[0]
        return max(
            codes,
            key=lambda code: (
                sum(1 for a in self.ancestors(code) if a in mentioned),
                -self._entries[code].level,
            ),
        )

    def _best(self, matches: list[PlaceMatch]) -> PlaceMatch | None:
        """The deepest region best supported by its mentioned ancestors; first mention on ties.

        "长沙市雨花区" gives 雨花区 (its parent is named too); a district alone is fine.
        """
        if not matches:
            return None
        mentioned = {m.code for m in matches}

        def support(index: int) -> tuple[int, int, int]:
            code = matches[index].code
            backed = sum(1 for a in self.ancestors(code) if a in mentioned)
            return (backed, self._entries[code].level, -index)

        return matches[max(range(len(matches)), key=support)]


def _trie_regex(aliases: Iterable[str]) -> re.Pattern[str]:
    """One regex whose alternatives share prefixes and try the longer alias first."""
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for alias in aliases:
        node = trie
        for char in alias:
            node = node.setdefault(char, {})
        node[""] = {}
    return re.compile(_trie_to_pattern(trie))


def _trie_to_pattern(node: dict) -> str:  # type: ignore[type-arg]
    terminal = "" in node
    branches = [re.escape(char) + _trie_to_pattern(child) for char, child in node.items() if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(sorted(branches)) + ")"
    if terminal:
        return body + "?" if len(branches) == 1 and len(branches[0]) == 1 else f"(?:{body})?"
    return body


# --- free place text -------------------------------------------------------------------

_PLACE_SUFFIX = (
    "小区|花园|花苑|华苑|家园|公寓|大厦|广场|商城|社区|街道|大道|新村|村|组|路|街|巷|"
    "小学|中学|大学|学校|幼儿园|学院|医院|卫生院|诊所|市场|公园|车站|工业园|产业园"
)
# A suffix and what may follow it (东风路18号, 景蓉华苑3栋2单元501, 阳光家园小区); the name
# before it is found by looking back to the nearest break, which is much cheaper than
# letting the regex try every start position.
_SUFFIX = re.compile(
    rf"(?:{_PLACE_SUFFIX})(?<!路(?=[灯费况线过面]))"
    r"(?:小区|社区|花园|公寓|大厦)?"
    r"(?:[A-Za-z]?\d+号(?:院|楼)?)?(?:\d+栋)?(?:\d+单元)?(?:\d+(?:室|号)?)?"
)
_MAX_STEM = 10
_BUILDING = re.compile(r"\d+(?:栋|幢|号楼)(?:\d+单元)?(?:\d+(?:室|号)?)?")
# Where a place phrase cannot run across: punctuation, spaces and the small words around it.
# Verbs and adverbs that often stand right before a place name in a complaint
# ("首先感谢泉塘街道", "女儿经常抱怨泉塘小学") end the phrase too.
_BREAK_WORDS = (
    "位于 对面 附近 旁边 门口 一带 这个 那个 这条 那条 我们 我家 关于 反映 请问 感谢 不知 "
    "怎么 保证 加大 由于 改变 目前 包括 广大 各项 推进 希望 开通 严重 侵犯 经常 抱怨 想象 "
    "导致 考虑 就读于 就读 首先 因此 规划 一起 已经 还是 就是 但是 而且 要求 解决 处理 "
    "建设 发展 进行 整个 所有 全部 一些 一个 这些 那些 还有 为了 为什么 作为 前往 来到 "
    "去往 通往 经过 沿着 靠近 属于 隶属 位处 地处 家住 住在 居住 租住 小孩 孩子 女儿 儿子 "
    "父亲 母亲 老人 各级 多个 部分 以及 或者 其中 此外 另外 同时 导致了 造成"
)
_BREAK = re.compile(
    r"[^\u4e00-\u9fffA-Za-z0-9]+|"
    + "|".join(sorted(_BREAK_WORDS.split(), key=len, reverse=True))
    + r"|[的在是了和与到从对把被将有我他她们及至给让要为去此些各全映叔]"
)
_GENERIC_STEMS_TEXT = (
    "某 马 道 公 一 小 铁 大 本 该 此 各 全 老 新 周边 附近 整个 农 山 回 上 下 出 进 走 半 "
    "思 线 网 门 城 市 省 县 区 乡 镇 城乡 两 多 这 那 该村 本村 各村 全村 同 邻"
)
_GENERIC_STEMS = frozenset(_GENERIC_STEMS_TEXT.split())
_GENERIC_PLACES_TEXT = (
    "马路 道路 公路 铁路 一路 小路 大路 大街 街道 社区 小区 农村 乡村 学校 医院 市场 广场 自然村 "
    "公园 小学 中学 大学 幼儿园 车站 村组 上学路 回家路 出路 网路 线路 思路 门路"
)
_GENERIC_PLACES = frozenset(_GENERIC_PLACES_TEXT.split())


def free_place_text(text: str, *, skip: Iterable[tuple[int, int]] = ()) -> list[str]:
    """Street-level place phrases (景蓉华苑, 东风路18号, 3栋2单元501), in order, unique.

    `skip` spans (matched regions) break phrases, so "A2区桂花坪街道" yields 桂花坪街道.
    """
    spans = sorted(skip)
    if spans:
        pieces: list[str] = []
        position = 0
        for start, end in spans:
            pieces.append(text[position:start])
            pieces.append(" " * (end - max(start, position)))
            position = max(end, position)
        pieces.append(text[position:])
        text = "".join(pieces)
    found: list[str] = []
    covered_until = 0
    for match in _SUFFIX.finditer(text):
        window_start = max(covered_until, match.start() - _MAX_STEM)
        window = text[window_start : match.start()]
        stem_start = 0
        for brk in _BREAK.finditer(window):
            stem_start = brk.end()
        stem = window[stem_start:]
        covered_until = match.end()
        phrase = stem + match.group()
        if not stem or stem in _GENERIC_STEMS or stem in _GENERIC_PLACES:
            continue
        if phrase not in _GENERIC_PLACES and phrase not in found:
            found.append(phrase)
    if not found:
        for match in _BUILDING.finditer(text):
            if match.group() not in found:
                found.append(match.group())
    return found


_EMPTY = Gazetteer(())


def find_places(text: str, *, gazetteer: Gazetteer | None = None) -> PlaceResult:
    """`gazetteer.find_places(text)`; without a gazetteer only free place text is found."""
    return (gazetteer or _EMPTY).find_places(text)
