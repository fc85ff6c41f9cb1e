"""Reference data of the demo: regions, taxonomy, departments, responsibility list, SLAs.

Regions, departments and rules go through the directory's own importers, so the demo files
are also examples of what `import_regions`, `import_departments` and `import_rules` read.
The importers match existing rows by natural key, so a second load changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from minsheng.demo.data.reference import DEPARTMENTS_FILE, RULES_FILE, SLA_POLICIES
from minsheng.demo.services.summary import DemoLoadError, SectionSummary
from minsheng.directory.models import SLAPolicy
from minsheng.directory.services import (
    DEFAULT_TAXONOMY_PATH,
    ImportSummary,
    category_by_path,
    departments_import_file,
    regions_import_file,
    rules_import_file,
    taxonomy_load_default,
)

DEMO_REGIONS_FILE = DEFAULT_TAXONOMY_PATH.with_name("demo_regions.csv")


def _section(name: str, summary: ImportSummary, path: Path | None = None) -> SectionSummary:
    """The section's counts; any rejected row or conflict is a bug in the demo data."""
    if not summary.ok:
        where = f"（{path.name}）" if path is not None else ""
        raise DemoLoadError(f"演示数据“{name}”{where}导入失败：\n{summary}")
    return SectionSummary(
        name=name,
        created=summary.created,
        updated=summary.updated,
        existing=summary.existing,
    )


def _sla_policies_ensure() -> SectionSummary:
    """Create the demo's SLA policies that are missing; existing ones are left as they are."""
    section = SectionSummary(name="办理时限")
    for policy in SLA_POLICIES:
        category = None
        if policy.category:
            category = category_by_path(path=policy.category)
            if category is None:
                raise DemoLoadError(f"办理时限的分类“{policy.category}”不在分类体系中。")
        _, created = SLAPolicy.objects.get_or_create(
            category=category,
            priority=policy.priority,
            defaults={
                "accept_days": policy.accept_days,
                "handle_days": policy.handle_days,
                "warn_days": policy.warn_days,
                "extension_limit_days": policy.extension_limit_days,
                "rework_days": policy.rework_days,
            },
        )
        section.count(created=created)
    return section


@transaction.atomic
def demo_reference_load() -> list[SectionSummary]:
    """Load (or confirm) the reference data, in dependency order, in one transaction."""
    return [
        _section("行政区划", regions_import_file(path=DEMO_REGIONS_FILE), DEMO_REGIONS_FILE),
        _section("问题分类", taxonomy_load_default(), DEFAULT_TAXONOMY_PATH),
        _section("承办单位", departments_import_file(path=DEPARTMENTS_FILE), DEPARTMENTS_FILE),
        _section("责任清单", rules_import_file(path=RULES_FILE), RULES_FILE),
        _sla_policies_ensure(),
    ]
