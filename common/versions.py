"""No silent overwrite: the one rule for every edit form of the portal.

An edit form carries, in a hidden field, the version of the values it was loaded from: a
short hash per field (`needs:1a2b3c4d;coordinator:…`), so the page holds no copy of the
data and the check can say which fields changed. The service computes the same token from
the row it has locked and refuses the save with `StaleEdit` when a field the form edits
changed meanwhile; the view shows the form again with what the user typed, the message
(what changed and by whom) and the new version, so a second save is a decision, not an
accident. A change back to the old value is no conflict: nothing would be lost.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .errors import DomainError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

VERSION_FIELD = "version"
STALE_EDIT = _(
    "While you were editing, %(who)s changed: %(fields)s. Nothing of yours is saved yet; "
    "what you typed is kept below. Check the current values and save again."
)
SOMEONE_ELSE = _("someone else")


class _Encoder(DjangoJSONEncoder):
    """Dates, decimals, lazy text; anything else (a Country, a file) by its text."""

    def default(self, o: Any) -> Any:
        try:
            return super().default(o)
        except TypeError:
            return str(o)


def _digest(value: Any) -> str:
    text = json.dumps(value, cls=_Encoder, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def version_token(values: Mapping[str, Any]) -> str:
    """The version of `values` (field name → current value) for a form's hidden field."""
    return ";".join(f"{name}:{_digest(value)}" for name, value in sorted(values.items()))


def version_changed_fields(token: str, values: Mapping[str, Any]) -> list[str]:
    """The names of the fields whose value differs from the version in `token` (a token
    that cannot be read counts as every field changed)."""
    seen = dict(part.split(":", 1) for part in token.split(";") if ":" in part)
    return [name for name, value in values.items() if seen.get(name) != _digest(value)]


class StaleEdit(DomainError):
    """A save over a newer change; `current_version` lets the form be saved deliberately."""

    def __init__(self, message: StrOrPromise, *, fields: list[str], current_version: str):
        super().__init__(message)
        self.fields = fields
        self.current_version = current_version


def version_check(
    *,
    version: str | None,
    values: Mapping[str, Any],
    labels: Mapping[str, StrOrPromise] | None = None,
    changed_by: Callable[[], str] | None = None,
) -> None:
    """Refuse (StaleEdit) when a field of `values` changed since `version` was taken.

    `version` None means the caller loaded no form (a bulk action, a job): no check.
    `labels` name the fields for the user; `changed_by` says who saved last (asked only
    on a conflict, as it costs a query).
    """
    if version is None:
        return
    changed = version_changed_fields(version, values)
    if not changed:
        return
    labels = labels or {}
    names = ", ".join(str(labels.get(name, name)) for name in changed)
    who = (changed_by() if changed_by else "") or SOMEONE_ELSE
    raise StaleEdit(
        format_lazy("{}", STALE_EDIT % {"who": who, "fields": names}),
        fields=changed,
        current_version=version_token(values),
    )


class VersionField(forms.CharField):
    """The hidden field of an edit form that carries the version it was loaded from.

    Empty (a post from a client that did not load the form) cleans to None: no check, as
    for a bulk action; the pages always send it."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 2000)
        kwargs.setdefault("empty_value", None)
        super().__init__(**kwargs)
