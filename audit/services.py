"""Write to the audit trail. Callers pass objects, never personal data."""

from __future__ import annotations

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
