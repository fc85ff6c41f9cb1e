"""Weak category labels from the department that answered a message.

A deployment with few labelled clues usually has years of answered ones: hotline exports
and message boards keep the reply, and the reply names the office that handled the matter
("经核查，市教育局…"). Each office serves one first-level category (the responsibility list
read backwards), so the office named is a label, right about four times in five: measured on
the 36 messages of the Teddy Cup reply file that also appear in the labelled set, where the
errors are road works answered by the transport bureau and the like. That is noise once real
labels abound, and most of what a few hundred real labels lack (bench/triage_classifier.py).

The names are the standard ones of Chinese government departments and public utilities,
under the first-level categories of the Teddy Cup taxonomy. Offices whose matters span two
categories (housing provident fund, culture-and-tourism) and offices of categories outside
that taxonomy's labelled seven (public security, civil affairs, finance, agriculture) are left
out: they name no single category.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

DEPARTMENT_NAMES: dict[str, tuple[str, ...]] = {
    "城乡建设": (
        r"住建[局委厅]",
        r"住房和城乡建设",
        r"城乡建设[局委]",
        r"(?<!交通)建设局",
        r"建委",
        r"规划[局分]",
        r"规划和自然资源",
        r"自然资源和规划",
        r"规建局",
        r"房产[局管]",
        r"房地产管理局",
        r"住房保障",
        r"房屋征收",
        r"征收办",
        r"拆迁办",
        r"城管",
        r"城市管理",
        r"市政[局处]",
        r"工务局",
        r"园林局",
        r"环卫[局处所]",
        r"不动产登记",
        r"房屋交易",
        r"物管办",
        r"自来水公司",
        r"水务局",
        r"燃气公司",
        r"供电公司",
        r"电力局",
        r"公交[公集]",
        r"轨道交通集团",
        r"轨道集团",
        r"地铁集团",
        r"人防办",
    ),
    "劳动和社会保障": (
        r"人社[局厅]",
        r"人力资源和社会保障",
        r"人力资源社会保障",
        r"社保[局中]",
        r"社会保险",
        r"劳动保障监察",
        r"劳动监察",
        r"人力资源服务中心",
        r"就业服务",
        r"医保[局中]",
        r"医疗保障",
        r"医疗保险服务中心",
        r"医疗保险管理",
        r"劳动人事争议仲裁",
    ),
    "教育文体": (
        r"教育[局厅委]",
        r"教育体育局",
        r"教体局",
        r"体育局",
        r"文体局",
        r"文物局",
        r"招生考试",
        r"考试院",
    ),
    "商贸旅游": (
        r"商务[局厅]",
        r"市场监[督管]",
        r"工商[局分]",
        r"物价局",
        r"质监局",
        r"质量技术监督",
        r"旅游局",
        r"价格监督",
        r"商务和粮食",
        r"盐务",
    ),
    "环境保护": (
        r"环保[局厅]",
        r"环境保护[局厅]",
        r"生态环境[局厅]",
        r"环境监测",
        r"环境监察",
        r"环保分局",
    ),
    "卫生计生": (
        r"卫[健计]委",
        r"卫生健康",
        r"卫计局",
        r"卫生局",
        r"卫生和计划生育",
        r"疾控中心",
        r"疾病预防控制",
        r"食品药品监督",
        r"食药监",
        r"卫生监督",
        r"计生[局办委]",
    ),
    "交通运输": (
        r"交通运输[局厅委]",
        r"交通局",
        r"公路局",
        r"公路管理",
        r"运管[处局所]",
        r"运输管理",
        r"客运管理",
        r"出租汽车管理",
        r"邮政管理",
    ),
}

_PATTERNS = {category: re.compile("|".join(names)) for category, names in DEPARTMENT_NAMES.items()}


def category_of_reply(reply: str, *, categories: Iterable[str] | None = None) -> str:
    """The category of the first department the reply names ('' when it names none).

    The first named is the one that answers; later ones are usually those it consulted.
    `categories` limits the answer to labels the caller knows.
    """
    allowed = set(categories) if categories is not None else None
    first, category = len(reply) + 1, ""
    for name, pattern in _PATTERNS.items():
        if allowed is not None and name not in allowed:
            continue
        found = pattern.search(reply)
        if found and found.start() < first:
            first, category = found.start(), name
    return category
