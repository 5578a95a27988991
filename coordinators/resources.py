"""Spreadsheet import and export of returnees and cases (admin, CSV and XLSX).

A file with any bad row imports nothing: django-import-export runs the whole import in one
transaction and rolls it back when a row has errors; each error names its row and column.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from import_export import fields

from common.spreadsheets import LookupWidget, SafeModelResource, StrictManyToManyWidget
from coordinators.services.references import reference_allocate, reference_prefix
from municipalities.models import Municipality, NeedCategory, PlanningRegion

from .models import Case, CaseEvent, Returnee


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
        import_id_fields = ("email",)
        clean_model_instances = True
        skip_unchanged = True

    def get_instance(self, instance_loader, row):
        # A person without an e-mail is always a new record: "" is no key to match on.
        if not (row.get("email") or "").strip():
            return None
        row["email"] = row["email"].strip().lower()
        return super().get_instance(instance_loader, row)


class CaseResource(SafeModelResource):
    returnee = fields.Field(
        attribute="returnee",
        column_name="returnee_email",
        widget=LookupWidget(Returnee, field="email"),
    )
    planning_region = fields.Field(
        attribute="planning_region",
        column_name="planning_region",
        widget=LookupWidget(PlanningRegion, field="code"),
    )
    municipality = fields.Field(
        attribute="municipality",
        column_name="municipality",
        widget=LookupWidget(Municipality, field="name"),
    )
    needs = fields.Field(
        attribute="needs",
        column_name="needs",
        widget=StrictManyToManyWidget(NeedCategory, field="code", separator=","),
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
        import_id_fields = ("reference",)
        clean_model_instances = True
        skip_unchanged = True

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("returnee", "planning_region", "municipality")
            .prefetch_related("needs")
        )

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        # Many-to-many values are saved after the row; check them now so a wrong need code
        # is reported like any other field error of its row.
        if row.get("needs"):
            try:
                self.fields["needs"].clean(row)
            except ValueError as error:
                errors["needs"] = [str(error)]
        if not instance.reference and not errors:
            created_at = instance.created_at or timezone.now()
            (instance.reference,) = reference_allocate(
                prefix=reference_prefix(instance.planning_region),
                year=timezone.localtime(created_at).year,
            )
        if errors:
            raise ValidationError(errors)

    def after_save_instance(self, instance, row, **kwargs):
        if not instance.events.exists():
            CaseEvent.objects.create(
                case=instance,
                kind=CaseEvent.Kind.CREATED,
                to_value=instance.status,
                note="import",
                actor=kwargs.get("user"),
                created_at=instance.created_at,
            )
