from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from minsheng.directory.tests.factories import ResponsibilityRuleFactory

pytestmark = pytest.mark.django_db


def test_a_clean_list_passes():
    # given
    ResponsibilityRuleFactory.create()
    out = StringIO()

    # when
    call_command("check_rules", stdout=out)

    # then
    assert "没有冲突" in out.getvalue()


def test_conflicts_are_printed_and_exit_with_status_one():
    # given
    first = ResponsibilityRuleFactory.create()
    second = ResponsibilityRuleFactory.create(category=first.category, region=first.region)
    out = StringIO()

    # when
    with pytest.raises(CommandError) as error:
        call_command("check_rules", stdout=out)

    # then
    assert error.value.returncode == 1
    assert "责任清单存在 1 处冲突" in str(error.value)
    assert f"#{first.pk}" in out.getvalue()
    assert f"#{second.pk}" in out.getvalue()


@pytest.mark.parametrize(("extra", "expected"), [(0, "1 conflict"), (1, "2 conflicts")])
def test_the_count_reads_right_in_english(extra, expected):
    # given one tie, or two
    for _ in range(1 + extra):
        first = ResponsibilityRuleFactory.create()
        ResponsibilityRuleFactory.create(category=first.category, region=first.region)

    # when
    with translation.override("en"), pytest.raises(CommandError) as error:
        call_command("check_rules", stdout=StringIO())

    # then
    assert f"The responsibility list has {expected};" in str(error.value)
