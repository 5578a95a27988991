"""The merge page's form: which of the two people's records stays, and the pair's version."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from common.versions import VersionField
from duplicates.models import DuplicateCandidate


class MergeForm(forms.Form):
    """Merging is final: the person to keep, and a tick that the two were compared."""

    survivor = forms.TypedChoiceField(
        label=_("Keep the record of"), coerce=int, widget=forms.RadioSelect
    )
    confirm = forms.BooleanField(
        label=_("I have compared the two and they are the same person. Merge them."),
        required=True,
    )
    version = VersionField()

    def __init__(self, *args, candidate: DuplicateCandidate, **kwargs):
        super().__init__(*args, **kwargs)
        cases = (candidate.case_a, candidate.case_b)
        survivor = cast(forms.ChoiceField, self.fields["survivor"])
        survivor.choices = [
            (case.returnee_id, f"{case.returnee.full_name} ({case.reference})") for case in cases
        ]
        # The older record by default: its reference is the one people know.
        survivor.initial = min(cases, key=lambda case: case.returnee_id).returnee_id


class DismissForm(forms.Form):
    version = VersionField()
