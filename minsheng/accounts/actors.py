"""Who is acting: a signed-in user, a citizen proven by tracking code and secret, or the system."""

from __future__ import annotations

from dataclasses import dataclass

from minsheng.accounts.models import User
from minsheng.accounts.roles import Role


@dataclass(frozen=True)
class Actor:
    """The author of an action, as recorded in events and checked by services."""

    role: Role
    name: str
    user: User | None = None
    department_id: int | None = None

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(
            role=Role(user.role),
            name=str(user),
            user=user,
            department_id=user.department_id,
        )

    @classmethod
    def system(cls, name: str = "system") -> Actor:
        return cls(role=Role.SYSTEM, name=name)

    @classmethod
    def citizen(cls, name: str = "") -> Actor:
        """A citizen who proved access to one clue with its tracking code and query secret."""
        return cls(role=Role.CITIZEN, name=name or "群众")

    @property
    def user_id(self) -> int | None:
        return self.user.pk if self.user is not None else None
