"""A user's saved view of the case list: a name and the filters of the list's query string
(never the search text: it is personal data and stays in the session)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordinators.models import User


class SavedView(models.Model):
    """One named set of case-list filters, for one user."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="saved_views", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=60)
    query = models.CharField(_("filters"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_view_unique_name")
        ]

    def __str__(self):
        return self.name
