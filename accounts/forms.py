from django import forms
from django.utils.translation import gettext_lazy as _

from coordinators.models import User


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("6-digit code from your authenticator app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class PasswordResetRequestForm(forms.Form):
    """The address to send a reset link to. Only validated here: who has it is looked up by
    the worker (accounts.emails), so the answer takes as long whoever is asked about."""

    email = forms.EmailField(
        label=_("E-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class EnrolmentLinkForm(forms.Form):
    """Whom to mail an enrolment link: a national administrator still without a device."""

    user: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("National administrator"), queryset=None
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = queryset
