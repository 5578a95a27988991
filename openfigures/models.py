"""The last computed public figures, so that no request waits for them to be counted."""

from django.db import models
from django.utils import timezone


class FiguresSnapshot(models.Model):
    """The public figures as the worker last computed them (already suppressed: no cell
    under the minimum is stored). One row is kept; figures only, no personal data."""

    data = models.JSONField(default=dict)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        get_latest_by = "computed_at"

    def __str__(self):
        return f"figures of {self.computed_at:%d.%m.%Y %H:%M}"
