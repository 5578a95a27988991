"""One uploaded history file: checked by the worker (a dry run), then imported or discarded.

The stored file, the problems and the preview hold personal data: they are emptied as soon as
the file is imported or discarded, when the person is erased, and after 24 hours unconfirmed
(`imports.services.jobs`). What stays of an imported file is its sha256 and the counts.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from coordinators.models import User


class ImportJobQuerySet(models.QuerySet["ImportJob"]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        """A job is its requester's own: anybody else gets the same 404 as for no job."""
        if not (user.is_authenticated and user.can_import_history):
            return self.none()
        return self.filter(requested_by=user)


class ImportJob(models.Model):
    """One uploaded file of a region's history, from the check to the import."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("being checked")
        INVALID = "invalid", _("has problems")
        READY = "ready", _("ready to import")
        IMPORTING = "importing", _("being imported")
        DONE = "done", pgettext_lazy("state of an import", "imported")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    # The coordinator's region, or the national administrator's default region (None: each
    # row names its own).
    planning_region = models.ForeignKey(
        "municipalities.PlanningRegion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("planning region"),
    )
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    content = models.BinaryField(_("content"), blank=True, default=b"")
    language = models.CharField(_("language"), max_length=10, default="lv")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CHECKING
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_checked = models.PositiveIntegerField(_("rows checked"), default=0)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    expires_at = models.DateTimeField(_("kept until"))
    finished_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("history import")
        verbose_name_plural = _("history imports")
        indexes = [
            models.Index(fields=["requested_by", "created_at"]),
            models.Index(fields=["status", "expires_at"]),
        ]

    def __str__(self):
        return f"{self.file_name} {self.created_at:%d.%m.%Y %H:%M}"

    @property
    def is_working(self) -> bool:
        """The worker is at it: the page refreshes itself."""
        return self.status in (self.Status.CHECKING, self.Status.IMPORTING)
