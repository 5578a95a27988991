"""The back-office of the national administrators (accounts.admin_site lets nobody else in).

The admin never writes what the workspace could not: a change that must leave history (who
works a case, its region, its status, a person's consent, a request's answer) is read-only
here, and the rows that hang off a case (interactions, requests, events, offers) are made in
the workspace through the services, so here they are view-only. Nothing that erasure owns is
deleted here. Every read of a person's data is audited (audit.admin_reads).
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from audit.admin_reads import AuditedReadsMixin
from audit.spreadsheets import PersonalDataExportAdmin
from common.admin import ReadOnlyAdminMixin

from .models import (
    Case,
    CaseEvent,
    HouseholdMember,
    Interaction,
    MunicipalityRequest,
    Returnee,
    User,
)
from .resources import CaseResource, ReturneeResource


class CaseScopedAdminMixin:
    """Limits an admin of rows hanging off a case to the cases the user may see."""

    case_path = "case"

    def get_queryset(self, request):
        visible = Case.objects.visible_to(request.user)
        return super().get_queryset(request).filter(**{f"{self.case_path}__in": visible})


class ViewOnlyInlineMixin:
    """Rows shown on their parent's page, never added, edited or removed there."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ViewOnlyInlineMixin, admin.TabularInline):
    """History rows: shown on the case, never edited or removed."""


class NoDeleteAdminMixin:
    """Erasure on the case's personal-data page is the only way a person's data goes."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "role", "planning_region"]
    list_filter = ["role", "planning_region", "is_active", "is_staff"]
    list_select_related = ["planning_region"]
    autocomplete_fields = ["planning_region", "municipality"]
    # Django's own fieldsets (a tuple, typed as optional like any ModelAdmin's), then ours.
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Role"), {"fields": ("role", "planning_region", "municipality", "phone")}),
    )
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (
        (_("Role"), {"fields": ("role", "planning_region", "municipality")}),
    )

    # A superuser's account, its password included, is changed by a superuser only: a
    # national administrator cannot take it over.
    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        # The role decides who is staff (User.save); only a superuser makes another one.
        fields = [*super().get_readonly_fields(request, obj), "is_staff"]
        return fields if request.user.is_superuser else [*fields, "is_superuser"]


class HouseholdMemberInline(NoDeleteAdminMixin, admin.TabularInline):
    model = HouseholdMember
    extra = 0
    can_delete = False


@admin.register(Returnee)
class ReturneeAdmin(NoDeleteAdminMixin, PersonalDataExportAdmin):
    resource_classes = [ReturneeResource]
    list_display = [
        "last_name",
        "first_name",
        "email",
        "country",
        "preferred_language",
        "created_at",
    ]
    list_filter = ["preferred_language", "country"]
    search_fields = ["first_name", "last_name", "email", "phone"]
    # Consent is what the person gave on the form; no one gives it for them.
    readonly_fields = ["consent_given_at", "consent_version", "created_at", "updated_at"]
    inlines = [HouseholdMemberInline]

    def get_queryset(self, request):
        return Returnee.objects.visible_to(request.user)

    def has_add_permission(self, request):
        # A person comes with their case: the contact form, the workspace's "new case".
        return False


CASE_EVENT_FIELDS = ("created_at", "kind", "from_value", "to_value", "actor", "note")


class CaseEventInline(ReadOnlyInline):
    model = CaseEvent
    fields = CASE_EVENT_FIELDS
    readonly_fields = CASE_EVENT_FIELDS


class InteractionInline(ViewOnlyInlineMixin, admin.StackedInline):
    model = Interaction
    fields = [("kind", "occurred_on", "follow_up_on"), "summary", "author"]


class MunicipalityRequestInline(ViewOnlyInlineMixin, admin.StackedInline):
    model = MunicipalityRequest
    fields = [("municipality", "need", "status"), "question", "answer", "share_contact_details"]


@admin.register(Case)
class CaseAdmin(NoDeleteAdminMixin, PersonalDataExportAdmin):
    resource_classes = [CaseResource]
    list_display = [
        "reference",
        "returnee",
        "planning_region",
        "municipality",
        "status",
        "coordinator",
        "source",
        "created_at",
        "next_follow_up",
    ]
    list_filter = [
        "status",
        "planning_region",
        "source",
        "timeframe",
        "needs",
        "needs_attention",
        "closed_reason",
    ]
    search_fields = ["reference", "returnee__first_name", "returnee__last_name", "returnee__email"]
    list_select_related = ["returnee", "planning_region", "municipality", "coordinator"]
    autocomplete_fields = ["municipality"]
    # Who works the case, its region and status change in the workspace, which writes the
    # ASSIGNED, REGION_CHANGED and STATUS_CHANGED events the reports count; the person and
    # the creation date are the case's identity.
    readonly_fields = [
        "reference",
        "returnee",
        "planning_region",
        "coordinator",
        "status",
        "closed_reason",
        "created_at",
        "status_changed_at",
        "updated_at",
    ]
    filter_horizontal = ["needs"]
    date_hierarchy = "created_at"
    inlines = [InteractionInline, MunicipalityRequestInline, CaseEventInline]

    def get_queryset(self, request):
        return Case.objects.visible_to(request.user)

    def has_add_permission(self, request):
        # A case by hand is the workspace's "new case" (coordinators.services.cases).
        return False


@admin.register(CaseEvent)
class CaseEventAdmin(AuditedReadsMixin, ReadOnlyAdminMixin, CaseScopedAdminMixin, admin.ModelAdmin):
    """Append-only: the pipeline writes these; nobody edits or removes them."""

    list_display = ["created_at", "case", "kind", "from_value", "to_value", "actor"]
    list_filter = ["kind", "to_value", "case__planning_region"]
    search_fields = ["case__reference"]
    list_select_related = ["case", "actor"]
    date_hierarchy = "created_at"


@admin.register(Interaction)
class InteractionAdmin(
    AuditedReadsMixin, ReadOnlyAdminMixin, CaseScopedAdminMixin, admin.ModelAdmin
):
    """View-only: contacts are logged on the case page (coordinators.services.interactions)."""

    list_display = ["occurred_on", "case", "kind", "follow_up_on", "author"]
    list_filter = ["kind", "case__planning_region"]
    search_fields = ["case__reference", "summary"]
    audit_changelist = True
    list_select_related = ["case", "author"]
    date_hierarchy = "occurred_on"


@admin.register(MunicipalityRequest)
class MunicipalityRequestAdmin(AuditedReadsMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """View-only: asked on the case page, answered by the municipality's specialist
    (coordinators.services.requests)."""

    list_display = ["created_at", "case", "municipality", "need", "status", "answered_at"]
    list_filter = ["status", "need", "municipality__planning_region", "municipality"]
    search_fields = ["case__reference", "question", "answer"]
    audit_changelist = True
    list_select_related = ["case", "municipality", "need"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "status",
        "answer",
        "answered_by",
        "answered_at",
        "share_contact_details",
    ]

    def get_queryset(self, request):
        return MunicipalityRequest.objects.visible_to(request.user)
