"""The snapshots of the history recorded before they existed, in a migration of its own: on
PostgreSQL the rows cannot be updated in the transaction that adds the columns' foreign keys
(pending trigger events)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    """The offers made before the snapshots: the case as it is now stands for then."""
    Offer = apps.get_model("offers", "Offer")
    Case = apps.get_model("coordinators", "Case")
    case = Case.objects.filter(pk=OuterRef("case_id"))
    region = Subquery(case.values("planning_region_id")[:1])
    municipality = Subquery(case.values("municipality_id")[:1])
    Offer.objects.update(prepared_region_id=region, prepared_municipality_id=municipality)
    Offer.objects.filter(sent_at__isnull=False).update(
        sent_region_id=region, sent_municipality_id=municipality
    )


class Migration(migrations.Migration):
    dependencies = [("offers", "0003_offer_snapshots"), ("coordinators", "0009_caseevent_snapshots_backfill")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
