from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.urls import absolute_url
from outbox.models import Email
from outbox.services import email_enqueue


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("6-digit code from your authenticator app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the mail goes through the outbox (stored, retried), and its
    link is on PORTAL_URL: Django's own `protocol` and `domain` come from the request's Host
    header, which the person asking for the reset (anybody) chooses."""

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email,
        html_email_template_name=None,
    ):  # fmt: skip
        link = reverse(
            "accounts:password_reset_confirm",
            kwargs={"uidb64": context["uid"], "token": context["token"]},
        )
        context = {**context, "reset_url": absolute_url(link)}
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        email_enqueue(to=to_email, subject=subject, body=body, purpose=Email.Purpose.PASSWORD_RESET)
