from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Staff account security: two-factor authentication (django-otp) and password reset."""

    name = "accounts"
    verbose_name = _("Accounts")
