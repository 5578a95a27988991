"""The back-office. Every queryset here goes through the models' `visible_to` rule."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from audit.spreadsheets import SpreadsheetAdmin
from common.admin import ReadOnlyAdminMixin
from coordinators.services.cases import case_create

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


class ReadOnlyInline(admin.TabularInline):
    """History rows: shown on the case, never edited or removed."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
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


class HouseholdMemberInline(admin.TabularInline):
    model = HouseholdMember
    extra = 0


@admin.register(Returnee)
class ReturneeAdmin(SpreadsheetAdmin):
    resource_classes = [ReturneeResource]
    audit_views = True
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
    readonly_fields = ["created_at", "updated_at"]
    inlines = [HouseholdMemberInline]

    def get_queryset(self, request):
        return Returnee.objects.visible_to(request.user)


CASE_EVENT_FIELDS = ("created_at", "kind", "from_value", "to_value", "actor", "note")


class CaseEventInline(ReadOnlyInline):
    model = CaseEvent
    fields = CASE_EVENT_FIELDS
    readonly_fields = CASE_EVENT_FIELDS


class InteractionInline(admin.StackedInline):
    model = Interaction
    extra = 0
    fields = [("kind", "occurred_on", "follow_up_on"), "summary", "author"]
    autocomplete_fields = ["author"]


class MunicipalityRequestInline(admin.StackedInline):
    model = MunicipalityRequest
    extra = 0
    fields = [("municipality", "need", "status"), "question", "answer", "share_contact_details"]
    autocomplete_fields = ["municipality"]


@admin.register(Case)
class CaseAdmin(SpreadsheetAdmin):
    resource_classes = [CaseResource]
    audit_views = True
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
    autocomplete_fields = ["returnee", "planning_region", "municipality", "coordinator"]
    readonly_fields = ["reference", "status", "closed_reason", "status_changed_at", "updated_at"]
    filter_horizontal = ["needs"]
    date_hierarchy = "created_at"
    inlines = [InteractionInline, MunicipalityRequestInline, CaseEventInline]

    def get_queryset(self, request):
        return Case.objects.visible_to(request.user)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            # Needs are saved by the admin right after this, with the form's other relations.
            case_create(case=obj, actor=request.user, note="admin")


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdminMixin, CaseScopedAdminMixin, admin.ModelAdmin):
    """Append-only: the pipeline writes these; nobody edits or removes them."""

    list_display = ["created_at", "case", "kind", "from_value", "to_value", "actor"]
    list_filter = ["kind", "to_value", "case__planning_region"]
    search_fields = ["case__reference"]
    list_select_related = ["case", "actor"]
    date_hierarchy = "created_at"


@admin.register(Interaction)
class InteractionAdmin(CaseScopedAdminMixin, admin.ModelAdmin):
    list_display = ["occurred_on", "case", "kind", "follow_up_on", "author"]
    list_filter = ["kind", "case__planning_region"]
    search_fields = ["case__reference", "summary"]
    list_select_related = ["case", "author"]
    autocomplete_fields = ["case", "author"]
    date_hierarchy = "occurred_on"


@admin.register(MunicipalityRequest)
class MunicipalityRequestAdmin(admin.ModelAdmin):
    list_display = ["created_at", "case", "municipality", "need", "status", "answered_at"]
    list_filter = ["status", "need", "municipality__planning_region", "municipality"]
    search_fields = ["case__reference", "question", "answer"]
    list_select_related = ["case", "municipality", "need"]
    autocomplete_fields = ["case", "municipality", "need", "created_by", "answered_by"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return MunicipalityRequest.objects.visible_to(request.user)
