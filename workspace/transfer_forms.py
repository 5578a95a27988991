"""The forms of a transfer between regions: propose (or, for a national administrator,
move at once), and the target region's decision."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from common.versions import VersionField
from coordinators.models import Case, User
from municipalities.models import PlanningRegion


class TransferProposeForm(forms.Form):
    """Hand the case to another planning region, with a note for its coordinators."""

    version = VersionField()
    to_region: forms.ModelChoiceField[PlanningRegion] = forms.ModelChoiceField(
        label=_("Planning region"), queryset=None, empty_label="—"
    )
    note = forms.CharField(
        label=_("Note for the other region"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    move_now = forms.BooleanField(
        label=_("Move the case now (no proposal to accept)"), required=False
    )

    def __init__(self, *args, case: Case, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        regions = PlanningRegion.objects.order_by("name")
        if case.planning_region_id:
            regions = regions.exclude(pk=case.planning_region_id)
        self.fields["to_region"].queryset = regions  # type: ignore[attr-defined]
        if not user.is_national_admin:
            del self.fields["move_now"]


class TransferDeclineForm(forms.Form):
    """Why the target region does not take the case."""

    note = forms.CharField(
        label=_("Why the case is declined"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class TransferAcceptForm(forms.Form):
    """An optional note to the proposing region."""

    note = forms.CharField(
        label=_("Note (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )
