"""The case list's bulk actions: assign or move the ticked cases."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from coordinators.models import Case, User
from coordinators.selectors.cases import coordinators_for
from coordinators.services.pipeline import CLOSED_REASON_REQUIRED


class BulkActionForm(forms.Form):
    """Assign or move the ticked cases of the list."""

    ACTION_CHOICES = [("assign", _("Assign to")), ("status", _("Change status to"))]

    cases: forms.ModelMultipleChoiceField[Case] = forms.ModelMultipleChoiceField(
        queryset=None, to_field_name="reference", error_messages={"required": _("Tick cases.")}
    )
    action = forms.ChoiceField(choices=ACTION_CHOICES)
    coordinator: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Coordinator"), required=False, queryset=None, empty_label=_("nobody")
    )
    to_status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", "—"), *Case.Status.choices]
    )
    closed_reason = forms.ChoiceField(
        label=_("Closing reason"),
        required=False,
        choices=[("", "—"), *Case.ClosedReason.choices],
    )

    def __init__(self, *args, cases, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The scoping rule again: a reference of a case the user cannot see is invalid.
        self.fields["cases"].queryset = cases
        self.fields["coordinator"].queryset = coordinators_for(user=user)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "status":
            if not cleaned.get("to_status"):
                self.add_error("to_status", _("Choose the new status."))
            elif cleaned["to_status"] == Case.Status.CLOSED and not cleaned.get("closed_reason"):
                self.add_error("closed_reason", CLOSED_REASON_REQUIRED)
        return cleaned
