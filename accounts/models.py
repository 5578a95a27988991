"""Enrolment links: how a national administrator gets to set up a second factor."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EnrolmentLink(models.Model):
    """A one-time, 24-hour permission for one user to set up their authenticator app, made
    by another national administrator (or by `manage.py enrolment_link` for the first one),
    so that a password alone never enrols a second factor. The link carries a signed token;
    only the hash of its random part is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("for"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("made by"),
    )
    nonce_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("made"))
    expires_at = models.DateTimeField(_("valid until"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment link")
        verbose_name_plural = _("enrolment links")

    def __str__(self):
        return f"{self.user_id} {self.created_at:%d.%m.%Y %H:%M}"
