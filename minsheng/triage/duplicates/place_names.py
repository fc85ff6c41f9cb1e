"""Cheap place names for the duplicate check: are two similar texts about different places?

Form letters ("A5区魅力之城小区底层餐馆油烟扰民…" sent again about another estate) score as
high as reposts, because only the place changes. This module finds place-like names by
kind — anonymised district codes (A3区, G7县), estates and buildings complexes (…小区, …家园,
…大厦), roads (…路, …街, …大道) and building numbers (5栋, 3单元) — and `places_differ`
says whether two texts name different places of the same kind.

The test is deliberately one-sided per name: a name "differs" only when its core (the up
to four characters before the suffix, small words stripped) does not occur anywhere in
the other text. Two reposts share their body, so every name in the body occurs in both,
and a title that names the place another way ("A2区丽发新城" vs "暮云街道丽发新城小区")
does not count. Only when *each* text has a name of the same kind that the other text
lacks are they about different places. Region codes from the gazetteer, when the caller
has them, are compared the same way with their ancestors (a district is not a different
place from its city).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .text import normalise

# A name is up to eight Chinese characters before its suffix, taken greedily so the longest
# suffix wins (桂花苑小区, not 桂 + 花苑), but never across 区 (or 路, 街 for roads): a name
# does not run over the district or street it lies in.
_ESTATE_STEM = r"((?:(?!区)[\u4e00-\u9fff]){2,8})"
_ROAD_STEM = r"((?:(?![区路街])[\u4e00-\u9fff]){2,8})"
_KINDS: dict[str, re.Pattern[str]] = {
    # Anonymised codes of the shared data and of tests: A市 is left out (too coarse).
    "district": re.compile(r"(?<![A-Za-z0-9])([A-Za-z]\d{1,2})(?:市|区|县|州)"),
    "estate": re.compile(
        rf"{_ESTATE_STEM}(?:小区|花园|花苑|家园|公寓|大厦|新村|广场|山庄|社区|安置区)"
    ),
    "road": re.compile(
        rf"{_ROAD_STEM}(?:大道|大街|(?<![线道公马铁走出思网上沿进回水陆一小大修])路"
        rf"|(?<![临沿上逛])街(?!道)|巷)(?![灯费况线过面段上边口])"
    ),
    "building": re.compile(r"(\d+)(?:栋|幢|号楼|单元)"),
}
# A core is cut after the last of these (区柏家塘 → 柏家塘, 湖路森宇 → 森宇): what comes before
# is the district or road the place lies in.
_CUT_AFTER = frozenset("市区县省州镇乡路街道村")
# Small words that run into a stem ("我们小区", "该小区", "住在…"): a core holding one is not
# a name.
_FUNCTION = frozenset(
    "我们你他她它的是了与对该这那请经就还将把被也都又从到于为且并已因让使给向及其此每各"
    "整甚很太最更再才只不没无要会能可想说去在"
)
_GENERIC = frozenset(
    {
        *("小区", "城市", "道路", "马路", "公路", "铁路", "走路", "出路", "思路", "网路"),
        *("一路", "上路", "沿路", "街道", "附近", "周边", "周围", "整个", "所在", "居民"),
        *("其他", "老旧", "安置", "商业", "住宅", "临街", "沿街", "农村", "乡村", "城乡"),
        *("市区", "城区", "县城"),
    }
)
_CORE_LENGTH = 4


@dataclass(frozen=True, slots=True)
class PlaceNames:
    """Place-name cores of one text by kind, and the text they must be looked up in."""

    normalised: str
    # Per kind, every name's core, first-named first (the place a letter is about).
    names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Gazetteer region codes mentioned (deepest) and the same plus their ancestors.
    regions: frozenset[str] = frozenset()
    region_closure: frozenset[str] = frozenset()


def place_names(text: str, *, regions: Iterable[Sequence[str]] = ()) -> PlaceNames:
    """The place names of `text`.

    `regions` are optional chains from the gazetteer, one per region mentioned: the
    region's code followed by its ancestors' (``[code, *gazetteer.ancestors(code)]``).
    """
    names: dict[str, tuple[str, ...]] = {}
    for kind, pattern in _KINDS.items():
        found = [core for match in pattern.finditer(text) if (core := _core(kind, match))]
        if found:
            names[kind] = tuple(dict.fromkeys(found))
    chains = [tuple(chain) for chain in regions if chain]
    closure = frozenset(code for chain in chains for code in chain)
    ancestors = {code for chain in chains for code in chain[1:]}
    deepest = frozenset(chain[0] for chain in chains if chain[0] not in ancestors)
    return PlaceNames(
        normalised=normalise(text), names=names, regions=deepest, region_closure=closure
    )


def places_differ(a: PlaceNames, b: PlaceNames) -> bool:
    """True when, for some kind, each text's first-named place is absent from the other.

    See the module docstring. Only the first name of a kind counts: a letter is about
    the place it names first, while a longer repost may mention neighbours the shorter
    one leaves out. A name that shares at least half its characters with a name of the
    same kind in the other text is taken for a misspelling of it (黄兴路/黄星路), not
    another place; codes and building numbers must match exactly.
    """
    for kind in a.names.keys() & b.names.keys():
        if _absent(a.names[kind][0], b, kind) and _absent(b.names[kind][0], a, kind):
            return True
    return bool(a.regions - b.region_closure) and bool(b.regions - a.region_closure)


def _absent(core: str, other: PlaceNames, kind: str) -> bool:
    """Whether `other` does not mention the place `core` names at all."""
    if core in other.normalised:
        return False
    if kind in ("district", "building"):
        return True
    return not any(_alike(core, name) for name in other.names.get(kind, ()))


def _alike(a: str, b: str) -> bool:
    return 2 * len(set(a) & set(b)) >= min(len(a), len(b))


def _core(kind: str, match: re.Match[str]) -> str | None:
    """What must occur in the other text: a whole code or number, or a name's last chars."""
    if kind in ("district", "building"):
        return normalise(match[0])
    core = match[1][-_CORE_LENGTH:]
    cut = max((i for i, char in enumerate(core) if char in _CUT_AFTER), default=-1)
    core = core[cut + 1 :]
    if len(core) < 2 or core in _GENERIC or any(char in _FUNCTION for char in core):
        return None
    return normalise(core)
