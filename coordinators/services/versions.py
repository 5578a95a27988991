"""The versions of what a case page edits, for `common.versions.version_check`.

Each edit form on the case page carries `case_version(case=..., fields=...)` of the fields
it edits; its service locks the case, computes the same values and checks them, so a save
over a newer change is refused whoever made it (another coordinator, the admin, a job).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from auditlog.models import LogEntry
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from common.versions import version_check, version_token

from ..models import Case

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

RETURNEE_VALUES = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "country",
    "town",
    "preferred_language",
)
LABELS: dict[str, StrOrPromise] = {
    # Not an edit form's field: the timeline entry of a merge (duplicates.services).
    "merged": _("merged with the person's other record"),
    "needs": _("needs"),
    "coordinator": _("assignment"),
    "planning_region": _("planning region"),
    "next_follow_up": _("next follow-up"),
    "municipality": _("municipality of interest"),
    "timeframe": _("planned timeframe"),
    "household": _("household"),
    "first_name": _("first name"),
    "last_name": _("last name"),
    "email": _("e-mail"),
    "phone": _("phone"),
    "country": _("country of residence"),
    "town": _("town of residence"),
    "preferred_language": _("preferred language"),
}


def case_values(*, case: Case, fields: tuple[str, ...]) -> dict[str, Any]:
    """The current values of `fields` of a case (and its person), as read from the database."""
    values: dict[str, Any] = {}
    for name in fields:
        if name == "needs":
            # .all(): a page's prefetched rows, or a fresh query on the service's locked case.
            values[name] = sorted(need.pk for need in case.needs.all())
        elif name == "household":
            values[name] = sorted(
                (member.pk, member.relation, member.birth_year)
                for member in case.returnee.household.all()
            )
        elif name in RETURNEE_VALUES:
            values[name] = str(getattr(case.returnee, name))
        else:
            values[name] = getattr(case, f"{name}_id", getattr(case, name, None))
    return values


def case_version(*, case: Case, fields: tuple[str, ...]) -> str:
    """The version token an edit form of these fields carries."""
    return version_token(case_values(case=case, fields=fields))


def last_changed_by(*objects: Model) -> str:
    """The name of whoever saved the newest change of these objects (field history)."""
    entries = [
        entry
        for obj in objects
        if (entry := LogEntry.objects.get_for_object(obj).select_related("actor").first())
    ]
    entries = [entry for entry in entries if entry.actor is not None]
    if not entries:
        return ""
    actor = max(entries, key=lambda entry: entry.timestamp).actor
    return str(actor.get_full_name() or actor.get_username())


def case_version_check(*, locked: Case, version: str | None, fields: tuple[str, ...]) -> None:
    """Refuse (StaleEdit) a save over a newer change of `fields` of the locked case."""
    if version is None:
        return
    version_check(
        version=version,
        values=case_values(case=locked, fields=fields),
        labels=LABELS,
        changed_by=lambda: last_changed_by(locked, locked.returnee),
    )
