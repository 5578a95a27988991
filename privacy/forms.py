from django import forms
from django.utils.translation import gettext_lazy as _

WRONG_CONFIRMATION = _("Type the case reference exactly as shown to confirm.")


class ErasureForm(forms.Form):
    """Erasure cannot be undone: the user retypes the case reference to confirm."""

    confirmation = forms.CharField(label=_("Type the case reference to confirm"), max_length=20)

    def __init__(self, *args, reference, **kwargs):
        super().__init__(*args, **kwargs)
        self.reference = reference

    def clean_confirmation(self):
        value = self.cleaned_data["confirmation"].strip().upper()
        if value != self.reference:
            raise forms.ValidationError(WRONG_CONFIRMATION)
        return value
