"""The national inbox's form: the case a message belongs to, by its reference."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coordinators.models import Case, User

NO_SUCH_CASE = _("There is no case with this reference.")


class AssignForm(forms.Form):
    """A case reference, checked against the cases the user sees."""

    reference = forms.CharField(label=_("Case reference"), max_length=20)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.case: Case | None = None

    def clean_reference(self) -> str:
        reference = self.cleaned_data["reference"].strip().upper()
        self.case = Case.objects.visible_to(self.user).filter(reference=reference).first()
        if self.case is None:
            raise forms.ValidationError(NO_SUCH_CASE)
        return reference
