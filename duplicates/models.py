"""A probable duplicate: two cases whose people look like one person (name, phone, e-mail).

A pair is found when a case is created (`duplicates.services.duplicates_detect`) and stays
until a coordinator merges the two people or says they are not the same; a dismissed pair
is remembered, so the same two people are not flagged again. The row holds the reasons as
codes and the score, never a copy of what matched (a name, a number): erasure has nothing
to find here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordinators.models import Case

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from coordinators.models import User


class Reason(models.TextChoices):
    NAME = "name", _("the same name (diacritics and surname endings aside)")
    PHONE = "phone", _("the same phone number")
    EMAIL = "email", _("the same e-mail address before @")


class DuplicateCandidateQuerySet(models.QuerySet["DuplicateCandidate"]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        """Pairs whose two cases the user may both see (`Case.objects.visible_to`)."""
        visible = Case.objects.visible_to(user).values("pk")
        return self.filter(case_a__in=visible, case_b__in=visible)

    def open(self) -> Self:
        return self.filter(status=DuplicateCandidate.Status.OPEN)

    def of_case(self, case: Case) -> Self:
        return self.filter(Q(case_a=case) | Q(case_b=case))


class DuplicateCandidate(models.Model):
    """Two cases that probably belong to one person; case_a is the older (lower id)."""

    class Status(models.TextChoices):
        OPEN = "open", _("to check")
        MERGED = "merged", _("merged")
        DISMISSED = "dismissed", _("not the same person")

    case_a = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="+", verbose_name=_("case")
    )
    case_b = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="+", verbose_name=_("other case")
    )
    reasons = models.JSONField(_("reasons"), default=list)
    score = models.PositiveSmallIntegerField(_("score"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("found"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    objects = DuplicateCandidateQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "-created_at"]
        verbose_name = _("probable duplicate")
        verbose_name_plural = _("probable duplicates")
        constraints = [
            models.UniqueConstraint(fields=["case_a", "case_b"], name="duplicate_pair_unique"),
            models.CheckConstraint(
                condition=Q(case_a__lt=F("case_b")), name="duplicate_pair_ordered"
            ),
        ]
        indexes = [models.Index(fields=["status", "-score"], name="duplicate_status_idx")]

    def __str__(self):
        return f"{self.case_a_id} ~ {self.case_b_id}"

    @property
    def reason_labels(self) -> list[str]:
        return [str(Reason(code).label) for code in self.reasons if code in Reason.values]

    def other_case(self, case: Case) -> Case:
        return self.case_b if case.pk == self.case_a_id else self.case_a
