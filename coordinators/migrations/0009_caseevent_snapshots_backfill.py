"""The snapshots of the history recorded before they existed, in a migration of its own: on
PostgreSQL the rows cannot be updated in the transaction that adds the columns' foreign keys
(pending trigger events)."""

from django.db import migrations
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def backfill(apps, schema_editor):
    """The events written before the snapshots: the case as it is now is the best record
    of how it was then (the same answer the reports gave until now)."""
    CaseEvent = apps.get_model("coordinators", "CaseEvent")
    Case = apps.get_model("coordinators", "Case")
    HouseholdMember = apps.get_model("coordinators", "HouseholdMember")
    case = Case.objects.filter(pk=OuterRef("case_id"))
    CaseEvent.objects.update(
        planning_region_id=Subquery(case.values("planning_region_id")[:1]),
        municipality_id=Subquery(case.values("municipality_id")[:1]),
    )
    size = (
        HouseholdMember.objects.filter(returnee__cases=OuterRef("case_id"))
        .order_by()
        .values("returnee__cases")
        .annotate(size=Count("id"))
        .values("size")
    )
    CaseEvent.objects.filter(kind="status_changed", to_value="returned").update(
        household_size=Coalesce(Subquery(size, output_field=IntegerField()), Value(0))
    )


class Migration(migrations.Migration):
    dependencies = [("coordinators", "0008_caseevent_snapshots")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
