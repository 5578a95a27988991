"""A file the worker prepares for one person who asked (a data export, a report PDF).

The shape both share: a random UUID (the download URL names nothing about anybody), who
asked, pending → ready or failed, the content, and 24 hours of life. The row is stored when
asked for, built by a task, stored with a conditional UPDATE on `pending` (a row deleted or
finished meanwhile stays so), downloaded by its requester, pruned by a daily job.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Self, TypeVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

M = TypeVar("M", bound="PreparedFile")


class PreparedFileQuerySet(models.QuerySet[M]):
    def current(self, now: datetime.datetime | None = None) -> Self:
        """Not yet expired: an expired file is gone for everybody, pruned or not."""
        return self.filter(expires_at__gt=now or timezone.now())

    def pending(self, pk: object) -> Self:
        """The one row, while it still waits for its content (the conditional UPDATE's set)."""
        return self.filter(pk=pk, status=PreparedFile.Status.PENDING)

    def prune(self, now: datetime.datetime | None = None) -> int:
        """Delete the files past their lifetime (a daily job); how many rows went."""
        deleted, _by_model = self.filter(expires_at__lte=now or timezone.now()).delete()
        return deleted


class PreparedFile(models.Model):
    """The fields every prepared file has; concrete models add what the file is of."""

    class Status(models.TextChoices):
        PENDING = "pending", _("being prepared")
        READY = "ready", _("ready")
        FAILED = "failed", _("could not be prepared")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("requested by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("available until"))
    content = models.BinaryField(_("content"), blank=True, default=b"")

    class Meta:
        abstract = True
        ordering = ["-created_at"]
