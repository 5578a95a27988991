from django.contrib import admin

from coordinators.admin import CaseScopedAdminMixin

from .models import Offer, OfferItem


class OfferItemInline(admin.StackedInline):
    model = OfferItem
    extra = 0
    fields = [("need", "service", "position"), "title", "text", "contact"]
    autocomplete_fields = ["need", "service"]


@admin.register(Offer)
class OfferAdmin(CaseScopedAdminMixin, admin.ModelAdmin):
    list_display = ["case", "version", "language", "status", "sent_at", "created_by", "created_at"]
    list_filter = ["status", "language", "case__planning_region"]
    search_fields = ["case__reference"]
    list_select_related = ["case", "created_by"]
    autocomplete_fields = ["case", "created_by"]
    date_hierarchy = "sent_at"
    inlines = [OfferItemInline]
