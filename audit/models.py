"""The audit trail of personal-data access: one row per view, export, download, login."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

APPEND_ONLY = "The audit trail is append-only."


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError(APPEND_ONLY)

    def delete(self):
        raise PermissionError(APPEND_ONLY)


class AuditEntry(models.Model):
    """One thing a person did with personal data, or a login. Holds no personal data itself:
    the object is named by its type, id and case reference."""

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        EXPORT = "export", _("exported")
        DOWNLOAD = "download", _("downloaded")
        ACCESS_REQUEST = "access_request", _("access request answered")
        ERASURE = "erasure", _("erased")
        LOGIN = "login", _("logged in")
        LOGIN_FAILED = "login_failed", _("failed login")
        LOGOUT = "logout", _("logged out")
        SECOND_FACTOR_FAILED = "second_factor_failed", _("wrong second-factor code")
        UPLOAD = "upload", _("uploaded")
        IMPORT = "import", _("imported")
        MERGE = "merge", _("merged (two records of one person)")
        PERIOD_CLOSING = "period_closing", _("reporting period closing asked for")
        PERIOD_CLOSED = "period_closed", _("reporting period closed")
        PERIOD_CLOSE_FAILED = "period_close_failed", _("reporting period closing failed")
        PERIOD_REOPENED = "period_reopened", _("reporting period reopened")

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # Staff are deactivated, not deleted, so their trail stays whole.
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    username = models.CharField(_("login name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    reference = models.CharField(_("case reference"), max_length=20, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.created_at:%d.%m.%Y %H:%M} {self.username} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError(APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(APPEND_ONLY)
