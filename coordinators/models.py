"""Staff users, returnees and their households, cases and everything that happens on a case.

A case changes status only through `coordinators.services.case_transition`, which checks
`ALLOWED_TRANSITIONS` and writes a `CaseEvent` in the same transaction.
"""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from common.validators import validate_phone
from municipalities.models import Municipality, NeedCategory, PlanningRegion

ROLE_NEEDS_REGION = _("A regional coordinator or analyst must belong to a planning region.")
ROLE_NEEDS_MUNICIPALITY = _("A municipal specialist must belong to a municipality.")
MUNICIPALITY_OUTSIDE_REGION = _("The municipality does not belong to the chosen planning region.")
CLOSED_NEEDS_REASON = _("A closed case needs a closing reason.")


class User(AbstractUser):
    """A member of staff. The role and the region or municipality decide what they may see."""

    class Role(models.TextChoices):
        NATIONAL_ADMIN = "national_admin", _("national administrator")
        REGIONAL_COORDINATOR = "regional_coordinator", _("regional coordinator")
        MUNICIPAL_SPECIALIST = "municipal_specialist", _("municipal remigration specialist")
        REGIONAL_ANALYST = "regional_analyst", _("planning-region analyst")

    role = models.CharField(_("role"), max_length=30, choices=Role.choices, blank=True)
    planning_region = models.ForeignKey(
        PlanningRegion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("planning region"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("municipality"),
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True, validators=[validate_phone])

    class Meta:
        verbose_name = _("staff user")
        verbose_name_plural = _("staff users")
        constraints = [
            models.CheckConstraint(
                name="user_region_for_regional_roles",
                condition=~Q(role__in=["regional_coordinator", "regional_analyst"])
                | Q(planning_region__isnull=False),
                violation_error_message=ROLE_NEEDS_REGION,
            ),
            models.CheckConstraint(
                name="user_municipality_for_specialist",
                condition=~Q(role="municipal_specialist") | Q(municipality__isnull=False),
                violation_error_message=ROLE_NEEDS_MUNICIPALITY,
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.get_username()

    @property
    def is_national_admin(self):
        return self.is_superuser or self.role == self.Role.NATIONAL_ADMIN

    @property
    def is_regional_coordinator(self):
        return self.role == self.Role.REGIONAL_COORDINATOR

    @property
    def is_municipal_specialist(self):
        return self.role == self.Role.MUNICIPAL_SPECIALIST

    @property
    def is_regional_analyst(self):
        return self.role == self.Role.REGIONAL_ANALYST

    # What a role may do: views, the menu and reports ask these, never the roles themselves.

    @property
    def can_work_cases(self):
        """Case pages and personal data: national administrators and regional coordinators."""
        return self.is_active and (self.is_national_admin or self.is_regional_coordinator)

    @property
    def can_answer_requests(self):
        """The municipality-request pages: specialists answer, national administrators look on."""
        return self.is_active and (self.is_municipal_specialist or self.is_national_admin)

    @property
    def can_see_reports(self):
        """Aggregate figures: national administrators, and a region's coordinators and analysts."""
        return self.is_active and (
            self.is_national_admin
            or (
                (self.is_regional_coordinator or self.is_regional_analyst)
                and self.planning_region_id is not None
            )
        )


class Language(models.TextChoices):
    LATVIAN = "lv", _("Latvian")
    ENGLISH = "en", _("English")
    RUSSIAN = "ru", _("Russian")


class ReturneeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Returnees with at least one case the user may see (national admins: everyone)."""
        if user.is_authenticated and user.is_active and user.is_national_admin:
            return self
        visible_cases = Case.objects.visible_to(user).filter(returnee=OuterRef("pk"))
        return self.filter(Exists(visible_cases))


class Returnee(models.Model):
    """A person abroad who considers returning to Latvia (or has returned)."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True, validators=[validate_phone])
    country = CountryField(_("country of residence"), blank=True)
    town = models.CharField(_("town of residence"), max_length=100, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.LATVIAN
    )
    consent_given_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_version = models.CharField(_("consent text version"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ReturneeQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("returnee")
        verbose_name_plural = _("returnees")
        constraints = [
            # One person, one record: the contact form finds the returnee by e-mail.
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="returnee_unique_email"
            ),
        ]
        indexes = [models.Index(fields=["last_name", "first_name"])]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    def clean(self):
        self.email = self.email.strip().lower()


class HouseholdMember(models.Model):
    """Someone who would move with the returnee; only relation and birth year, no names."""

    class Relation(models.TextChoices):
        PARTNER = "partner", _("spouse or partner")
        CHILD = "child", _("child")
        PARENT = "parent", _("parent")
        OTHER = "other", _("other relative")

    returnee = models.ForeignKey(
        Returnee, on_delete=models.CASCADE, related_name="household", verbose_name=_("returnee")
    )
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )

    class Meta:
        ordering = ["returnee", "relation", "birth_year"]
        verbose_name = _("household member")
        verbose_name_plural = _("household members")

    def __str__(self):
        return f"{self.get_relation_display()} ({self.birth_year or '?'})"


class ReferenceSequence(models.Model):
    """The last case number handed out for one prefix and year (KUR-2026-00042)."""

    prefix = models.CharField(max_length=3)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="reference_sequence_unique")
        ]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last_number}"


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one rule of who sees which case; every view, export and admin uses it.

        National administrators see all; a regional coordinator sees their region's cases
        and the national queue of undecided contacts; everybody else sees none.
        """
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.is_national_admin:
            return self
        if user.is_regional_coordinator:
            return self.filter(
                Q(planning_region_id=user.planning_region_id) | Q(planning_region__isnull=True)
            )
        return self.none()

    def open(self):
        return self.exclude(status__in=Case.FINAL_STATUSES)


class Case(models.Model):
    """One person's way home: from the first contact to the return or closing."""

    class Status(models.TextChoices):
        NEW = "new", _("new")
        CONTACTED = "contacted", _("contacted")
        NEEDS_ASSESSED = "needs_assessed", _("needs assessed")
        OFFER_PREPARATION = "offer_preparation", _("offer in preparation")
        OFFER_SENT = "offer_sent", _("offer sent")
        DECIDED_TO_RETURN = "decided_to_return", _("decided to return")
        RETURNED = "returned", _("returned")
        CLOSED = "closed", _("closed")

    class ClosedReason(models.TextChoices):
        NO_RESPONSE = "no_response", _("no response")
        NOT_RETURNING = "not_returning", _("not returning")
        OTHER = "other", _("other")

    class Source(models.TextChoices):
        CONTACT_FORM = "contact_form", _("contact form")
        EMAIL = "email", _("e-mail")
        PHONE = "phone", _("phone")
        EVENT = "event", _("event")
        OTHER = "other", _("other")

    class Timeframe(models.TextChoices):
        WITHIN_6_MONTHS = "within_6_months", _("within 6 months")
        MONTHS_6_12 = "6_12_months", _("in 6–12 months")
        YEARS_1_2 = "1_2_years", _("in 1–2 years")
        NOT_SURE = "not_sure", _("not sure yet")

    FINAL_STATUSES = (Status.RETURNED, Status.CLOSED)

    reference = models.CharField(_("reference number"), max_length=20, unique=True, editable=False)
    returnee = models.ForeignKey(
        Returnee, on_delete=models.PROTECT, related_name="cases", verbose_name=_("returnee")
    )
    planning_region = models.ForeignKey(
        PlanningRegion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("planning region"),
        help_text=_("Empty: not decided yet (the national queue)."),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("municipality of interest"),
    )
    coordinator = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("coordinator"),
        limit_choices_to={"role": User.Role.REGIONAL_COORDINATOR},
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW, editable=False
    )
    closed_reason = models.CharField(
        _("closing reason"), max_length=20, choices=ClosedReason.choices, blank=True, editable=False
    )
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.CONTACT_FORM
    )
    needs = models.ManyToManyField(
        NeedCategory, blank=True, related_name="cases", verbose_name=_("needs")
    )
    timeframe = models.CharField(
        _("planned timeframe"), max_length=20, choices=Timeframe.choices, blank=True
    )
    next_follow_up = models.DateField(_("next follow-up"), null=True, blank=True)
    needs_attention = models.BooleanField(
        _("needs attention"),
        default=False,
        help_text=_("Set when the person wrote again; cleared by the coordinator."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.CheckConstraint(
                name="case_closed_reason_iff_closed",
                condition=(Q(status="closed") & ~Q(closed_reason=""))
                | (~Q(status="closed") & Q(closed_reason="")),
                violation_error_message=CLOSED_NEEDS_REASON,
            ),
        ]
        indexes = [
            models.Index(fields=["planning_region", "status"]),
            models.Index(fields=["coordinator", "status"]),
            models.Index(fields=["status", "next_follow_up"]),
            models.Index(fields=["created_at"]),
        ]

    def __str__(self):
        return self.reference

    def clean(self):
        if (
            self.municipality_id
            and self.planning_region_id
            and self.municipality.planning_region_id != self.planning_region_id
        ):
            raise ValidationError({"municipality": MUNICIPALITY_OUTSIDE_REGION})

    @property
    def is_open(self):
        return self.status not in self.FINAL_STATUSES

    def allowed_next_statuses(self):
        """The statuses this case may move to now, in pipeline order."""
        return ALLOWED_TRANSITIONS[self.status]


S = Case.Status
# The pipeline. A person may return or decide to before an offer is made, so those two are
# reachable from every working status; "closed" is reachable from every open one.
ALLOWED_TRANSITIONS = {
    S.NEW: (S.CONTACTED, S.CLOSED),
    S.CONTACTED: (S.NEEDS_ASSESSED, S.OFFER_PREPARATION, S.DECIDED_TO_RETURN, S.RETURNED, S.CLOSED),
    S.NEEDS_ASSESSED: (S.OFFER_PREPARATION, S.DECIDED_TO_RETURN, S.RETURNED, S.CLOSED),
    S.OFFER_PREPARATION: (
        S.OFFER_SENT,
        S.NEEDS_ASSESSED,
        S.DECIDED_TO_RETURN,
        S.RETURNED,
        S.CLOSED,
    ),
    S.OFFER_SENT: (S.DECIDED_TO_RETURN, S.OFFER_PREPARATION, S.RETURNED, S.CLOSED),
    S.DECIDED_TO_RETURN: (S.RETURNED, S.OFFER_PREPARATION, S.CLOSED),
    S.RETURNED: (S.CLOSED,),
    S.CLOSED: (S.CONTACTED,),  # reopening
}
del S


class CaseEvent(models.Model):
    """An append-only record of a status change, assignment or other step on a case.

    Reports count from these rows, so a report for a past period never changes.
    """

    class Kind(models.TextChoices):
        CREATED = "created", _("created")
        STATUS_CHANGED = "status_changed", _("status changed")
        ASSIGNED = "assigned", _("assigned")
        REGION_CHANGED = "region_changed", _("planning region changed")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    from_value = models.CharField(_("from"), max_length=100, blank=True)
    to_value = models.CharField(_("to"), max_length=100, blank=True)
    # Kept on the event, not only on the case, so a report of closings by reason stays the
    # same after the case is reopened or closed again for another reason.
    closed_reason = models.CharField(
        _("closing reason"), max_length=20, choices=Case.ClosedReason.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        indexes = [
            models.Index(fields=["case", "created_at"]),
            models.Index(fields=["kind", "to_value", "created_at"]),
            # Reports ask "which cases changed to X within the period": with case_id in the
            # index PostgreSQL answers from the index alone (bench/reports.py).
            models.Index(
                fields=["kind", "to_value", "created_at", "case"],
                name="caseevent_status_period_case",
            ),
        ]

    def __str__(self):
        return f"{self.case_id}: {self.kind} {self.from_value} → {self.to_value}"


class Interaction(models.Model):
    """A contact with the person: a call, an e-mail, a meeting, a message through the form."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("phone call")
        EMAIL = "email", _("e-mail")
        VIDEO = "video", _("video call")
        MEETING = "meeting", _("meeting")
        CONTACT_FORM = "contact_form", _("contact form message")
        EVENT = "event", _("event")
        OTHER = "other", _("other")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="interactions", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    occurred_on = models.DateField(_("date"), default=timezone.localdate)
    summary = models.TextField(_("summary"))
    follow_up_on = models.DateField(_("next follow-up"), null=True, blank=True)
    author = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        indexes = [models.Index(fields=["case", "occurred_on"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.occurred_on:%d.%m.%Y}"


class MunicipalityRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
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

    objects = MunicipalityRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("municipality request")
        verbose_name_plural = _("municipality requests")
        indexes = [
            models.Index(fields=["municipality", "status"]),
            models.Index(fields=["case", "created_at"]),
        ]

    def __str__(self):
        return f"{self.municipality}: {self.need}"
