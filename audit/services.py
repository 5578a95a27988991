"""Write to the audit trail. Callers pass objects, never personal data."""

from common.net import client_ip

from .models import AuditEntry


def audit_record(
    *, action, request=None, actor=None, obj=None, reference="", detail="", username=""
):
    """Record that `actor` (by default the request's user) did `action` on `obj`."""
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
        ip_address=client_ip(request),
        detail=detail[:200],
    )
