"""Fixtures of the accounts tests."""

from __future__ import annotations

import pytest

from minsheng.directory.models import Department
from minsheng.directory.tests.factories import DepartmentFactory


@pytest.fixture
def department(db: None) -> Department:
    return DepartmentFactory.create(name="湖南省住房和城乡建设厅")
