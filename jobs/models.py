"""One row per run of a scheduled job and time slot: the unique pair is the lock that lets
several workers share one schedule, and makes a daily job run once a day."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    """A scheduled job claimed for one slot (a minute, a day) by one worker or command."""

    name = models.CharField(_("job"), max_length=60)
    slot = models.CharField(_("slot"), max_length=40)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    ok = models.BooleanField(_("succeeded"), null=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="jobrun_once")]
        indexes = [models.Index(fields=["name", "started_at"])]

    def __str__(self):
        return f"{self.name} {self.slot}"
