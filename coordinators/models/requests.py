"""A coordinator's questions to a municipality about a case, and the answers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality, NeedCategory

from .cases import Case
from .users import User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


class MunicipalityRequestQuerySet(models.QuerySet["MunicipalityRequest"]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        """Requests a user may see: those on visible cases, or to the specialist's municipality."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.is_municipal_specialist:
            return self.filter(municipality_id=user.municipality_id)
        return self.filter(case__in=Case.objects.visible_to(user))


class MunicipalityRequest(models.Model):
    """A coordinator's question to a municipality about one need of a case, and its answer."""

    class Status(models.TextChoices):
        OPEN = "open", _("waiting for an answer")
        ANSWERED = "answered", _("answered")
        WITHDRAWN = "withdrawn", _("withdrawn")

    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="municipality_requests",
        verbose_name=_("case"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("municipality"),
    )
    need = models.ForeignKey(
        NeedCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("need")
    )
    question = models.TextField(_("question"))
    share_contact_details = models.BooleanField(
        _("share the person's contact details"), default=False
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asked by"),
    )
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    # The answer is wanted by this day; the worker reminds the specialists once when it
    # passes (coordinators.tasks.request_reminders_send).
    due_on = models.DateField(_("answer wanted by"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawn_note = models.CharField(_("why withdrawn"), max_length=300, blank=True)

    objects = MunicipalityRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("municipality request")
        verbose_name_plural = _("municipality requests")
        indexes = [
            models.Index(fields=["municipality", "status"]),
            models.Index(fields=["case", "created_at"]),
            # The open questions of a coordinator's cases, counted on the dashboard.
            models.Index(
                fields=["case"], condition=Q(status="open"), name="request_open_by_case_idx"
            ),
            # The answers of the last days, counted in the menu's badge on every page.
            models.Index(
                fields=["answered_at"],
                condition=Q(status="answered"),
                name="request_answered_at_idx",
            ),
        ]

    def __str__(self):
        return f"{self.municipality}: {self.need}"
