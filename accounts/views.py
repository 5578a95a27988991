"""Two-factor set-up and verification, and password reset by e-mail."""

from base64 import b32encode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import FormView
from django_otp import user_has_device

from common.redirects import safe_next_url

from .forms import PasswordResetRequestForm, TokenForm
from .services import (
    WRONG_CODE,
    password_reset_request,
    totp_confirm,
    totp_pending_device,
    totp_qr_svg,
    totp_verify,
)


class TwoFactorSetupView(LoginRequiredMixin, FormView):
    """Scan a QR code with an authenticator app, then enter its first code."""

    template_name = "accounts/two_factor_setup.html"
    form_class = TokenForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and user_has_device(request.user, confirmed=True):
            return redirect("accounts:two_factor_verify")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        device = totp_pending_device(user=self.request.user)
        return super().get_context_data(
            qr_svg=totp_qr_svg(device), secret=b32encode(device.bin_key).decode(), **kwargs
        )

    def form_valid(self, form):
        if not totp_confirm(request=self.request, token=form.cleaned_data["token"]):
            form.add_error("token", WRONG_CODE)
            return self.form_invalid(form)
        messages.success(self.request, _("Two-factor authentication is on."))
        return redirect("/")


class TwoFactorVerifyView(LoginRequiredMixin, FormView):
    """The second step of logging in."""

    template_name = "accounts/two_factor_verify.html"
    form_class = TokenForm

    def form_valid(self, form):
        if not totp_verify(request=self.request, token=form.cleaned_data["token"]):
            form.add_error("token", WRONG_CODE)
            return self.form_invalid(form)
        return redirect(safe_next_url(self.request, self.request.GET.get("next", ""), default="/"))


class PasswordResetView(auth_views.PasswordResetView):
    """Validates the address and leaves the rest to the worker (see password_reset_request)."""

    form_class = PasswordResetRequestForm
    success_url = reverse_lazy("accounts:password_reset_done")
    template_name = "accounts/password_reset_form.html"

    def form_valid(self, form):
        password_reset_request(email=form.cleaned_data["email"], language=get_language())
        return redirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password_reset_complete")
    template_name = "accounts/password_reset_confirm.html"
