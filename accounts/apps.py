from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Staff account security: two-factor authentication (django-otp) and password reset."""

    name = "accounts"
    verbose_name = _("Accounts")


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin whose `admin.site` is the national administrators' site."""

    default = False  # `accounts` in INSTALLED_APPS still means AccountsConfig
    default_site = "accounts.admin_site.NationalAdminSite"
