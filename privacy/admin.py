from django.contrib import admin

from common.admin import ReadOnlyAdminMixin

from .models import Erasure


@admin.register(Erasure)
class ErasureAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The record of erasures: read-only (an erasure is made on the case's personal-data page
    and cannot be undone)."""

    list_display = ["erased_at", "returnee", "reason", "erased_by"]
    list_filter = ["reason", "erased_at"]
    list_select_related = ["returnee", "erased_by"]
    date_hierarchy = "erased_at"
