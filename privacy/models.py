"""The record that a person's identifying data was erased (GDPR art. 17), and the exports of
a person's data (GDPR art. 15) that the worker builds."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.prepared_files import PreparedFile, PreparedFileQuerySet

if TYPE_CHECKING:
    from coordinators.models import User


class Erasure(models.Model):
    """A returnee whose identifying data is gone; the case skeleton stays for statistics."""

    class Reason(models.TextChoices):
        REQUEST = "request", _("the person's request")
        RETENTION = "retention", _("retention period ended")
        # The person's second record, merged into the first (duplicates.services).
        MERGE = "merge", _("merged into the person's other record")

    returnee = models.OneToOneField(
        "coordinators.Returnee",
        on_delete=models.PROTECT,
        related_name="erasure",
        verbose_name=_("returnee"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    erased_at = models.DateTimeField(_("erased at"), default=timezone.now)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erased by"),
    )

    class Meta:
        ordering = ["-erased_at"]
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")

    def __str__(self):
        return f"{self.returnee_id} {self.erased_at:%d.%m.%Y}"


class DataExportQuerySet(PreparedFileQuerySet["DataExport"]):
    def downloadable_by(self, user: User) -> Self:
        """The requester's own exports; every export for a national administrator."""
        return self if user.is_national_admin else self.filter(requested_by=user)


class DataExport(PreparedFile):
    """A person's data (GDPR access request) as a ZIP: asked for on the case's personal-data
    page, built by the worker (`privacy.tasks`), downloadable for 24 hours by whoever asked.
    Addressed by a random UUID, never by anything about the person."""

    case = models.ForeignKey(
        "coordinators.Case",
        on_delete=models.CASCADE,
        related_name="data_exports",
        verbose_name=_("case"),
    )
    # The requester's address, for the audit record written when the worker builds the ZIP.
    requested_from = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    objects = DataExportQuerySet.as_manager()

    class Meta(PreparedFile.Meta):
        verbose_name = _("personal data export")
        verbose_name_plural = _("personal data exports")
        indexes = [models.Index(fields=["case", "requested_by", "created_at"])]

    def __str__(self):
        return f"{self.case_id} {self.created_at:%d.%m.%Y %H:%M}"
