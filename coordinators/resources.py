"""The admin's spreadsheet export of returnees and cases (CSV and XLSX, audited).

Export only: cases and returnees are not imported in the admin (a history import is the
workspace's). Cells are escaped against formulae (common.spreadsheets.SafeModelResource).
"""

from import_export import fields, widgets

from common.spreadsheets import SafeModelResource
from municipalities.models import Municipality, NeedCategory, PlanningRegion

from .models import Case, Returnee


class ReturneeResource(SafeModelResource):
    class Meta:
        model = Returnee
        fields = (
            "first_name",
            "last_name",
            "email",
            "phone",
            "country",
            "town",
            "preferred_language",
            "created_at",
        )


class CaseResource(SafeModelResource):
    returnee = fields.Field(
        attribute="returnee",
        column_name="returnee_email",
        widget=widgets.ForeignKeyWidget(Returnee, field="email"),
    )
    planning_region = fields.Field(
        attribute="planning_region",
        column_name="planning_region",
        widget=widgets.ForeignKeyWidget(PlanningRegion, field="code"),
    )
    municipality = fields.Field(
        attribute="municipality",
        column_name="municipality",
        widget=widgets.ForeignKeyWidget(Municipality, field="name"),
    )
    needs = fields.Field(
        attribute="needs",
        column_name="needs",
        widget=widgets.ManyToManyWidget(NeedCategory, field="code", separator=","),
    )

    class Meta:
        model = Case
        fields = (
            "reference",
            "returnee",
            "planning_region",
            "municipality",
            "status",
            "closed_reason",
            "source",
            "timeframe",
            "needs",
            "next_follow_up",
            "created_at",
        )

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("returnee", "planning_region", "municipality")
            .prefetch_related("needs")
        )
