"""Factories for users, importable by every app's tests."""

from __future__ import annotations

import factory

from minsheng.accounts.models import User
from minsheng.accounts.roles import Role

DEMO_PASSWORD = "demo-pass-123"


class UserFactory(factory.django.DjangoModelFactory[User]):
    """An active intake officer by default; pass `role=` and `department=` for others.

    Traits: `UserFactory(superuser=True)` is a system administrator who may use the admin.
    Every user's password is `DEMO_PASSWORD`.
    """

    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        superuser = factory.Trait(role=Role.ADMIN, is_staff=True, is_superuser=True)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(DEMO_PASSWORD)
    display_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    role = Role.INTAKE
    department = None
