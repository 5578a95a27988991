"""What makes the public form fast (issue 16) without changing what it shows or stores: the
fields kept rendered per language and dropped when the reference data change, no session row
for a submission, and a POST with a handful of queries. The speed itself is measured by
bench/contact_form.py, not here."""

import uuid

import pytest
import redis
from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from django.utils.crypto import salted_hmac

from common import ratelimit
from coordinators.models import Case, CaseEvent, ContactSubmission, Interaction
from intake import fragments
from intake.tasks import contact_submission_process_task
from intake.views import ContactFormView
from municipalities.models import Municipality, NeedCategory, PlanningRegion
from outbox.models import Email
from tests.factories import municipality, need, region
from tests.test_contact_form import EN_URL, LV_URL, contact_settings, form_data  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock_still(monkeypatch):
    """The kept copies' clock stands still unless the test moves it: a slow machine's two
    requests more than CHECK_SECONDS apart would otherwise read the fingerprint again.
    (Each test starts with nothing kept: tests/conftest.py's form_fragments_forgotten.)"""
    now = fragments._clock()
    monkeypatch.setattr(fragments, "_clock", lambda: now)


def _tokens(page):
    """The CSRF token and the start token of a rendered form page."""
    csrf = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    return csrf, page.split('name="started" value="')[1].split('"')[0]


def test_a_second_visit_reads_at_most_the_fingerprint_and_shows_the_same_fields(
    client, django_assert_max_num_queries
):
    first = client.get(LV_URL).content.decode()
    with django_assert_max_num_queries(1):
        second = client.get(LV_URL).content.decode()

    fields = first.split('name="started"')[1]
    assert (
        fields.split('value="', 1)[1].split('"', 1)[1]
        == (second.split('name="started"')[1].split('value="', 1)[1].split('"', 1)[1])
    )
    assert "Liepājas valstspilsēta" in second and 'name="needs"' in second


def test_each_visitor_gets_a_start_token_of_their_own(client):
    tokens = {_tokens(client.get(LV_URL).content.decode())[1] for _visit in range(3)}
    assert len(tokens) == 3


def test_the_kept_fields_are_per_language(client):
    client.get(LV_URL)
    assert "Country of residence" in client.get(EN_URL).content.decode()
    assert "Country of residence" not in client.get(LV_URL).content.decode()


def test_a_new_municipality_shows_on_the_next_visit(client):
    client.get(LV_URL)
    Municipality.objects.create(
        name="Jaunpils novads", planning_region=region("KUR"), kind=Municipality.Kind.COUNTY
    )
    assert "Jaunpils novads" in client.get(LV_URL).content.decode()


def test_a_renamed_need_shows_on_the_next_visit(client):
    client.get(LV_URL)
    need = NeedCategory.objects.get(code="housing")
    need.name = "Mājoklis un īre"
    need.save()
    assert "Mājoklis un īre" in client.get(LV_URL).content.decode()


def test_a_change_that_sends_no_signal_here_is_seen_by_the_fingerprint(client, monkeypatch):
    """Another process's change sends this one no signal; bulk_create sends none either. The
    fingerprint is read again once CHECK_SECONDS have passed."""
    client.get(LV_URL)
    Municipality.objects.bulk_create(
        [Municipality(name="Jaunpils novads", planning_region=region("KUR"), kind="county")]
    )
    assert "Jaunpils novads" not in client.get(LV_URL).content.decode()  # within the seconds
    later = fragments._clock() + fragments.CHECK_SECONDS
    monkeypatch.setattr(fragments, "_clock", lambda: later)
    assert "Jaunpils novads" in client.get(LV_URL).content.decode()


def test_visits_within_the_check_seconds_read_no_fingerprint(
    client, django_assert_num_queries, monkeypatch
):
    client.get(LV_URL)
    with django_assert_num_queries(0):
        client.get(LV_URL)
    later = fragments._clock() + fragments.CHECK_SECONDS
    monkeypatch.setattr(fragments, "_clock", lambda: later)
    with django_assert_num_queries(1):  # the fingerprint, read again
        client.get(LV_URL)


def test_the_kept_page_gives_each_visitor_tokens_of_their_own_that_the_post_accepts(client):
    """The page is kept whole; each visit puts in a CSRF token and a start token anew (no
    placeholder left), and the form sent with them is accepted under the CSRF check."""
    first = client.get(LV_URL).content.decode()
    visitor = Client(enforce_csrf_checks=True)
    second = visitor.get(LV_URL).content.decode()

    assert fragments.CSRF_MARK not in second and fragments.STARTED_MARK not in second
    (csrf_1, started_1), (csrf_2, started_2) = _tokens(first), _tokens(second)
    assert csrf_1 != csrf_2 and started_1 != started_2
    # Apart from the tokens the kept page is the page as rendered for the first visitor.
    assert second.replace(csrf_2, "T").replace(started_2, "S") == first.replace(
        csrf_1, "T"
    ).replace(started_1, "S")
    assert second.count(csrf_2) == 2  # the form's and the language switch's
    response = visitor.post(
        LV_URL, form_data(csrfmiddlewaretoken=csrf_2, started=started_2, email="own@example.com")
    )
    assert response.status_code == 302
    assert Case.objects.filter(returnee__email="own@example.com").exists()


def test_a_signed_in_user_gets_the_page_with_their_own_menu(client, kurzeme_coordinator):
    anonymous = client.get(LV_URL).content.decode()  # an anonymous visitor's page is kept
    client.force_login(kurzeme_coordinator)
    page = client.get(LV_URL).content.decode()
    assert f"({kurzeme_coordinator.username})" in page  # the log-out button
    assert f"({kurzeme_coordinator.username})" not in anonymous


def test_a_query_string_is_kept_in_the_language_switch_not_in_the_kept_page(client):
    client.get(LV_URL)
    page = client.get(LV_URL + "?utm_source=newsletter").content.decode()
    assert 'name="next" type="hidden" value="/dod-zinu/?utm_source=newsletter"' in page
    assert "utm_source" not in client.get(LV_URL).content.decode()


def test_a_visitor_with_a_message_waiting_sees_it_on_the_form(client, rf):
    client.get(LV_URL)  # kept
    request = rf.get(LV_URL)
    request.user = AnonymousUser()
    request._messages = CookieStorage(request)
    messages.info(request, "Jūsu valoda ir nomainīta")
    response = ContactFormView.as_view()(request)
    response.render()
    assert "Jūsu valoda ir nomainīta" in response.content.decode()


def test_a_rename_elsewhere_shows_within_one_ttl_even_on_a_page_made_later(
    client, kurzeme_coordinator, monkeypatch
):
    """The fields kept for a signed-in user's page; a municipality renamed where this
    process gets no signal; the first anonymous page made 50 s later is made with its
    fields and rows afresh, not from the 50-second-old copy (which would keep the old name
    for another minute)."""
    staff = Client()
    staff.force_login(kurzeme_coordinator)
    staff.get(LV_URL)  # the fields (and rows) kept now
    Municipality.objects.filter(name="Liepājas valstspilsēta").update(name="Liepāja (jaunais)")
    later = fragments._clock() + 50
    monkeypatch.setattr(fragments, "_clock", lambda: later)
    assert "Liepāja (jaunais)" in client.get(LV_URL).content.decode()


def test_a_region_deleted_in_another_process_is_refused_as_a_choice_not_stored(client):
    """A visit less than CHECK_SECONDS ago read the fingerprint; the region is then deleted
    where this process gets no signal. The form sent is checked against the rows of now:
    the field's error, what was typed kept, nothing stored."""
    added = PlanningRegion.objects.create(code="TST", name="Pārbaudes reģions")
    assert "Pārbaudes reģions" in client.get(LV_URL).content.decode()
    with connection.cursor() as cursor:  # no signal: as if another process had done it
        cursor.execute("DELETE FROM municipalities_planningregion WHERE id = %s", [added.pk])
    response = client.post(
        LV_URL, form_data(planning_region=str(added.pk), municipality="", town="Mančestra")
    )
    assert response.status_code == 400  # a choice the page (now) never offered
    assert 'value="Mančestra"' in response.content.decode()
    assert ContactSubmission.objects.count() == 0


def test_a_form_with_errors_is_rendered_afresh_with_what_was_typed(client):
    client.get(LV_URL)  # a kept rendering exists
    response = client.post(LV_URL, form_data(first_name="", town="Mančestra"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Mančestra"' in page and "field--error" in page


def test_a_submission_writes_no_session_and_still_reaches_the_thank_you_page(client):
    response = client.post(LV_URL, form_data())

    assert response["Location"] == reverse("intake:contact_thanks")
    assert Session.objects.count() == 0
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200


def test_a_forged_sent_cookie_does_not_open_the_thank_you_page(client):
    client.cookies["contact_form_sent"] = "1"
    response = client.get(reverse("intake:contact_thanks"))
    assert response.status_code == 302 and response["Location"] == LV_URL


def test_a_post_runs_a_handful_of_queries(client, django_assert_max_num_queries, settings):
    """Region, municipality and needs once each, the stored submission in its savepoints (the
    test's transaction adds one); no session. The worker's making of the case is not in the
    request (the test backend runs tasks at once, so it is switched to the dummy one)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    data = form_data()
    with django_assert_max_num_queries(8):
        response = client.post(LV_URL, data)
    assert response.status_code == 302


@pytest.fixture
def tasks_stored(settings):
    """Tasks stored, not run: the request's work and the worker's apart."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_a_post_stores_the_submission_and_its_task_without_a_savepoint(
    client, tasks_stored, django_assert_num_queries
):
    """The fingerprint read now (a sent form is checked against the rows that exist now),
    then the submission's INSERT in its transaction (in a test, a savepoint inside the
    test's own transaction): no query per region, municipality or need, no savepoint of its
    own (the dummy task backend stores nothing)."""
    client.get(LV_URL)  # the kept rows are made on the first visit
    data = form_data()
    with django_assert_num_queries(4):  # the fingerprint read now, SAVEPOINT, INSERT, RELEASE
        response = client.post(LV_URL, data)
    assert response.status_code == 302
    submission = ContactSubmission.objects.get()
    assert submission.planning_region == region("KUR")
    assert submission.data["municipality"] == municipality("Liepājas valstspilsēta").pk
    assert submission.data["needs"] == sorted([need("family").pk, need("housing").pk])


def test_the_same_form_sent_twice_is_stored_once_and_the_request_still_works(client, tasks_stored):
    data = form_data()
    first, second = client.post(LV_URL, data), client.post(LV_URL, data)
    assert first.status_code == second.status_code == 302
    assert ContactSubmission.objects.count() == 1
    assert client.get(LV_URL).status_code == 200  # the transaction was left clean


@pytest.mark.parametrize(
    "overrides",
    [
        {},  # region, municipality, a household of three and two needs
        {"planning_region": "", "municipality": ""},  # the national queue
    ],
)
def test_the_worker_makes_a_case_in_a_fixed_number_of_queries(
    client, tasks_stored, kurzeme_coordinator, django_assert_max_num_queries, overrides
):
    """27 queries: it was 48 before issue 16's cut (savepoints of their own, existence
    checks of rows just saved, the audit diff reading reverse one-to-ones, a send task per
    mail). The year's first case also makes its reference sequence: measured on the second."""
    for email in ("first@example.com", "second@example.com"):
        client.post(LV_URL, form_data(email=email, last_name=email[:5], **overrides))
    first, second = ContactSubmission.objects.order_by("pk")
    contact_submission_process_task.call(submission_id=first.pk)
    with django_assert_max_num_queries(27):
        status = contact_submission_process_task.call(submission_id=second.pk)

    assert status == ContactSubmission.Status.CASE_CREATED
    case = Case.objects.get(returnee__email="second@example.com")
    assert case.returnee.household.count() == 3
    assert case.needs.count() == 2
    assert case.events.get().kind == CaseEvent.Kind.CREATED
    interaction = case.interactions.get()
    assert interaction.kind == Interaction.Kind.CONTACT_FORM
    assert case.emails.filter(purpose=Email.Purpose.CONTACT_CONFIRMATION).count() == 1
    assert case.emails.filter(purpose=Email.Purpose.CONTACT_NOTIFICATION).exists()
    # The audit trail still records the person, the case, its needs and the message.
    entries = LogEntry.objects.filter(
        Q(content_type__model="returnee", object_id=case.returnee.pk)
        | Q(content_type__model="case", object_id=case.pk)
        | Q(content_type__model="interaction", object_id=interaction.pk)
    )
    logged = list(entries.values_list("content_type__model", "action"))
    assert sorted(logged) == sorted(
        [
            ("returnee", LogEntry.Action.CREATE),
            ("case", LogEntry.Action.CREATE),
            ("case", LogEntry.Action.UPDATE),  # its needs
            ("interaction", LogEntry.Action.CREATE),
        ]
    )
    needs_entry = entries.get(content_type__model="case", action=LogEntry.Action.UPDATE)
    assert len(needs_entry.changes["needs"]["objects"]) == 2


@pytest.fixture
def real_redis(settings):
    """The Redis on this machine, under a key prefix of this test's own; skipped without one."""
    location = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(location, socket_connect_timeout=0.2).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    yield caches["default"]
    caches["default"].clear()


def test_the_rate_limit_counts_in_redis_in_one_round_trip(real_redis, monkeypatch):
    def counted():
        return ratelimit.rate_limit_exceeded(
            scope="speed", identity="203.0.113.7", limit=2, window=60
        )

    assert counted() is False  # connects (and selects the database) once
    sent = []
    send = redis.connection.Connection.send_packed_command
    monkeypatch.setattr(
        redis.connection.Connection,
        "send_packed_command",
        lambda self, *args, **kwargs: sent.append(1) or send(self, *args, **kwargs),
    )
    assert counted() is False
    assert len(sent) == 1
    assert counted() is True  # the third in the window
    key = f"speed:{salted_hmac('speed', '203.0.113.7').hexdigest()}"
    assert real_redis.get(key) == 3
    redis_key = real_redis.make_and_validate_key(key)
    assert 0 < real_redis._cache.get_client(redis_key).ttl(redis_key) <= 60  # the window's


def test_a_count_without_expiry_gets_the_window_back(real_redis):
    """A count key left without a timeout (written by something else, or recreated by the
    INCRBY after the key expired a moment before) would never reset and lock the client out
    for good: the next count gives it the window's expiry."""
    key = f"speed:{salted_hmac('speed', '198.51.100.9').hexdigest()}"
    redis_key = real_redis.make_and_validate_key(key)
    client = real_redis._cache.get_client(redis_key, write=True)
    client.set(redis_key, 5)  # no expiry
    assert client.ttl(redis_key) == -1

    assert ratelimit.rate_limit_exceeded(
        scope="speed", identity="198.51.100.9", limit=10, window=60
    ) is False  # fmt: skip

    assert real_redis.get(key) == 6
    assert 0 < client.ttl(redis_key) <= 60


def test_a_municipality_moved_after_the_form_was_checked_takes_the_contact_with_it(
    client, tasks_stored
):
    """The form checks the region and municipality against rows it keeps for up to a
    minute; a municipality moved to another region meanwhile must not leave the contact
    stuck as a pair the case refuses: the municipality's region wins."""
    client.post(LV_URL, form_data(email="moved@example.com"))
    submission = ContactSubmission.objects.get()
    Municipality.objects.filter(name="Liepājas valstspilsēta").update(planning_region=region("ZEM"))

    status = contact_submission_process_task.call(submission_id=submission.pk)

    assert status == ContactSubmission.Status.CASE_CREATED
    case = Case.objects.get(returnee__email="moved@example.com")
    assert (case.planning_region, case.municipality.name) == (
        region("ZEM"),
        "Liepājas valstspilsēta",
    )
