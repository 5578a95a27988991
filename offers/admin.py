from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from coordinators.admin import CaseScopedAdminMixin

from .models import Offer, OfferItem


class OfferItemInline(admin.StackedInline):
    model = OfferItem
    extra = 0
    fields = [("need", "service", "position"), "title", "text", "contact"]
    autocomplete_fields = ["need", "service"]


@admin.register(Offer)
class OfferAdmin(CaseScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "case",
        "version",
        "region",
        "language",
        "status",
        "sent_at",
        "responded_at",
        "created_by",
        "created_at",
    ]
    # By status, region and period (when sent, when prepared), as the ministry's figures ask.
    list_filter = [
        "status",
        "case__planning_region",
        ("sent_at", admin.DateFieldListFilter),
        ("created_at", admin.DateFieldListFilter),
        "language",
    ]
    search_fields = ["case__reference"]
    list_select_related = ["case__planning_region", "created_by"]
    autocomplete_fields = ["case", "created_by"]
    date_hierarchy = "sent_at"
    inlines = [OfferItemInline]

    @admin.display(description=_("planning region"), ordering="case__planning_region__name")
    def region(self, offer):
        return offer.case.planning_region or "—"
