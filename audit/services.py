"""Write to the audit trail. Callers pass objects, never personal data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import models
from django.http import HttpRequest

from common.net import client_ip

from .models import AuditEntry

if TYPE_CHECKING:
    from coordinators.models import User


def audit_record(
    *,
    action: str,
    request: HttpRequest | None = None,
    actor: User | None = None,
    obj: models.Model | None = None,
    reference: str = "",
    detail: str = "",
    username: str = "",
    ip_address: str | None = None,
) -> AuditEntry:
    """Record that `actor` (by default the request's user) did `action` on `obj`. Work done
    later by the worker for a request passes that request's `ip_address` instead."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if obj is not None and not reference:
        reference = getattr(obj, "reference", "") or ""
    return AuditEntry.objects.create(
        action=action,
        actor=actor,
        username=(actor.get_username() if actor is not None else username)[:150],
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        reference=reference,
        ip_address=client_ip(request) if request is not None else ip_address,
        detail=detail[:200],
    )


# One helper per kind of read, so each view records it the same way with one INSERT.


def audit_case_viewed(*, request: HttpRequest, case: models.Model) -> AuditEntry:
    """A page showing a case's person was rendered (also again after an invalid form)."""
    return audit_record(action=AuditEntry.Action.VIEW, request=request, obj=case)


def audit_list_viewed(
    *, request: HttpRequest, what: str, rows: int, filters: Iterable[str] = ()
) -> AuditEntry:
    """A list of people was shown: which list, how many rows matched, and the names of the
    filters used (never their values: a search text is a name, e-mail or phone)."""
    used = ",".join(sorted(filters))
    detail = f"{what}: {rows} rows" + (f"; filters: {used}" if used else "")
    return audit_record(action=AuditEntry.Action.VIEW, request=request, detail=detail)


def audit_export(*, request: HttpRequest, what: str) -> AuditEntry:
    """A file of figures or rows was made, or asked for, from the page (`what`: which)."""
    return audit_record(action=AuditEntry.Action.EXPORT, request=request, detail=what)


def audit_second_factor_failed(*, request: HttpRequest) -> AuditEntry:
    """A wrong code at the second step of a login (or while setting a device up)."""
    return audit_record(action=AuditEntry.Action.SECOND_FACTOR_FAILED, request=request)
