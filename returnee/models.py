"""Documents the person uploads on their page (diplomas, certificates)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def document_path(document: ReturneeDocument, filename: str) -> str:
    """Storage names carry a random id only: never the person's name or the file's name."""
    return f"returnee-documents/{document.pk}"


class ReturneeDocument(models.Model):
    """A file the person uploaded for their case; its type detected from the content."""

    class Kind(models.TextChoices):
        PDF = "application/pdf", "PDF"
        JPEG = "image/jpeg", "JPEG"
        PNG = "image/png", "PNG"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "coordinators.Case",
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("case"),
    )
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"))
    content_type = models.CharField(_("type"), max_length=40, choices=Kind.choices)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    from_person = models.BooleanField(_("by the person"), default=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["case", "uploaded_at"])]

    def __str__(self):
        return f"{self.case_id} {self.uploaded_at:%d.%m.%Y}"
