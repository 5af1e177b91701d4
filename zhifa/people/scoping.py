"""Object-level scoping: every agency-owned query goes through `visible_to(user)`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from zhifa.people.models import User


def sees_every_agency(user: User) -> bool:
    """The judicial bureau (supervisor) and administrators read every agency."""
    return bool(user.is_authenticated and (user.is_superuser or user.role in {"supervisor", "admin"}))


class AgencyScopedQuerySet(models.QuerySet):
    """A queryset whose rows belong to an agency through `agency_path` (a lookup path ending at Agency)."""

    agency_path = "agency"

    def visible_to(self, user: User) -> AgencyScopedQuerySet:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if sees_every_agency(user):
            return self.all()
        if user.agency_id is None:
            return self.none()
        return self.filter(**{self.agency_path: user.agency_id})


def scoped_queryset(path: str) -> type[AgencyScopedQuerySet]:
    """A scoped queryset class for a model that reaches its agency through `path`."""
    return type(f"ScopedBy_{path}", (AgencyScopedQuerySet,), {"agency_path": path})
