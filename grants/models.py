"""The grant competition "Remigrācijas sekmēšanas pakalpojumi pašvaldībās": a region's call,
the municipalities' applications with activities and budget lines, the committee's scores,
conflict-of-interest declarations and the decision."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.prepared_files import PreparedFile, PreparedFileQuerySet
from municipalities.models import Municipality, PlanningRegion

if TYPE_CHECKING:
    from coordinators.models import User

DEFAULT_MAXIMUM = Decimal("10000.00")


def money(verbose_name, **kwargs) -> models.DecimalField:
    """An amount in EUR (Decimal, cents at most, never negative)."""
    return models.DecimalField(
        verbose_name, max_digits=12, decimal_places=2,
        validators=[MinValueValidator(Decimal(0))], **kwargs,
    )  # fmt: skip


class ActivityKind(models.TextChoices):
    """What the programme funds (the competition's eligible activities)."""

    INFORMING = "informing", _("informing the diaspora")
    SEMINARS = "seminars", _("seminars")
    VISITS = "visits", _("visits to the diaspora")
    MATERIALS = "materials", _("information materials")
    TRAINING = "training", _("training municipal staff")


class CallQuerySet(models.QuerySet["Call"]):
    def visible_to(self, user: User) -> CallQuerySet:
        """The one rule for who sees a call: national administrators all; a regional
        coordinator their region's; a municipal specialist their municipality's region's;
        anybody else (an analyst, a coordinator of another region) only the calls whose
        committee they sit on."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_national_admin:
            return self.all()
        scope = Q(committee__user=user)
        if user.is_regional_coordinator and user.planning_region_id:
            scope |= Q(planning_region_id=user.planning_region_id)
        if user.is_municipal_specialist and user.municipality_id:
            scope |= Q(planning_region__municipalities__id=user.municipality_id)
        return self.filter(pk__in=self.filter(scope).values("pk"))

    def managed_by(self, user: User) -> CallQuerySet:
        """The calls a user may create and edit: national administrators and the region's
        coordinators."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_national_admin:
            return self.all()
        if user.is_regional_coordinator and user.planning_region_id:
            return self.filter(planning_region_id=user.planning_region_id)
        return self.none()


class Call(models.Model):
    """A call for applications of one planning region, with its budget and deadline."""

    title = models.CharField(_("title"), max_length=200)
    planning_region = models.ForeignKey(
        PlanningRegion,
        on_delete=models.PROTECT,
        related_name="grant_calls",
        verbose_name=_("planning region"),
    )
    total_budget = money(
        _("total budget (EUR)"),
    )
    maximum_per_municipality = money(
        _("maximum per municipality (EUR)"),
        default=DEFAULT_MAXIMUM,
    )
    deadline = models.DateTimeField(_("deadline"))
    activity_kinds = models.JSONField(_("eligible activities"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_note = models.TextField(_("decision"), blank=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-deadline", "-id"]
        verbose_name = _("grant call")
        verbose_name_plural = _("grant calls")
        constraints = [
            models.CheckConstraint(
                name="grant_call_maximum_within_budget",
                condition=Q(maximum_per_municipality__lte=models.F("total_budget")),
            ),
        ]

    def __str__(self):
        return self.title

    def is_open(self, now=None) -> bool:
        return (now or timezone.now()) < self.deadline

    @property
    def activity_kind_labels(self) -> list[str]:
        labels = dict(ActivityKind.choices)
        return [str(labels.get(kind, kind)) for kind in self.activity_kinds]

    def chair(self) -> User | None:
        member = self.committee.filter(is_chair=True).select_related("user").first()
        return member.user if member else None


class Criterion(models.Model):
    """A scoring criterion of a call: a score from 0 to `max_score`, counted times `weight`."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=200)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_score = models.PositiveSmallIntegerField(
        _("highest score"), default=5, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self):
        return self.name


class CommitteeMember(models.Model):
    """A user on a call's evaluation committee; exactly one is the chair."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="committee")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grant_committees"
    )
    is_chair = models.BooleanField(_("chair"), default=False)

    class Meta:
        ordering = ["-is_chair", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "user"], name="grant_committee_member_once"),
            models.UniqueConstraint(
                fields=["call"], condition=Q(is_chair=True), name="grant_committee_one_chair"
            ),
        ]

    def __str__(self):
        return str(self.user)


class ApplicationQuerySet(models.QuerySet["Application"]):
    def visible_to(self, user: User) -> ApplicationQuerySet:
        """The one rule for who sees an application: a municipality its own; the committee
        the submitted ones of the calls they sit on; a region's coordinators and national
        administrators every application of the calls they manage."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_national_admin:
            return self.all()
        scope = Q(call__committee__user=user, status__in=Application.SUBMITTED_STATUSES)
        if user.is_regional_coordinator and user.planning_region_id:
            scope |= Q(call__planning_region_id=user.planning_region_id)
        if user.is_municipal_specialist and user.municipality_id:
            scope |= Q(municipality_id=user.municipality_id)
        return self.filter(pk__in=self.filter(scope).values("pk"))


class Application(models.Model):
    """A municipality's application to a call: a draft until submitted, then scored, then
    awarded (a sum) or not funded."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        AWARDED = "awarded", _("funded")
        REJECTED = "rejected", _("not funded")

    SUBMITTED_STATUSES = (Status.SUBMITTED, Status.AWARDED, Status.REJECTED)

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="grant_applications"
    )
    title = models.CharField(_("project title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    awarded_amount = money(
        _("awarded (EUR)"),
        null=True,
        blank=True,
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["municipality__name", "id"]
        verbose_name = _("grant application")
        verbose_name_plural = _("grant applications")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "municipality"], name="grant_application_one_per_municipality"
            ),
        ]
        indexes = [models.Index(fields=["call", "status"])]

    def __str__(self):
        return self.title

    def requested_total(self) -> Decimal:
        total = BudgetLine.objects.filter(activity__application=self).aggregate(s=Sum("amount"))
        return total["s"] or Decimal("0.00")


class Activity(models.Model):
    """One activity of an application; after an award, its report (done, spent, reach)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("activity"), max_length=200)
    planned_start = models.DateField(_("planned from"))
    planned_end = models.DateField(_("planned to"))
    expected_reach = models.PositiveIntegerField(_("expected reach (people)"), default=0)
    # The report back, filled by the municipality after the award.
    done = models.BooleanField(_("done"), default=False)
    spent = money(
        _("spent (EUR)"),
        null=True,
        blank=True,
    )
    people_reached = models.PositiveIntegerField(_("people reached"), null=True, blank=True)
    events_held = models.PositiveIntegerField(_("events held"), null=True, blank=True)
    # The portal's events it held (the call's region's), and in words any others.
    events = models.ManyToManyField(
        "events.Event", blank=True, related_name="grant_activities", verbose_name=_("events")
    )
    reported_events = models.TextField(_("events (which, where)"), blank=True)
    reported_at = models.DateTimeField(_("reported"), null=True, blank=True)

    class Meta:
        ordering = ["planned_start", "id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                name="grant_activity_dates_in_order",
                condition=Q(planned_end__gte=models.F("planned_start")),
            ),
        ]

    def __str__(self):
        return self.title


class BudgetLine(models.Model):
    """A cost of an activity, in EUR."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="budget_lines")
    description = models.CharField(_("cost item"), max_length=200)
    amount = money(
        _("amount (EUR)"),
    )

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.description}: {self.amount}"


class ConflictDeclaration(models.Model):
    """A committee member's declared conflict of interest: they do not score the application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="conflicts")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("reason"), max_length=300, blank=True)
    declared_at = models.DateTimeField(_("declared"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "member"], name="grant_conflict_once_per_member"
            ),
        ]

    def __str__(self):
        return f"{self.member}: {self.application}"


class Score(models.Model):
    """One member's score of one application on one criterion."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scores")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField(_("score"))
    scored_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "member", "criterion"], name="grant_score_once"
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"


class CallExportQuerySet(PreparedFileQuerySet["CallExport"]):
    """The shared expiry, pending and pruning rules (common.prepared_files)."""


class CallExport(PreparedFile):
    """A call's PDF (applications, scores, decision), made by the worker for who asked."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="exports")
    language = models.CharField(_("language"), max_length=10)

    objects = CallExportQuerySet.as_manager()

    class Meta(PreparedFile.Meta):
        verbose_name = _("grant call PDF")
        verbose_name_plural = _("grant call PDFs")
        indexes = [models.Index(fields=["requested_by", "call"])]

    def __str__(self):
        return f"{self.call_id} {self.created_at:%d.%m.%Y %H:%M}"
