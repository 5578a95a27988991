from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from coordinators.admin import CaseScopedAdminMixin

from .models import Offer, OfferItem


class OfferItemInline(admin.StackedInline):
    model = OfferItem
    extra = 0
    fields = [("need", "service", "position"), "title", "text", "contact"]
    autocomplete_fields = ["need", "service"]

    # What the family received is never edited, not even here: only drafts' sections change.
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and _is_draft(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _is_draft(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and _is_draft(obj)


def _is_draft(offer):
    return offer is None or offer.status == Offer.Status.DRAFT


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
    # Status, version and dates change only through offers.services (sending, responses).
    readonly_fields = ["version", "status", "sent_at", "responded_at"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not _is_draft(obj):
            fields += ["case", "language", "created_by", "created_at"]
        return fields

    inlines = [OfferItemInline]

    @admin.display(description=_("planning region"), ordering="case__planning_region__name")
    def region(self, offer):
        return offer.case.planning_region or "—"
