from django.contrib import admin

from audit.spreadsheets import SpreadsheetAdmin

from .models import Municipality, MunicipalService, NeedCategory, PlanningRegion
from .resources import MunicipalityResource, MunicipalServiceResource


@admin.register(PlanningRegion)
class PlanningRegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "coordinator_email"]
    search_fields = ["name", "code"]


@admin.register(Municipality)
class MunicipalityAdmin(SpreadsheetAdmin):
    resource_classes = [MunicipalityResource]
    list_display = ["name", "kind", "planning_region", "is_pilot", "contact_email"]
    list_filter = ["planning_region", "kind", "is_pilot"]
    search_fields = ["name"]
    autocomplete_fields = ["planning_region"]
    list_select_related = ["planning_region"]


@admin.register(NeedCategory)
class NeedCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "name_ru", "code", "position"]
    search_fields = ["name", "name_en", "name_ru", "code"]
    ordering = ["position"]


@admin.register(MunicipalService)
class MunicipalServiceAdmin(SpreadsheetAdmin):
    resource_classes = [MunicipalServiceResource]
    list_display = ["title", "municipality", "category", "is_active", "valid_until", "updated_at"]
    list_filter = ["category", "is_active", "municipality__planning_region", "municipality"]
    search_fields = ["title", "description", "municipality__name"]
    autocomplete_fields = ["municipality", "category"]
    list_select_related = ["municipality", "category"]
    date_hierarchy = "updated_at"
