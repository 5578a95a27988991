"""The record that a person's identifying data was erased (GDPR art. 17)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Erasure(models.Model):
    """A returnee whose identifying data is gone; the case skeleton stays for statistics."""

    class Reason(models.TextChoices):
        REQUEST = "request", _("the person's request")
        RETENTION = "retention", _("retention period ended")

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
