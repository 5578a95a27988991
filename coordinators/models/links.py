"""The person's personal link: the only way into the returnee's page (`returnee/`).

The link's token is stored as its SHA-256 only: whoever reads the database (or a backup)
cannot open anyone's page. One link opens one person's page, until it expires or a
coordinator revokes it; every mail to the person carries a fresh one.
"""

from __future__ import annotations

import datetime
from typing import Self

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .people import Returnee


class PersonalLinkQuerySet(models.QuerySet["PersonalLink"]):
    def usable(self, now: datetime.datetime | None = None) -> Self:
        """Links that still open the page: not revoked, not expired."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class PersonalLink(models.Model):
    """A signed way in for one person: the hash of a random token, an expiry, a revocation."""

    returnee = models.ForeignKey(
        Returnee,
        on_delete=models.CASCADE,
        related_name="personal_links",
        verbose_name=_("returnee"),
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = PersonalLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("personal link")
        verbose_name_plural = _("personal links")
        indexes = [models.Index(fields=["returnee", "expires_at"])]
        constraints = [
            models.CheckConstraint(
                name="personal_link_expires_after_creation",
                condition=Q(expires_at__gt=models.F("created_at")),
            )
        ]

    def __str__(self):
        return f"{self.returnee_id} {self.created_at:%d.%m.%Y}"
