"""Sends staff who must use two-factor authentication to enter their code (or set it up)
before any other page. Logging out, changing language, static files and /healthz (a
monitor's poll, never a person's session) stay reachable."""

from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django_otp import user_has_device

from .services import two_factor_required

# URL names reachable before the second factor: the 2FA pages themselves, any logout.
OPEN_URL_NAMES = {
    "two_factor_setup", "two_factor_verify", "two_factor_enrol", "logout", "set_language",
    "healthz",
}  # fmt: skip


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not self.is_open(request.path_info)
            and two_factor_required(user)
        ):
            if user_has_device(user, confirmed=True):
                return redirect("accounts:two_factor_verify")
            return redirect("accounts:two_factor_setup")
        return self.get_response(request)

    @staticmethod
    def is_open(path):
        if path.startswith("/static/"):
            return True
        try:
            return resolve(path).url_name in OPEN_URL_NAMES
        except Resolver404:
            return False
