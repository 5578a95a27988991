"""The public "Dod ziņu!" form, through the test client: what a submission stores, who is
told, and how bad input, spam and abuse are turned away without storing anything."""

import re
import time
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from coordinators.models import Case, ContactSubmission, HouseholdMember, Interaction, Returnee
from intake.forms import (
    CHILDREN_AGES_INVALID,
    CONSENT_REQUIRED,
    FORM_MAX_AGE_SECONDS,
    MUNICIPALITY_NOT_IN_REGION,
    TOO_FAST,
    timestamp_token,
)
from intake.views import RATE_LIMITED, TOO_LARGE
from municipalities.models import NeedCategory
from outbox.models import Email, SendingPause
from tests.conftest import DATABASE_TASKS
from tests.factories import CaseFactory, CoordinatorFactory, ReturneeFactory, municipality, need
from tests.factories import region as planning_region

pytestmark = pytest.mark.django_db

LV_URL = "/dod-zinu/"
EN_URL = "/en/let-us-know/"


@pytest.fixture(autouse=True)
def contact_settings(settings):
    """Submit instantly (the fill-time test sets its own) and start each test uncounted."""
    settings.CONTACT_FORM_MIN_FILL_SECONDS = 0
    settings.CONTACT_FORM_RATE_LIMIT = 10
    cache.clear()
    # A request in English leaves English active in this thread; start each test in Latvian.
    with translation.override("lv"):
        yield
    cache.clear()


def form_data(**overrides):
    data = {
        "first_name": "Ģirts",
        "last_name": "Ķēniņš",
        "email": "girts.kenins@example.com",
        "phone": "+44 7911 123456",
        "country": "GB",
        "town": "Londona",
        "preferred_language": "lv",
        "planning_region": str(planning_region("KUR").pk),
        "municipality": str(municipality("Liepājas valstspilsēta").pk),
        "timeframe": Case.Timeframe.MONTHS_6_12,
        "adults": "2",
        "children_ages": "3, 7",
        "needs": [str(need("family").pk), str(need("housing").pk)],
        "message": "Gribam atgriezties Liepājā; meitai vajag vietu bērnudārzā.",
        "consent": "on",
        "homepage": "",
        "started": timestamp_token(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def submit(client, url=LV_URL, **overrides):
    return client.post(url, form_data(**overrides))


def assert_nothing_stored():
    assert Case.objects.count() == 0
    assert Returnee.objects.count() == 0
    assert Email.objects.count() == 0


def test_latvian_form_is_public_at_dod_zinu(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get(LV_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dod ziņu!" in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert 'value="lv" selected' in page


def test_english_form_is_at_en_let_us_know(client):
    response = client.get(EN_URL)
    assert response.status_code == 200
    assert "Let us know!" in response.content.decode()
    with translation.override("lv"):
        assert reverse("intake:contact") == LV_URL


def test_language_switch_leads_to_the_english_address(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": LV_URL})
    assert response["Location"] == EN_URL


def test_valid_submission_creates_one_case_routed_to_the_chosen_region(client):
    response = submit(client)

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:contact_thanks")
    assert case.reference.startswith(f"KUR-{timezone.localdate().year}-")
    assert case.status == Case.Status.NEW
    assert case.source == Case.Source.CONTACT_FORM
    assert case.planning_region.code == "KUR"
    assert case.municipality.name == "Liepājas valstspilsēta"
    assert case.timeframe == Case.Timeframe.MONTHS_6_12
    assert {n.code for n in case.needs.all()} == {"family", "housing"}
    returnee = case.returnee
    assert (returnee.first_name, returnee.last_name) == ("Ģirts", "Ķēniņš")
    assert returnee.phone == "+447911123456"
    assert returnee.email == "girts.kenins@example.com"
    assert returnee.country.code == "GB"
    interaction = case.interactions.get()
    assert interaction.kind == Interaction.Kind.CONTACT_FORM
    assert interaction.summary.startswith("Gribam atgriezties Liepājā")


def test_thank_you_page_names_no_case_and_no_person(client):
    response = submit(client, email="Ilze@Example.com")
    thanks = client.get(response["Location"])

    assert thanks.status_code == 200
    assert Case.objects.get().reference not in thanks.content.decode()
    assert "ilze" not in response["Location"].lower()
    assert "{#" not in thanks.content.decode()


def test_thank_you_page_without_a_submission_leads_to_the_form(client):
    response = client.get(reverse("intake:contact_thanks"))
    assert response["Location"] == LV_URL


def test_consent_time_and_privacy_notice_version_are_stored(client, settings):
    settings.CONSENT_TEXT_VERSION = "2026-11b"
    before = timezone.now()
    submit(client)
    returnee = Returnee.objects.get()
    assert returnee.consent_version == "2026-11b"
    assert returnee.consent_given_at >= before


def test_privacy_notice_shows_its_version(client, settings):
    settings.CONSENT_TEXT_VERSION = "2026-11b"
    response = client.get(reverse("intake:privacy"))
    assert response.status_code == 200
    assert "2026-11b" in response.content.decode()
    assert reverse("intake:privacy") == "/dod-zinu/privatuma-pazinojums/"


def test_household_becomes_rows_with_birth_years_from_the_ages(client):
    submit(client, adults="2", children_ages="3, 7")
    year = timezone.localdate().year
    rows = sorted((member.relation, member.birth_year) for member in HouseholdMember.objects.all())
    assert rows == [
        (HouseholdMember.Relation.CHILD, year - 7),
        (HouseholdMember.Relation.CHILD, year - 3),
        (HouseholdMember.Relation.OTHER, None),
    ]


def test_undecided_region_goes_to_the_national_queue_and_tells_every_coordinator(
    client, kurzeme_coordinator, zemgale_coordinator
):
    submit(client, planning_region="", municipality="")

    case = Case.objects.get()
    assert case.planning_region is None
    assert case.reference.startswith("LV-")
    notified = set(
        Email.objects.filter(purpose="contact_notification").values_list("to", flat=True)
    )
    assert notified == {kurzeme_coordinator.email, zemgale_coordinator.email}


def test_municipality_without_region_puts_the_case_in_the_municipality_region(client):
    submit(client, planning_region="", municipality=str(municipality("Jelgavas valstspilsēta").pk))
    assert Case.objects.get().planning_region.code == "ZEM"


def test_mails_go_to_the_person_and_the_region_coordinators_after_commit(
    client, kurzeme_coordinator, zemgale_coordinator, django_capture_on_commit_callbacks
):
    inactive = CoordinatorFactory(username="former", is_active=False)
    kurzeme = planning_region("KUR")
    kurzeme.coordinator_email = "remigracija@kurzeme.lv"
    kurzeme.save()

    with django_capture_on_commit_callbacks(execute=True):
        submit(client)

    case = Case.objects.get()
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted(
        ["girts.kenins@example.com", kurzeme_coordinator.email, "remigracija@kurzeme.lv"]
    )
    assert inactive.email not in recipients
    confirmation = next(m for m in mail.outbox if m.to == ["girts.kenins@example.com"])
    assert case.reference in confirmation.subject
    assert "Ģirts" in confirmation.body
    assert "Paldies" in confirmation.body
    notification = next(m for m in mail.outbox if m.to == [kurzeme_coordinator.email])
    assert case.reference in notification.subject
    assert "bērnudārzā" not in notification.body  # the message stays in the portal
    assert Email.objects.filter(case=case, status=Email.Status.SENT).count() == 3


@pytest.mark.parametrize(
    ("language", "expected"),
    [("lv", "Paldies"), ("en", "Thank you"), ("ru", "Спасибо")],
)
def test_confirmation_is_in_the_person_language(client, language, expected):
    submit(client, preferred_language=language)
    confirmation = Email.objects.get(purpose="contact_confirmation")
    assert expected in confirmation.body


def test_without_coordinators_the_national_administrators_are_told(client, national_admin):
    submit(client)
    notified = Email.objects.filter(purpose="contact_notification").values_list("to", flat=True)
    assert list(notified) == [national_admin.email]


def test_same_email_with_an_open_case_changes_nothing_on_that_person(client, kurzeme_coordinator):
    existing = CaseFactory(returnee=ReturneeFactory(email="girts.kenins@example.com"))
    consent_before = existing.returnee.consent_given_at

    response = submit(
        client, email="Girts.Kenins@Example.com", first_name="Cits", message="Vēl viens jautājums."
    )

    assert response.status_code == 302
    assert Case.objects.count() == 1
    existing.refresh_from_db()
    existing.returnee.refresh_from_db()
    assert existing.needs_attention is False
    assert not existing.interactions.filter(kind=Interaction.Kind.CONTACT_FORM).exists()
    assert existing.returnee.first_name != "Cits"
    assert existing.returnee.consent_given_at == consent_before  # no consent renewed
    contact = ContactSubmission.objects.get()
    assert contact.status == ContactSubmission.Status.TO_CHECK
    assert contact.existing_returnee == existing.returnee
    assert contact.data["message"] == "Vēl viens jautājums."
    confirmation = Email.objects.get(purpose="contact_confirmation")
    assert existing.reference not in confirmation.subject + confirmation.body
    notice = Email.objects.get(purpose="contact_notification")
    assert notice.to == kurzeme_coordinator.email
    assert "Cits" not in notice.body and existing.reference not in notice.body


def test_thank_you_page_does_not_tell_whether_the_address_had_a_case(client):
    CaseFactory(returnee=ReturneeFactory(email="girts.kenins@example.com"))
    known = client.get(submit(client)["Location"]).content.decode()
    client.cookies.clear()
    new = client.get(submit(client, email="cits@example.com")["Location"]).content.decode()

    def main(page):
        return re.search(r"<main.*</main>", page, flags=re.DOTALL).group(0)

    assert main(known) == main(new)


def test_request_does_the_same_database_work_for_a_known_and_an_unknown_address(client, settings):
    """Timing: the request only stores the submission and queues the task, whatever the
    address; the same SQL statements run in both branches (values aside)."""
    settings.TASKS = DATABASE_TASKS
    CaseFactory(returnee=ReturneeFactory(email="girts.kenins@example.com"))

    def statements(email):
        client.cookies.clear()
        with CaptureQueriesContext(connection) as queries:
            assert submit(client, email=email).status_code == 302
        return [re.sub(r"'[^']*'|\"s\d+_x\d+\"|\b\d+\b", "?", query["sql"]) for query in queries]

    statements("warm-up@example.com")
    known, unknown = statements("girts.kenins@example.com"), statements("someone.new@example.com")
    assert known == unknown
    assert not any("coordinators_returnee" in sql for sql in known)
    assert Case.objects.count() == 1  # both wait for the worker


def test_same_email_with_only_a_closed_case_opens_no_case_until_checked(client):
    closed = CaseFactory(returnee=ReturneeFactory(email="girts.kenins@example.com"))
    Case.objects.filter(pk=closed.pk).update(
        status=Case.Status.CLOSED, closed_reason=Case.ClosedReason.NO_RESPONSE
    )

    submit(client, planning_region=str(planning_region("ZEM").pk), municipality="")

    assert Case.objects.count() == 1
    assert Returnee.objects.count() == 1
    contact = ContactSubmission.objects.get()
    assert contact.status == ContactSubmission.Status.TO_CHECK
    assert contact.planning_region.code == "ZEM"


def test_double_click_or_resent_form_stores_one_message_and_one_confirmation(client):
    token = timestamp_token()
    first = submit(client, started=token)
    again = submit(client, started=token)

    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"]
    assert Case.objects.count() == 1
    assert Interaction.objects.count() == 1
    assert Email.objects.filter(purpose="contact_confirmation").count() == 1
    assert ContactSubmission.objects.count() == 1


def test_a_new_form_instance_from_the_same_person_is_a_new_submission(client):
    submit(client)
    submit(client)  # a fresh token: the known address now waits to be checked
    assert ContactSubmission.objects.filter(status="to_check").count() == 1


def test_a_token_older_than_a_few_hours_is_refused_without_storing(client):
    response = submit(client, started=timestamp_token(now=time.time() - FORM_MAX_AGE_SECONDS - 5))
    assert response.status_code == 200
    assert response.context["form"].has_error("started", "expired")
    assert_nothing_stored()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": ""}, "email", None),
        ({"email": "girts@"}, "email", None),
        ({"consent": None}, "consent", CONSENT_REQUIRED),
        ({"message": "ā" * 3001}, "message", None),
        ({"message": "nul\x00byte"}, "message", None),
        ({"phone": "12345"}, "phone", None),
        ({"children_ages": "3, septiņi"}, "children_ages", CHILDREN_AGES_INVALID),
        ({"children_ages": "25"}, "children_ages", CHILDREN_AGES_INVALID),
        ({"adults": "0"}, "adults", None),
        ({"first_name": ""}, "first_name", None),
    ],
)
def test_bad_input_gets_a_field_error_and_stores_nothing(client, overrides, field, message):
    response = submit(client, **overrides)

    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    if message:
        assert str(message) in form.errors[field]
    page = response.content.decode()
    assert "error-summary" in page
    assert 'value="Ķēniņš"' in page  # what was typed is kept
    assert '<option value="GB" selected>' in page
    assert_nothing_stored()


def test_municipality_of_another_region_gets_a_field_error(client):
    response = submit(client, municipality=str(municipality("Jelgavas valstspilsēta").pk))
    assert response.status_code == 200
    assert response.context["form"].errors["municipality"] == [str(MUNICIPALITY_NOT_IN_REGION)]
    assert_nothing_stored()


@pytest.mark.parametrize(
    "overrides",
    [
        {"planning_region": "999999"},
        {"planning_region": "abc"},
        {"planning_region": "99999999999999999999999"},
        {"municipality": "999999"},
        {"municipality": "-1"},
        {"preferred_language": "de"},
        {"timeframe": "tomorrow"},
        {"needs": ["999999"]},
        {"country": "XX"},
    ],
)
def test_tampered_post_is_a_bad_request_and_stores_nothing(client, overrides):
    response = submit(client, **overrides)
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert_nothing_stored()


def test_typed_text_is_escaped_when_the_form_is_shown_again(client):
    response = submit(client, first_name="<script>alert(1)</script>", email="")
    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_filled_honeypot_is_refused_and_nothing_is_stored(client):
    response = submit(client, homepage="http://spam.example")
    assert response.status_code == 400
    assert_nothing_stored()


def test_form_sent_faster_than_a_person_can_fill_it_is_refused(client, settings):
    settings.CONTACT_FORM_MIN_FILL_SECONDS = 3
    response = submit(client, started=timestamp_token())
    assert response.status_code == 200
    assert str(TOO_FAST) in response.content.decode()
    assert_nothing_stored()

    response = submit(client, started=timestamp_token(time.time() - 5))
    assert response.status_code == 302
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    "started",
    [lambda: "", lambda: "forged", lambda: timestamp_token(time.time() - 3 * 86400)],
    ids=["missing", "forged", "three-days-old"],
)
def test_missing_forged_or_old_timestamp_asks_to_send_again(client, started):
    response = submit(client, started=started())
    assert response.status_code == 200
    assert response.context["form"].has_error("started")
    assert_nothing_stored()


def test_rate_limit_per_address_answers_politely_with_429(client, settings):
    settings.CONTACT_FORM_RATE_LIMIT = 2
    submit(client, email="one@example.com")
    submit(client, email="two@example.com")

    response = submit(client, email="three@example.com")

    assert response.status_code == 429
    assert response["Retry-After"]
    page = response.content.decode()
    assert str(RATE_LIMITED) in page
    assert "Gribam atgriezties Liepājā" in page  # what was typed is kept
    assert 'value="three@example.com"' in page
    assert planning_region("KUR").coordinator_email in page
    assert Case.objects.count() == 2
    other = client.post(LV_URL, form_data(email="four@example.com"), REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302


def test_invalid_submissions_do_not_count_against_the_rate_limit(client, settings):
    settings.CONTACT_FORM_RATE_LIMIT = 2
    for _attempt in range(5):
        assert submit(client, email="girts@").status_code == 200
    assert submit(client).status_code == 302
    assert Case.objects.count() == 1


def test_english_form_help_text_is_english(client):
    page = client.get(EN_URL).content.decode()
    assert "Up to 3000 characters." in page
    assert "rakstzīm" not in page
    assert "Līdz 3000 rakstzīmēm." in client.get(LV_URL).content.decode()


def test_rate_limit_can_be_switched_off(client, settings):
    settings.CONTACT_FORM_RATE_LIMIT = 0
    for number in range(12):
        assert submit(client, email=f"p{number}@example.com").status_code == 302


def test_oversized_body_is_refused_before_it_is_read(client, settings):
    settings.CONTACT_FORM_MAX_BODY_BYTES = 1000
    response = submit(client, message="ā" * 900)
    assert response.status_code == 413
    assert str(TOO_LARGE) in response.content.decode()
    assert_nothing_stored()


def test_post_without_csrf_token_is_forbidden():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(LV_URL, form_data())
    assert response.status_code == 403
    assert_nothing_stored()


def test_post_with_csrf_token_passes_the_check():
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.get(LV_URL)
    token = browser.cookies["csrftoken"].value
    response = browser.post(LV_URL, form_data(csrfmiddlewaretoken=token))
    assert response.status_code == 302


def test_failing_mail_server_keeps_the_submission_and_queues_the_mail(
    client, monkeypatch, kurzeme_coordinator, django_capture_on_commit_callbacks
):
    def refuse(self, *args, **kwargs):
        raise SMTPServerDisconnected("Connection unexpectedly closed")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
        with django_capture_on_commit_callbacks(execute=True):
            response = submit(client)

    assert response.status_code == 302
    assert Case.objects.count() == 1
    queued = Email.objects.filter(status=Email.Status.QUEUED).order_by("pk")
    assert queued.count() == 2
    # The first mail met the dead server; the second was not tried: sending is paused.
    assert "Connection unexpectedly closed" in queued[0].last_error
    assert queued[1].attempts == 0
    assert SendingPause.objects.get().until > timezone.now()

    SendingPause.objects.update(until=timezone.now())  # the pause is over
    Email.objects.update(next_attempt_at=timezone.now())
    call_command("send_outbox")

    assert Email.objects.filter(status=Email.Status.SENT).count() == 2
    assert len(mail.outbox) == 2


def test_english_form_errors_are_in_english(client):
    response = submit(client, url=EN_URL, consent=None)
    with translation.override("en"):
        assert str(CONSENT_REQUIRED) in response.content.decode()


def test_typed_markup_is_escaped_on_the_staff_case_page(client, superuser):
    submit(
        client,
        first_name='<img src=x onerror="alert(1)">',
        message="<script>alert('case')</script>",
    )
    case = Case.objects.get()
    client.force_login(superuser)

    page = client.get(reverse("admin:coordinators_case_change", args=[case.pk])).content.decode()

    assert "<script>alert('case')</script>" not in page
    assert "&lt;script&gt;alert(&#x27;case&#x27;)&lt;/script&gt;" in page
    assert '<img src=x onerror="alert(1)">' not in page


def test_submission_runs_the_same_queries_whatever_the_household_and_needs(
    client, kurzeme_coordinator, django_assert_max_num_queries
):
    # One need against all seven: the needs' history row (django-auditlog) is written once
    # whatever their number.
    small = {
        "adults": "1",
        "children_ages": "",
        "needs": [str(NeedCategory.objects.values_list("pk", flat=True).first())],
    }
    # The ceiling includes django-auditlog's history rows for the new person and case, and
    # the worker's making of the case (the test backend runs the task in the request); the
    # counted events' snapshots read the case's household once; the confirmation's personal
    # link is one INSERT; the duplicate check looks for lookalikes once. No session row for
    # the thank-you page (a signed cookie).
    with django_assert_max_num_queries(65) as small_queries:
        submit(client, email="small@example.com", **small)
    large = {
        "adults": "6",
        "children_ages": "0, 1, 2, 3, 4, 5, 6, 7, 8, 9",
        "needs": [str(pk) for pk in NeedCategory.objects.values_list("pk", flat=True)],
    }
    with django_assert_max_num_queries(len(small_queries) + 2):
        # Another person: the same name would be a probable duplicate, flagged (more rows).
        submit(client, email="large@example.com", last_name="Ozola", **large)
    assert HouseholdMember.objects.count() == 15
