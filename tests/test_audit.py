import pytest
from auditlog.models import LogEntry
from django.db import connection, transaction
from django.urls import reverse

from audit.models import AuditEntry
from audit.services import audit_record
from coordinators.models import Returnee
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_login_and_failed_login_are_recorded_without_the_password(client, kurzeme_coordinator):
    client.post(reverse("login"), {"username": "kurzeme", "password": "wrong-one"})
    client.post(reverse("login"), {"username": "kurzeme", "password": "parole-123"})

    failed, login = AuditEntry.objects.order_by("id")
    assert (failed.action, failed.username, failed.actor) == ("login_failed", "kurzeme", None)
    assert failed.ip_address == "127.0.0.1"
    assert (login.action, login.actor) == ("login", kurzeme_coordinator)
    assert "wrong-one" not in str(AuditEntry.objects.values_list())


def test_audit_entries_cannot_be_changed_or_deleted(kurzeme_coordinator):
    entry = AuditEntry.objects.create(action="view", actor=kurzeme_coordinator)
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(action="login")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigger is PostgreSQL's")
def test_postgresql_refuses_raw_changes_to_the_audit_trail(kurzeme_coordinator):
    entry = AuditEntry.objects.create(action="view", actor=kurzeme_coordinator)
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigger is PostgreSQL's")
@pytest.mark.parametrize(
    "statement", ["TRUNCATE audit_auditentry", "TRUNCATE coordinators_user CASCADE"]
)
def test_postgresql_refuses_to_truncate_the_audit_trail(kurzeme_coordinator, statement):
    entry = AuditEntry.objects.create(action="view", actor=kurzeme_coordinator)
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # The test's own INSERTs leave deferred foreign-key checks, which PostgreSQL would
        # name instead of the trigger.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(statement)
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_audit_admin_is_read_only_even_for_superusers(client, superuser, kurzeme_coordinator):
    entry = audit_record(action="view", actor=kurzeme_coordinator, obj=CaseFactory())
    client.force_login(superuser)
    changelist = reverse("admin:audit_auditentry_changelist")
    assert client.get(changelist).status_code == 200
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    delete = reverse("admin:audit_auditentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    response = client.post(changelist, {"action": "export_csv", "_selected_action": [entry.pk]})
    exported = b"".join(response.streaming_content).decode()
    assert f"kurzeme,view,coordinators.case,{entry.object_id},{entry.reference}" in exported
    assert AuditEntry.objects.filter(action="export").count() == 1


def test_audit_admin_is_hidden_from_coordinators(client, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)
    assert client.get(reverse("admin:audit_auditentry_changelist")).status_code == 403


def test_field_level_history_keeps_before_and_after(client, superuser):
    case = CaseFactory(returnee__town="London")
    returnee = case.returnee
    returnee.town = "Cork"
    returnee.save()

    change = LogEntry.objects.get_for_object(returnee).filter(action=LogEntry.Action.UPDATE).get()
    assert change.changes_dict["town"] == ["London", "Cork"]
    assert Returnee.objects.get().town == "Cork"


def test_admin_views_and_exports_of_personal_data_are_recorded(client, superuser):
    case = CaseFactory()
    client.force_login(superuser)

    client.get(reverse("admin:coordinators_case_change", args=[case.pk]))
    client.get(reverse("admin:coordinators_returnee_change", args=[case.returnee.pk]))
    client.post(
        reverse("admin:coordinators_returnee_export"),
        {"format": "0", "resource": "0", "returneeresource_last_name": "on"},
    )

    entries = list(AuditEntry.objects.order_by("id").values_list("action", "object_type"))
    assert entries[-3:] == [
        ("view", "coordinators.case"),
        ("view", "coordinators.returnee"),
        ("export", ""),
    ]
    assert AuditEntry.objects.get(action="export").detail == "coordinators.returnee: 1 rows"


def test_opening_an_offer_and_its_pdf_is_recorded(client, kurzeme_coordinator):
    from tests.factories import OfferItemFactory

    offer = OfferItemFactory().offer
    client.force_login(kurzeme_coordinator)
    reference = offer.case.reference

    client.get(reverse("offers:detail", args=[reference, offer.version]))
    client.get(reverse("offers:pdf", args=[reference, offer.version]))

    actions = list(
        AuditEntry.objects.filter(reference=reference).order_by("id").values_list("action")
    )
    assert actions == [("view",), ("download",)]
