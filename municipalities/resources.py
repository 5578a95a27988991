"""Spreadsheet import and export of municipalities and their service catalogue."""

from import_export import fields

from common.spreadsheets import LookupWidget, SafeModelResource

from .models import Municipality, MunicipalService, NeedCategory, PlanningRegion


class MunicipalityResource(SafeModelResource):
    planning_region = fields.Field(
        attribute="planning_region",
        column_name="planning_region",
        widget=LookupWidget(PlanningRegion, field="code"),
    )

    class Meta:
        model = Municipality
        fields = ("name", "kind", "planning_region", "is_pilot", "contact_email")
        import_id_fields = ("name",)
        clean_model_instances = True
        skip_unchanged = True


class MunicipalServiceResource(SafeModelResource):
    municipality = fields.Field(
        attribute="municipality",
        column_name="municipality",
        widget=LookupWidget(Municipality, field="name"),
    )
    category = fields.Field(
        attribute="category",
        column_name="category",
        widget=LookupWidget(NeedCategory, field="code"),
    )

    class Meta:
        model = MunicipalService
        fields = (
            "id",
            "municipality",
            "category",
            "title",
            "description",
            "title_en",
            "description_en",
            "title_ru",
            "description_ru",
            "contact",
            "is_active",
            "valid_until",
        )
        clean_model_instances = True
        skip_unchanged = True
