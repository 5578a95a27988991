"""Two-factor set-up and verification, and password reset by e-mail."""

from base64 import b32encode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView
from django_otp import user_has_device

from common import ratelimit
from common.errors import DomainError
from common.redirects import safe_next_url

from .forms import EnrolmentLinkForm, PasswordResetRequestForm, TokenForm
from .selectors import users_awaiting_enrolment
from .services import (
    WRONG_CODE,
    enrolment_allowed,
    enrolment_link_send,
    enrolment_link_use,
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
        if request.user.is_authenticated and not enrolment_allowed(request=request):
            # No QR code, no key, no device: the password alone enrols nothing.
            return render(request, "accounts/two_factor_ask.html")
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


class EnrolmentLinkUseView(LoginRequiredMixin, View):
    """The link another national administrator mailed: once, for its user, within 24 h."""

    http_method_names = ["get"]

    def get(self, request, token):
        if enrolment_link_use(request=request, token=token):
            return redirect("accounts:two_factor_setup")
        return render(request, "accounts/two_factor_ask.html", {"invalid_link": True})


class EnrolmentLinksView(LoginRequiredMixin, UserPassesTestMixin, FormView):
    """For national administrators: mail an enrolment link to another one."""

    template_name = "accounts/enrolment_links.html"
    form_class = EnrolmentLinkForm

    def test_func(self):
        return self.request.user.is_national_admin

    def get_form_kwargs(self):
        queryset = users_awaiting_enrolment(user=self.request.user)
        return {**super().get_form_kwargs(), "queryset": queryset}

    def form_valid(self, form):
        user = form.cleaned_data["user"]
        try:
            enrolment_link_send(user=user, created_by=self.request.user)
        except DomainError as error:
            form.add_error("user", error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("The link is sent to %(user)s.") % {"user": user})
        return redirect("accounts:enrolment_links")


class TwoFactorVerifyView(LoginRequiredMixin, FormView):
    """The second step of logging in."""

    template_name = "accounts/two_factor_verify.html"
    form_class = TokenForm

    def form_valid(self, form):
        if not totp_verify(request=self.request, token=form.cleaned_data["token"]):
            form.add_error("token", WRONG_CODE)
            return self.form_invalid(form)
        return redirect(safe_next_url(self.request, self.request.GET.get("next", ""), default="/"))


RESET_RATE_LIMITED = gettext_lazy(
    "Several reset links were asked for from your connection in a short time. Please try "
    "again in an hour, or ask your planning region's administrator."
)


class PasswordResetView(auth_views.PasswordResetView):
    """Validates the address and leaves the rest to the worker (see password_reset_request)."""

    form_class = PasswordResetRequestForm
    success_url = reverse_lazy("accounts:password_reset_done")
    template_name = "accounts/password_reset_form.html"

    def form_valid(self, form):
        if client_over_limit(self.request):
            form.add_error(None, RESET_RATE_LIMITED)
            response = self.form_invalid(form)
            response.status_code = 429
            response["Retry-After"] = str(settings.PASSWORD_RESET_RATE_WINDOW_SECONDS)
            return response
        email = form.cleaned_data["email"]
        if not address_over_limit(email):
            password_reset_request(email=email, language=get_language())
        return redirect(self.get_success_url())


def client_over_limit(request) -> bool:
    return ratelimit.client_over_limit(
        request,
        scope="password-reset-client",
        limit=settings.PASSWORD_RESET_RATE_LIMIT,
        window=settings.PASSWORD_RESET_RATE_WINDOW_SECONDS,
    )


def address_over_limit(email: str) -> bool:
    return ratelimit.rate_limit_exceeded(
        scope="password-reset-address",
        identity=email.strip().lower(),
        limit=settings.PASSWORD_RESET_ADDRESS_LIMIT,
        window=settings.PASSWORD_RESET_RATE_WINDOW_SECONDS,
    )


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password_reset_complete")
    template_name = "accounts/password_reset_confirm.html"
