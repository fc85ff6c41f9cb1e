"""The demo's reference data: where its files are, and its SLA policies (办理时限).

Regions and the taxonomy come with the directory app (demo_regions.csv and the default
taxonomy); departments and the responsibility list are CSV files here, in the same format
as `manage.py import_departments` and `import_rules` read, so they double as examples.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from minsheng.directory.choices import Priority

DATA_DIR = Path(__file__).resolve().parent
DEPARTMENTS_FILE = DATA_DIR / "departments.csv"
RULES_FILE = DATA_DIR / "rules.csv"


@dataclass(frozen=True)
class DemoSLA:
    """Working days for a category subtree ("" for all) and a priority ("" for any)."""

    category: str
    priority: str
    accept_days: int
    handle_days: int
    warn_days: int = 3
    extension_limit_days: int = 15
    rework_days: int = 5


SLA_POLICIES = (
    DemoSLA("", "", accept_days=1, handle_days=15),
    DemoSLA("", Priority.HIGH, accept_days=1, handle_days=10),
    DemoSLA("", Priority.URGENT, accept_days=0, handle_days=5, warn_days=1),
    # Danger to life: signed for the same day, handled within three working days.
    DemoSLA("消防安全", Priority.URGENT, accept_days=0, handle_days=3, warn_days=1),
    DemoSLA("燃气供热/燃气安全", Priority.URGENT, accept_days=0, handle_days=3, warn_days=1),
    # Households without water cannot wait the general fifteen days.
    DemoSLA("供水/供水服务", "", accept_days=1, handle_days=5, warn_days=2),
    # Wages before the Spring Festival: ten working days, extensions up to ten.
    DemoSLA(
        "劳动和社会保障/农民工工资", "", accept_days=1, handle_days=10, extension_limit_days=10
    ),
)
