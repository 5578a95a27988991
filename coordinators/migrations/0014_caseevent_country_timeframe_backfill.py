"""The country and timeframe snapshots of the history recorded before they existed (in a
migration of its own, like 0009): the case as it is now is the best record of how it was
then, the answer the reports gave until now."""

from django.db import migrations
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def backfill(apps, schema_editor):
    CaseEvent = apps.get_model("coordinators", "CaseEvent")
    Case = apps.get_model("coordinators", "Case")
    case = Case.objects.filter(pk=OuterRef("case_id"))
    CaseEvent.objects.update(
        country=Coalesce(Subquery(case.values("returnee__country")[:1]), Value("")),
        timeframe=Coalesce(Subquery(case.values("timeframe")[:1]), Value("")),
    )


class Migration(migrations.Migration):
    dependencies = [("coordinators", "0013_caseevent_country_timeframe_snapshots")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
