"""The demo accounts: created once with the demo password, never changed afterwards."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.db import transaction

from minsheng.accounts.models import User
from minsheng.demo.data.accounts import ACCOUNTS, DEMO_PASSWORD, DemoAccount
from minsheng.demo.services.summary import DemoLoadError, SectionSummary
from minsheng.directory.models import Department


def _department_of(account: DemoAccount) -> Department | None:
    if not account.department:
        return None
    department = Department.objects.filter(name=account.department).first()
    if department is None:
        raise DemoLoadError(f"演示账号 {account.username} 的单位“{account.department}”不存在。")
    return department


@transaction.atomic
def demo_accounts_ensure() -> SectionSummary:
    """Create the demo accounts that are missing.

    An existing account keeps its password, role and department (someone may be using it);
    a mismatch with the demo data is noted so that the printed logins are not trusted
    blindly. Precondition: the departments are loaded.
    """
    section = SectionSummary(name="演示账号")
    # One hash for all: the password is public anyway, and each hash costs ~0.5 s of PBKDF2.
    # This is what User.set_password stores, computed once instead of twenty times.
    password_hash = ""
    for account in ACCOUNTS:
        department = _department_of(account)
        user = User.objects.filter(username=account.username).first()
        if user is not None:
            section.count(created=False)
            if user.role != account.role or user.department_id != (
                department.pk if department else None
            ):
                section.notes.append(
                    f"账号 {account.username} 已存在，角色或单位与演示数据不同，未作修改。"
                )
            continue
        user = User(
            username=account.username,
            role=account.role,
            department=department,
            display_name=account.display_name,
            phone=account.phone,
            is_staff=account.is_superuser,
            is_superuser=account.is_superuser,
        )
        password_hash = password_hash or make_password(DEMO_PASSWORD)
        user.password = password_hash
        user.full_clean()
        user.save()
        section.count(created=True)
    return section


def demo_accounts() -> dict[str, User]:
    """The demo accounts by username (those that exist)."""
    usernames = [account.username for account in ACCOUNTS]
    return {user.username: user for user in User.objects.filter(username__in=usernames)}
