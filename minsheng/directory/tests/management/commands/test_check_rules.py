from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

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
    assert "1 conflict(s)" in str(error.value)
    assert f"#{first.pk}" in out.getvalue()
    assert f"#{second.pk}" in out.getvalue()
