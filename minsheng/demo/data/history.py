"""The demo's history: about 260 past clues of Changsha (2025–2026), each answered by the
department that handled it, written by us as citizens write to a hotline or message board.

They come before the demo's own stories (which span the last two months) and are imported
through the bulk importer (`services.history`), so that the triage models have a history to
learn from: every second-level category in `TARGETED_SUBCATEGORIES` has at least
`MIN_PER_SUBCATEGORY` clues, enough for the second-level model to train on.
"""

from __future__ import annotations

from minsheng.demo.data import (
    history_city_order,
    history_city_services,
    history_education,
    history_environment,
    history_gas,
    history_health,
    history_housing,
    history_labour,
    history_market,
    history_power,
    history_safety_transport,
    history_water,
    history_water_billing,
)
from minsheng.demo.past import PastClue

HISTORY: tuple[PastClue, ...] = (
    *history_water.CLUES,
    *history_water_billing.CLUES,
    *history_power.CLUES,
    *history_gas.CLUES,
    *history_housing.CLUES,
    *history_city_order.CLUES,
    *history_city_services.CLUES,
    *history_safety_transport.CLUES,
    *history_environment.CLUES,
    *history_education.CLUES,
    *history_health.CLUES,
    *history_labour.CLUES,
    *history_market.CLUES,
)

MIN_PER_SUBCATEGORY = 8

# The second-level categories the history covers well ("一级/二级").
TARGETED_SUBCATEGORIES: tuple[str, ...] = (
    "供水/供水服务",
    "供水/水质问题",
    "供水/水费水表",
    "供电/供电质量",
    "供电/电费电表",
    "燃气供热/燃气安全",
    "住房和城乡建设/物业管理",
    "住房和城乡建设/建筑施工",
    "城市管理/市容秩序",
    "城市管理/环境卫生",
    "城市管理/市政设施",
    "交通运输/公共交通",
    "消防安全/消防隐患",
    "生态环境/大气污染",
    "生态环境/噪声污染",
    "教育/义务教育",
    "卫生健康/医疗保障",
    "劳动和社会保障/劳动关系",
    "劳动和社会保障/社会保险",
    "市场监管/食品安全",
    "市场监管/消费维权",
)
