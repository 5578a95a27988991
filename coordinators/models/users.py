"""Staff users: the role and the region or municipality decide what each may see and do."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.validators import validate_phone
from municipalities.models import Municipality, PlanningRegion

ROLE_NEEDS_REGION = _("A regional coordinator or analyst must belong to a planning region.")
ROLE_NEEDS_MUNICIPALITY = _("A municipal specialist must belong to a municipality.")
STAFF_ONLY_NATIONAL_ADMINS = _("Only national administrators and superusers reach the admin.")


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
            # The admin is the national administrators' back office (accounts.admin_site);
            # save() derives the flag, this catches a bulk update() that would not.
            models.CheckConstraint(
                name="user_staff_only_national_admins",
                condition=Q(is_staff=False) | Q(role="national_admin") | Q(is_superuser=True),
                violation_error_message=STAFF_ONLY_NATIONAL_ADMINS,
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.get_username()

    def save(self, *args, **kwargs):
        """Derive `is_staff` from the role: nobody sets it by hand, so only national
        administrators and superusers are ever staff."""
        self.is_staff = self.is_superuser or self.role == self.Role.NATIONAL_ADMIN
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"role", "is_superuser"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "is_staff"}
        super().save(*args, **kwargs)

    @property
    def is_national_admin(self) -> bool:
        return self.is_superuser or self.role == self.Role.NATIONAL_ADMIN

    @property
    def is_regional_coordinator(self) -> bool:
        return self.role == self.Role.REGIONAL_COORDINATOR

    @property
    def is_municipal_specialist(self) -> bool:
        return self.role == self.Role.MUNICIPAL_SPECIALIST

    @property
    def is_regional_analyst(self) -> bool:
        return self.role == self.Role.REGIONAL_ANALYST

    # What a role may do: views, the menu and reports ask these, never the roles themselves.

    @property
    def can_work_cases(self) -> bool:
        """Case pages and personal data: national administrators and regional coordinators."""
        return self.is_active and (self.is_national_admin or self.is_regional_coordinator)

    @property
    def can_answer_requests(self) -> bool:
        """The municipality-request pages: specialists answer, national administrators look on."""
        return self.is_active and (self.is_municipal_specialist or self.is_national_admin)

    @property
    def can_import_history(self) -> bool:
        """The history import: a regional coordinator into their region, national
        administrators into any."""
        return self.is_active and (
            self.is_national_admin
            or (self.is_regional_coordinator and self.planning_region_id is not None)
        )

    @property
    def can_see_reports(self) -> bool:
        """Aggregate figures: national administrators, and a region's coordinators and analysts."""
        return self.is_active and (
            self.is_national_admin
            or (
                (self.is_regional_coordinator or self.is_regional_analyst)
                and self.planning_region_id is not None
            )
        )
