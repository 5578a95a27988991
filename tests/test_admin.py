"""The admin as the national administrators' back office: what it shows, what it refuses to
write (anything the workspace writes with its history), and that its reads are audited.
Who reaches which admin URL at all: tests/test_admin_access.py."""

import json

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from coordinators.models import Case, CaseEvent, HouseholdMember, Interaction, Returnee, User
from coordinators.models import MunicipalityRequest as Request
from offers.models import Offer
from outbox.models import Email
from tests.factories import (
    CaseFactory,
    CoordinatorFactory,
    HouseholdMemberFactory,
    InteractionFactory,
    MunicipalityRequestFactory,
    MunicipalServiceFactory,
    OfferItemFactory,
    region,
)

pytestmark = pytest.mark.django_db

MODELS = list(admin.site._registry)
# Admins where nothing is added by hand: histories, rows the workspace makes through the
# services, the libraries' records. Everything else is reference data or staff.
ADD_REFUSED = {
    "audit.AuditEntry",
    "auditlog.LogEntry",
    "axes.AccessAttempt",
    "axes.AccessFailureLog",
    "axes.AccessLog",
    "coordinators.Case",
    "coordinators.CaseEvent",
    "coordinators.Interaction",
    "coordinators.MunicipalityRequest",
    "coordinators.Returnee",
    "django_tasks_database.DBTaskResult",
    "offers.Offer",
    "otp_totp.TOTPDevice",  # second factors come from enrolment links only
    "outbox.Email",
    "privacy.Erasure",
}


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def some_data():
    case = CaseFactory()
    InteractionFactory(case=case)
    OfferItemFactory(offer__case=case)
    MunicipalityRequestFactory(case=case)
    MunicipalServiceFactory()
    return case


@pytest.fixture
def admin_client(client, national_admin):
    """A national administrator who is not a superuser: the role alone opens the admin."""
    client.force_login(national_admin)
    return client


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_every_changelist_answers_a_national_admin(admin_client, some_data, model):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    # The search box and every filter render with data too.
    assert admin_client.get(admin_url(model, "changelist"), {"q": "Ķēniņš"}).status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_add_page_is_open_only_where_rows_are_made_by_hand(admin_client, model):
    response = admin_client.get(admin_url(model, "add"))
    assert response.status_code == (403 if model._meta.label in ADD_REFUSED else 200)


def test_a_national_admin_cannot_take_over_a_superuser_or_plant_a_second_factor(
    admin_client, national_admin
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    root = User.objects.create_superuser("root", "root@example.lv", "an-old-secret-2026")
    device = TOTPDevice.objects.create(user=root, name="phone", confirmed=True)
    password_url = reverse("admin:auth_user_password_change", args=[root.pk])

    answers = [
        admin_client.post(password_url, {"password1": "Taken-Over-2026!",
                                         "password2": "Taken-Over-2026!"}).status_code,
        admin_client.post(admin_url(User, "change", root.pk), {"username": "root"}).status_code,
        admin_client.get(admin_url(TOTPDevice, "add")).status_code,
        admin_client.post(admin_url(TOTPDevice, "change", device.pk), {"name": "x"}).status_code,
        admin_client.post(admin_url(TOTPDevice, "delete", device.pk), {"post": "yes"}).status_code,
    ]  # fmt: skip

    assert answers == [403] * 5
    root.refresh_from_db()
    assert root.check_password("an-old-secret-2026")
    assert list(TOTPDevice.objects.values_list("name", "confirmed")) == [("phone", True)]


def test_case_change_page_shows_events_and_interactions_inline(admin_client, some_data):
    response = admin_client.get(admin_url(Case, "change", some_data.pk))
    assert response.status_code == 200
    assert "Runājām par bērnudārzu." in response.text
    assert some_data.reference in response.text
    # Shown, not editable: the inlines have no form fields of their own.
    assert 'name="interactions-0-summary"' not in response.text
    assert 'name="municipality_requests-0-answer"' not in response.text


def inline_management(prefix):
    return {
        f"{prefix}-TOTAL_FORMS": "0",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_case_change_form_cannot_reassign_move_or_change_status(admin_client, some_data):
    case = some_data
    zemgale = region("ZEM")
    other = CoordinatorFactory(planning_region=zemgale)
    response = admin_client.post(
        admin_url(Case, "change", case.pk),
        {
            "coordinator": other.pk,
            "planning_region": zemgale.pk,
            "status": "returned",
            "closed_reason": "other",
            "returnee": CaseFactory().returnee_id,
            "municipality": case.municipality_id,
            "source": case.source,
            "timeframe": case.timeframe,
            "next_follow_up": "24.12.2026",
            **inline_management("interactions"),
            **inline_management("municipality_requests"),
            **inline_management("events"),
        },
    )

    assert response.status_code == 302
    before = case.returnee_id
    case.refresh_from_db()
    assert case.next_follow_up.strftime("%d.%m.%Y") == "24.12.2026"  # the form did save
    assert (case.coordinator, case.planning_region.code) == (None, "KUR")
    assert (case.status, case.closed_reason, case.returnee_id) == ("new", "", before)
    assert list(case.events.values_list("kind", flat=True)) == [CaseEvent.Kind.CREATED]


@pytest.mark.parametrize("model", [Interaction, Request, Offer], ids=lambda m: m.__name__)
def test_rows_of_a_case_are_view_only_in_the_admin(admin_client, some_data, model):
    row = model.objects.get()
    change = admin_url(model, "change", row.pk)

    added = admin_client.post(admin_url(model, "add"), {"case": some_data.pk, "summary": "x"})
    changed = admin_client.post(
        change, {"case": some_data.pk, "answer": "Jā", "status": "answered"}
    )
    deleted = admin_client.post(admin_url(model, "delete", row.pk), {"post": "yes"})

    assert (added.status_code, changed.status_code, deleted.status_code) == (403, 403, 403)
    assert model.objects.count() == 1
    assert admin_client.get(change).status_code == 200  # still readable
    if model is Request:
        row.refresh_from_db()
        assert (row.status, row.answer, row.share_contact_details) == ("open", "", False)


def test_offer_sections_are_not_editable_in_the_admin(admin_client, some_data):
    offer = some_data.offers.get()
    page = admin_client.get(admin_url(Offer, "change", offer.pk))
    assert page.status_code == 200
    assert "Pašvaldības dzīvoklis" in page.text
    assert 'name="items-0-title"' not in page.text


def test_case_events_cannot_be_edited_or_deleted_in_admin(admin_client, some_data):
    event = some_data.events.get()
    assert (
        admin_client.post(admin_url(CaseEvent, "change", event.pk), {"note": "x"}).status_code
        == 403
    )
    assert (
        admin_client.post(admin_url(CaseEvent, "delete", event.pk), {"post": "yes"}).status_code
        == 403
    )
    assert CaseEvent.objects.get(pk=event.pk).note == ""


def test_cases_returnees_and_household_are_not_deleted_in_the_admin(admin_client, some_data):
    member = HouseholdMemberFactory(returnee=some_data.returnee)
    returnee_page = admin_client.get(admin_url(Returnee, "change", some_data.returnee_id))

    for model, pk in [(Case, some_data.pk), (Returnee, some_data.returnee_id)]:
        assert admin_client.post(admin_url(model, "delete", pk), {"post": "yes"}).status_code == 403
    bulk = admin_client.post(
        admin_url(Case, "changelist"),
        {"action": "delete_selected", "_selected_action": [some_data.pk]},
    )

    assert bulk.status_code == 200  # no such action: the list again, with a message
    assert Case.objects.count() == Returnee.objects.count() == HouseholdMember.objects.count() == 1
    assert returnee_page.status_code == 200
    assert 'name="household-0-DELETE"' not in returnee_page.text
    assert member.pk


def test_consent_of_a_returnee_is_read_only(admin_client, some_data):
    returnee = some_data.returnee
    given = returnee.consent_given_at
    response = admin_client.post(
        admin_url(Returnee, "change", returnee.pk),
        {
            "first_name": returnee.first_name,
            "last_name": returnee.last_name,
            "email": returnee.email,
            "preferred_language": "lv",
            "consent_given_at_0": "01.01.2020",
            "consent_given_at_1": "10:00:00",
            "consent_version": "forged",
            "town": "Cork",
            **inline_management("household"),
        },
    )
    assert response.status_code == 302
    returnee.refresh_from_db()
    assert (returnee.town, returnee.consent_version) == ("Cork", "2026-11")
    assert returnee.consent_given_at == given


def test_national_admin_creates_staff_whose_role_decides_is_staff(admin_client):
    password = "Gara-parole-2026!"
    for username, role, extra in [
        ("jauna", "regional_coordinator", {"planning_region": region("VID").pk}),
        ("valsts", "national_admin", {}),
    ]:
        response = admin_client.post(
            reverse("admin:coordinators_user_add"),
            {"username": username, "password1": password, "password2": password,
             "usable_password": "true", "role": role, "is_staff": "on", **extra},
        )  # fmt: skip
        assert response.status_code == 302, response.context["adminform"].form.errors
    assert User.objects.get(username="jauna").is_staff is False  # the ticked box is ignored
    assert User.objects.get(username="valsts").is_staff is True
    page = admin_client.get(admin_url(User, "change", User.objects.get(username="jauna").pk))
    assert 'name="is_staff"' not in page.text
    assert 'name="is_superuser"' not in page.text  # only a superuser makes another one


def test_is_staff_follows_the_role(kurzeme_coordinator):
    assert kurzeme_coordinator.is_staff is False
    kurzeme_coordinator.role = User.Role.NATIONAL_ADMIN
    kurzeme_coordinator.save(update_fields=["role"])
    assert User.objects.get(pk=kurzeme_coordinator.pk).is_staff is True
    kurzeme_coordinator.role = User.Role.REGIONAL_COORDINATOR
    kurzeme_coordinator.save()
    assert User.objects.get(pk=kurzeme_coordinator.pk).is_staff is False


def test_database_refuses_staff_flag_for_other_roles(kurzeme_coordinator, national_admin):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=kurzeme_coordinator.pk).update(is_staff=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=national_admin.pk).update(role=User.Role.REGIONAL_ANALYST)
    assert User.objects.filter(is_staff=True).get() == national_admin


def test_coordinator_with_every_permission_still_gets_403(client, zemgale_coordinator, some_data):
    from django.contrib.auth.models import Permission

    zemgale_coordinator.user_permissions.set(Permission.objects.all())
    client.force_login(zemgale_coordinator)
    for url in [admin_url(Case, "changelist"), admin_url(Case, "change", some_data.pk),
                reverse("admin:index"), reverse("admin:login")]:  # fmt: skip
        response = client.get(url)
        assert response.status_code == 403, url
        assert some_data.reference not in response.text


# Audited reads: who read which person's data in the admin, never what they searched for.


def views_since(mark):
    return list(
        AuditEntry.objects.filter(pk__gt=mark, action="view")
        .order_by("pk")
        .values_list("object_type", "detail")
    )


def last_entry_id():
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_list_and_search_are_recorded_without_the_search_words(admin_client, some_data):
    CaseFactory()
    mark = last_entry_id()

    admin_client.get(admin_url(Returnee, "changelist"))
    admin_client.get(admin_url(Case, "changelist"), {"q": some_data.returnee.last_name})

    assert views_since(mark) == [
        ("", "admin coordinators.returnee: list, 2 rows"),
        ("", "admin coordinators.case: search, 1 rows"),
    ]
    assert some_data.returnee.last_name not in str(AuditEntry.objects.values_list())
    assert AuditEntry.objects.get(pk__gt=mark, detail__contains="search").ip_address == "127.0.0.1"


def test_record_and_history_pages_are_recorded(admin_client, some_data):
    email = Email.objects.create(to="ilze@example.com", subject="Piedāvājums", body="Sveika!")
    pages = [
        (Case, some_data.pk),
        (Returnee, some_data.returnee_id),
        (Interaction, Interaction.objects.get().pk),
        (Request, Request.objects.get().pk),
        (Offer, some_data.offers.get().pk),
        (Email, email.pk),
        (LogEntry, LogEntry.objects.get_for_object(some_data).first().pk),
    ]
    mark = last_entry_id()

    for model, pk in pages:
        assert admin_client.get(admin_url(model, "change", pk)).status_code == 200
        assert admin_client.get(admin_url(model, "history", pk)).status_code == 200

    recorded = views_since(mark)
    expected = []
    for model, _pk in pages:
        expected += [(model._meta.label_lower, "admin change page"),
                     (model._meta.label_lower, "admin history")]  # fmt: skip
    assert recorded == expected
    assert AuditEntry.objects.filter(pk__gt=mark, reference=some_data.reference).count() == 2


def test_a_missing_record_is_no_read(admin_client):
    mark = last_entry_id()
    assert admin_client.get(admin_url(Case, "change", 999999)).status_code == 302
    assert views_since(mark) == []


def test_autocomplete_answers_are_recorded_without_the_term(admin_client, some_data):
    mark = last_entry_id()
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "coordinators", "model_name": "case", "field_name": "municipality",
         "term": "Liep"},
    )  # fmt: skip
    assert response.status_code == 200
    rows = len(json.loads(response.content)["results"])
    assert rows >= 1
    assert views_since(mark) == [("", f"admin autocomplete case: {rows} rows")]
    assert "Liep" not in str(AuditEntry.objects.filter(pk__gt=mark).values_list())


def test_export_is_recorded(admin_client, some_data):
    response = admin_client.post(
        admin_url(Case, "export"), {"format": "0", "resource": "0", "caseresource_reference": "on"}
    )
    assert response.status_code == 200
    assert some_data.reference in response.content.decode()
    entry = AuditEntry.objects.get(action="export")
    assert (entry.detail, entry.actor.username) == ("coordinators.case: 1 rows", "admin")
    assert timezone.now() - entry.created_at < timezone.timedelta(minutes=1)


@pytest.mark.django_db(transaction=True)
def test_upgrade_takes_the_staff_flag_from_everyone_but_national_admins():
    """The data migration before the constraint: coordinators who were given the admin lose
    it, national administrators keep (or get) it."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("coordinators", "0004_caseevent_closed_reason")]
    after = [("coordinators", "0005_staff_only_national_admins")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_user = executor.loader.project_state(before).apps.get_model("coordinators", "User")
    kurzeme = region("KUR").pk
    for username, role, staff in [("coord", "regional_coordinator", True),
                                  ("valsts", "national_admin", False)]:  # fmt: skip
        old_user.objects.create(username=username, role=role, is_staff=staff,
                                planning_region_id=kurzeme)  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    staff = dict(old_user.objects.values_list("username", "is_staff"))
    # Back to the latest state: going back to 0004 also unapplied what depends on it
    # (coordinators 0006, imports...), and the next tests of this worker need it.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert staff == {"coord": False, "valsts": True}


def test_the_outbox_admin_never_shows_a_reset_or_enrolment_link(admin_client):
    secret = "https://portal.example/account/password-reset/MQ/abc-secret/"
    reset = Email.objects.create(
        to="a@example.lv", subject="Parole", body=secret, html_body=secret,
        purpose=Email.Purpose.PASSWORD_RESET,
    )  # fmt: skip
    offer = Email.objects.create(
        to="b@example.lv", subject="Piedāvājums", body="Sveika, Ilze!", purpose=Email.Purpose.OFFER
    )

    reset_page = admin_client.get(admin_url(Email, "change", reset.pk))
    offer_page = admin_client.get(admin_url(Email, "change", offer.pk))

    assert reset_page.status_code == offer_page.status_code == 200
    assert "abc-secret" not in reset_page.text and "Parole" in reset_page.text
    assert "Sveika, Ilze!" in offer_page.text
