"""Offers in the back office: view-only. They are built, versioned and sent on the case
page (offers.services), which keeps what the family received unchanged."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.admin_reads import AuditedReadsMixin
from common.admin import ReadOnlyAdminMixin
from coordinators.admin import CaseScopedAdminMixin, ViewOnlyInlineMixin

from .models import Offer, OfferItem


class OfferItemInline(ViewOnlyInlineMixin, admin.StackedInline):
    model = OfferItem
    fields = [("need", "service", "position"), "title", "text", "contact"]


@admin.register(Offer)
class OfferAdmin(AuditedReadsMixin, ReadOnlyAdminMixin, CaseScopedAdminMixin, admin.ModelAdmin):
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
    date_hierarchy = "sent_at"
    inlines = [OfferItemInline]

    @admin.display(description=_("planning region"), ordering="case__planning_region__name")
    def region(self, offer):
        return offer.case.planning_region or "—"
