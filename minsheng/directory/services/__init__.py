"""Every write to the directory goes through the functions of this package.

The lookups that importers and the clue app need alongside them (category_by_path,
category_find_by_name, sla_for, ...) are reads and live in `minsheng.directory.selectors`;
they are re-exported here so that callers can import them from one place.
"""

from minsheng.directory.errors import ImportFileError
from minsheng.directory.selectors import (
    EffectiveSLA,
    categories_by_name,
    category_by_path,
    category_find_by_name,
    department_by_name,
    region_by_code,
    sla_for,
)
from minsheng.directory.services.departments import departments_import_file
from minsheng.directory.services.regions import region_level_for_code, regions_import_file
from minsheng.directory.services.rules import rules_import_file
from minsheng.directory.services.summary import ImportSummary, RejectedRow
from minsheng.directory.services.taxonomy import (
    DEFAULT_TAXONOMY_PATH,
    taxonomy_import,
    taxonomy_import_file,
    taxonomy_load_default,
)

__all__ = [
    "DEFAULT_TAXONOMY_PATH",
    "EffectiveSLA",
    "ImportFileError",
    "ImportSummary",
    "RejectedRow",
    "categories_by_name",
    "category_by_path",
    "category_find_by_name",
    "department_by_name",
    "departments_import_file",
    "region_by_code",
    "region_level_for_code",
    "regions_import_file",
    "rules_import_file",
    "sla_for",
    "taxonomy_import",
    "taxonomy_import_file",
    "taxonomy_load_default",
]
