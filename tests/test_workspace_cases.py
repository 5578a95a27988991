"""The coordinator's workspace through its pages: login, dashboard, case list, case page."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import AuditEntry
from coordinators.models import Case, CaseEvent, HouseholdMember, Interaction, MunicipalityRequest
from coordinators.services.cases import RETURNEE_EMAIL_TAKEN
from coordinators.services.interactions import FOLLOW_UP_BEFORE_INTERACTION, INTERACTION_IN_FUTURE
from coordinators.services.pipeline import STALE_CASE, case_transition
from offers.models import Offer
from outbox.models import Email
from tests.factories import (
    CaseFactory,
    CoordinatorFactory,
    InteractionFactory,
    MunicipalityRequestFactory,
    OfferFactory,
    ReturneeFactory,
    SpecialistFactory,
    municipality,
    need,
    region,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def case_url(case, name="case_detail"):
    return reverse(f"workspace:{name}", args=[case.reference])


def dmy(day):
    return f"{day:%d.%m.%Y}"


@pytest.fixture
def coordinator_client(client, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)
    return client


# --- Login and the start page


def test_anonymous_visitor_of_home_is_sent_to_login(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


def test_coordinator_logs_in_and_lands_on_dashboard(client, kurzeme_coordinator):
    response = client.post(
        reverse("login"), {"username": "kurzeme", "password": "parole-123"}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("home")
    assert "counts" in response.context


def test_wrong_password_shows_error_and_keeps_username(client, kurzeme_coordinator):
    response = client.post(reverse("login"), {"username": "kurzeme", "password": "nepareizi"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert b'value="kurzeme"' in response.content


def test_logout_is_a_post_and_ends_the_session(coordinator_client):
    response = coordinator_client.post(reverse("logout"))

    assert response.status_code == 302
    assert coordinator_client.get("/").status_code == 302


def test_specialist_home_is_their_request_list(client, liepaja_specialist):
    client.force_login(liepaja_specialist)

    response = client.get("/")

    assert response["Location"] == reverse("workspace:request_list")


# --- Dashboard


def test_dashboard_counts_link_to_the_matching_filtered_lists(
    coordinator_client, kurzeme_coordinator
):
    CaseFactory()  # new, nobody's
    overdue = CaseFactory(coordinator=kurzeme_coordinator)
    Case.objects.filter(pk=overdue.pk).update(next_follow_up=TODAY() - datetime.timedelta(days=3))
    due_today = CaseFactory(coordinator=kurzeme_coordinator)
    Case.objects.filter(pk=due_today.pk).update(next_follow_up=TODAY())
    MunicipalityRequestFactory(case=due_today)
    OfferFactory(case=overdue, status=Offer.Status.SENT, sent_at=timezone.now())
    CaseFactory(planning_region=region("ZEM"))  # not visible

    counts = coordinator_client.get("/").context["counts"]

    assert counts["new_untaken"] == 1
    assert counts["follow_up_overdue"] == 1
    assert counts["follow_up_today"] == 1
    assert counts["requests_open"] == 1
    assert counts["offers_waiting"] == 1
    assert {status: total for status, _label, total in counts["by_status"]}["new"] == 2
    listed = coordinator_client.get(
        reverse("workspace:case_list"), {"follow_up": "overdue", "coordinator": "me"}
    )
    assert [case.reference for case in listed.context["cases"]] == [overdue.reference]
    waiting = coordinator_client.get(reverse("workspace:case_list"), {"waiting": "decision"})
    assert [case.reference for case in waiting.context["cases"]] == [overdue.reference]


def test_national_dashboard_counts_every_region_and_the_queue(client, national_admin):
    kurzeme = CaseFactory()
    zemgale = CaseFactory(planning_region=region("ZEM"))
    queue = CaseFactory(planning_region=None)
    for case in (kurzeme, zemgale, queue):
        Case.objects.filter(pk=case.pk).update(next_follow_up=TODAY())
    MunicipalityRequestFactory(case=kurzeme)
    MunicipalityRequestFactory(case=zemgale)
    MunicipalityRequestFactory(case=zemgale, status=MunicipalityRequest.Status.ANSWERED)
    for version, case in enumerate((kurzeme, zemgale, zemgale), start=1):
        OfferFactory(case=case, version=version, status=Offer.Status.SENT, sent_at=timezone.now())
    Case.objects.filter(pk=queue.pk).update(needs_attention=True)
    client.force_login(national_admin)

    counts = client.get("/").context["counts"]

    assert counts["follow_up_today"] == 3
    assert counts["requests_open"] == 2
    assert counts["offers_waiting"] == 2  # cases, not offers: Zemgale's has two versions
    assert counts["attention"] == 1
    assert {status: total for status, _label, total in counts["by_status"]}["new"] == 3


# --- Case list


def listed(client, q=None, **params):
    """References on the list; a search goes through the search form as in the browser."""
    if q is not None:
        response = client.post(reverse("workspace:case_search"), {"q": q})
        assert q.lower() not in response["Location"].lower()  # no personal data in URLs
        params["search"] = "on"
    response = client.get(reverse("workspace:case_list"), params)
    assert response.status_code == 200
    return [case.reference for case in response.context["cases"]]


def test_case_list_filters_by_status_need_country_source_and_municipality(coordinator_client):
    ventspils = municipality("Ventspils valstspilsēta")
    match = CaseFactory(
        needs=[need("housing")],
        municipality=ventspils,
        source=Case.Source.PHONE,
        returnee=ReturneeFactory(country="IE"),
    )
    CaseFactory(needs=[need("work")], returnee=ReturneeFactory(country="IE"))
    CaseFactory(needs=[need("housing"), need("work")], returnee=ReturneeFactory(country="DE"))

    assert listed(coordinator_client, need="housing", country="IE") == [match.reference]
    assert listed(coordinator_client, source="phone") == [match.reference]
    assert listed(coordinator_client, municipality=ventspils.pk) == [match.reference]
    assert len(listed(coordinator_client, need="housing")) == 2  # a case with two needs, once
    assert listed(coordinator_client, status="closed") == []


def test_case_list_searches_name_email_phone_and_reference(coordinator_client):
    person = ReturneeFactory(
        first_name="Līga", last_name="Bērziņa", email="liga@example.ie", phone="+353851234567"
    )
    case = CaseFactory(returnee=person)
    CaseFactory()

    assert listed(coordinator_client, q="bērziņa") == [case.reference]
    assert listed(coordinator_client, q="Līga Bērziņa") == [case.reference]
    assert listed(coordinator_client, q="LIGA@example.ie") == [case.reference]
    assert listed(coordinator_client, q="085 1234567") == [case.reference]
    assert listed(coordinator_client, q=case.reference.lower()) == [case.reference]


def test_search_keeps_the_filters_and_stays_out_of_the_url(coordinator_client):
    wanted = CaseFactory(returnee=ReturneeFactory(last_name="Bērziņa"), source=Case.Source.PHONE)
    CaseFactory(returnee=ReturneeFactory(last_name="Bērziņa"), source=Case.Source.EVENT)

    response = coordinator_client.post(
        reverse("workspace:case_search"),
        {"q": "Bērziņa", "next": "/cases/?source=phone&page=3"},
    )

    assert response["Location"] == "/cases/?source=phone&search=on"
    page = coordinator_client.get(response["Location"])
    assert [case.reference for case in page.context["cases"]] == [wanted.reference]
    assert 'value="Bērziņa"' in page.content.decode()  # the box shows what is searched
    cleared = coordinator_client.post(reverse("workspace:case_search"), {"q": ""})
    assert cleared["Location"] == "/cases/"


def test_case_list_ignores_an_invalid_filter_with_a_message(coordinator_client):
    CaseFactory()

    response = coordinator_client.get(
        reverse("workspace:case_list"),
        {"status": "flying", "created_from": "31.02.2026", "page": "abc", "need": "x"},
    )

    assert response.status_code == 200
    assert len(response.context["cases"]) == 1
    text = [str(message) for message in response.context["messages"]]
    assert len(text) == 3
    assert any("Statuss" in line or "Status" in line for line in text)


def test_case_list_filters_by_follow_up_creation_date_and_sorts(
    coordinator_client, kurzeme_coordinator
):
    old = CaseFactory(created_at=timezone.now() - datetime.timedelta(days=40))
    new = CaseFactory()
    Case.objects.filter(pk=old.pk).update(next_follow_up=TODAY() - datetime.timedelta(days=1))
    Case.objects.filter(pk=new.pk).update(next_follow_up=TODAY() + datetime.timedelta(days=5))

    assert listed(coordinator_client, follow_up="due") == [old.reference]
    assert listed(coordinator_client, created_from=dmy(TODAY() - datetime.timedelta(days=1))) == [
        new.reference
    ]
    assert listed(coordinator_client, sort="created") == [old.reference, new.reference]
    assert listed(coordinator_client) == [new.reference, old.reference]


def test_case_list_keeps_filters_in_page_links(coordinator_client):
    for _ in range(51):
        CaseFactory(source=Case.Source.EVENT)

    response = coordinator_client.get(reverse("workspace:case_list"), {"source": "event"})

    assert len(response.context["cases"]) == 50
    assert b"?source=event&amp;page=2" in response.content
    assert b'<option value="event" selected>' in response.content  # the filter stays shown
    assert len(listed(coordinator_client, source="event", page=2)) == 1
    assert len(listed(coordinator_client, source="event", page=99)) == 1  # last page


def test_bulk_assign_and_bulk_status_change(coordinator_client, kurzeme_coordinator):
    first, second = CaseFactory(), CaseFactory()
    closed = CaseFactory()
    case_transition(case=closed, to_status="closed", actor=None, closed_reason="other")

    response = coordinator_client.post(
        reverse("workspace:case_bulk"),
        {
            "cases": [first.reference, second.reference],
            "action": "assign",
            "coordinator": kurzeme_coordinator.pk,
            "next": "/cases/?source=contact_form",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/cases/?source=contact_form"
    assert set(Case.objects.filter(coordinator=kurzeme_coordinator)) == {first, second}

    response = coordinator_client.post(
        reverse("workspace:case_bulk"),
        {
            "cases": [first.reference, closed.reference],
            "action": "status",
            "to_status": "contacted",
        },
        follow=True,
    )
    first.refresh_from_db()
    closed.refresh_from_db()
    assert first.status == "contacted"
    assert closed.status == "contacted"  # reopening is an allowed transition
    response = coordinator_client.post(
        reverse("workspace:case_bulk"),
        {"cases": [first.reference, second.reference], "action": "status", "to_status": "returned"},
        follow=True,
    )
    second.refresh_from_db()
    assert second.status == "new"  # new → returned is not allowed: reported, not done
    messages = [str(message) for message in response.context["messages"]]
    assert any(second.reference in message for message in messages)


# --- Case page


def test_case_page_shows_person_household_and_allowed_next_steps(coordinator_client):
    case = CaseFactory(needs=[need("family")])
    HouseholdMember.objects.create(returnee=case.returnee, relation="child", birth_year=2019)

    response = coordinator_client.get(case_url(case))

    assert response.status_code == 200
    content = response.content.decode()
    assert case.returnee.email in content
    assert "2019" in content
    buttons = [value for value, _label in response.context["status_form"].next_statuses]
    assert buttons == ["contacted", "closed"]
    assert 'value="returned"' not in content


def test_case_page_links_the_offer_versions_and_the_personal_data_page(coordinator_client):
    case = CaseFactory()
    OfferFactory(case=case, version=1, status="sent", sent_at=timezone.now())
    OfferFactory(case=case, version=2)

    content = coordinator_client.get(case_url(case)).content.decode()

    for version in (1, 2):
        assert reverse("offers:detail", args=[case.reference, version]) in content
    assert reverse("offers:pdf", args=[case.reference, 1]) in content
    assert reverse("privacy:case", args=[case.reference]) in content


def test_opening_a_case_page_is_logged_in_the_audit_trail(coordinator_client, kurzeme_coordinator):
    case = CaseFactory()

    coordinator_client.get(case_url(case))

    entry = AuditEntry.objects.get(action="view")
    assert (entry.actor, entry.reference) == (kurzeme_coordinator, case.reference)


def test_timeline_names_the_assigned_coordinator_not_the_login(coordinator_client):
    colleague = CoordinatorFactory(username="ksproge", first_name="Ieva", last_name="Sproģe")
    case = CaseFactory()
    coordinator_client.post(case_url(case, "case_assign"), {"assign-coordinator": colleague.pk})

    content = coordinator_client.get(case_url(case)).content.decode()

    timeline = content.split('id="timeline"')[1].split("</section>")[0]
    assert "Ieva Sproģe" in timeline
    assert "ksproge" not in timeline


def test_unknown_reference_is_404(coordinator_client):
    assert coordinator_client.get("/cases/KUR-1999-00001/").status_code == 404


def test_timeline_merges_everything_newest_first_without_email_bodies(
    coordinator_client, kurzeme_coordinator
):
    case = CaseFactory(created_at=timezone.now() - datetime.timedelta(days=10))
    InteractionFactory(
        case=case, occurred_on=TODAY() - datetime.timedelta(days=5), summary="Pirmais zvans"
    )
    request = MunicipalityRequestFactory(
        case=case, created_at=timezone.now() - datetime.timedelta(days=4)
    )
    MunicipalityRequest.objects.filter(pk=request.pk).update(
        status="answered",
        answer="Vieta ir.",
        answered_at=timezone.now() - datetime.timedelta(days=3),
    )
    OfferFactory(case=case, status="sent", sent_at=timezone.now() - datetime.timedelta(days=2))
    Email.objects.create(
        to="x@example.com", subject="Jūsu piedāvājums", body="SECRET BODY", case=case
    )

    response = coordinator_client.get(case_url(case))

    kinds = [entry.kind for entry in response.context["timeline"]]
    assert kinds == ["email", "offer", "answer", "request", "interaction", "event"]
    content = response.content.decode()
    assert "Jūsu piedāvājums" in content
    assert "Vieta ir." in content
    assert "SECRET BODY" not in content


def test_logging_a_contact_sets_the_next_follow_up(coordinator_client, kurzeme_coordinator):
    case = CaseFactory()
    follow_up = TODAY() + datetime.timedelta(days=14)

    response = coordinator_client.post(
        case_url(case, "case_interaction"),
        {
            "interaction-kind": "phone",
            "interaction-occurred_on": dmy(TODAY()),
            "interaction-summary": "Runājām par skolu.",
            "interaction-follow_up_on": dmy(follow_up),
        },
        follow=True,
    )

    case.refresh_from_db()
    assert case.next_follow_up == follow_up
    interaction = Interaction.objects.get(case=case)
    assert interaction.author == kurzeme_coordinator
    assert "Runājām par skolu." in response.content.decode()
    assert response.context["messages"]


@pytest.mark.parametrize(
    ("occurred", "follow_up", "field", "message"),
    [
        (5, None, "occurred_on", INTERACTION_IN_FUTURE),
        (5, 3, "occurred_on", INTERACTION_IN_FUTURE),
        (-2, -5, "follow_up_on", FOLLOW_UP_BEFORE_INTERACTION),
    ],
)
def test_contact_with_impossible_dates_is_refused_keeping_the_text(
    coordinator_client, occurred, follow_up, field, message
):
    case = CaseFactory()
    data = {
        "interaction-kind": "meeting",
        "interaction-occurred_on": dmy(TODAY() + datetime.timedelta(days=occurred)),
        "interaction-summary": "Tikšanās Londonā",
        "interaction-follow_up_on": (
            dmy(TODAY() + datetime.timedelta(days=follow_up)) if follow_up is not None else ""
        ),
    }

    response = coordinator_client.post(case_url(case, "case_interaction"), data)

    assert response.status_code == 200
    assert response.context["interaction_form"].errors[field] == [str(message)]
    assert "Tikšanās Londonā" in response.content.decode()
    assert not Interaction.objects.filter(case=case).exists()


def test_status_change_records_event_with_note(coordinator_client, kurzeme_coordinator):
    case = CaseFactory()

    coordinator_client.post(
        case_url(case, "case_status"),
        {"status-to_status": "contacted", "status-expected_status": "new", "status-note": "Zvans"},
    )

    case.refresh_from_db()
    assert case.status == "contacted"
    event = CaseEvent.objects.get(case=case, kind="status_changed")
    assert (event.actor, event.note) == (kurzeme_coordinator, "Zvans")


def test_stale_status_form_changes_nothing_and_says_why(coordinator_client):
    case = CaseFactory()
    case_transition(case=case, to_status="closed", actor=None, closed_reason="no_response")

    response = coordinator_client.post(
        case_url(case, "case_status"),
        {"status-to_status": "contacted", "status-expected_status": "new"},
        follow=True,
    )

    case.refresh_from_db()
    assert case.status == "closed"
    messages = [str(message) for message in response.context["messages"]]
    with translation.override("lv"):
        expected = str(STALE_CASE % {"current": Case.Status.CLOSED.label})
    assert expected in messages


def test_closing_without_a_reason_is_a_field_error(coordinator_client):
    case = CaseFactory()

    response = coordinator_client.post(
        case_url(case, "case_status"),
        {"status-to_status": "closed", "status-expected_status": "new", "status-note": "x"},
    )

    assert response.status_code == 200
    assert "closed_reason" in response.context["status_form"].errors
    case.refresh_from_db()
    assert case.status == "new"


def test_editing_needs_replaces_them(coordinator_client):
    case = CaseFactory(needs=[need("family")])

    coordinator_client.post(
        case_url(case, "case_needs"), {"needs-needs": [need("housing").pk, need("work").pk]}
    )

    assert {item.code for item in case.needs.all()} == {"housing", "work"}


def test_assigning_to_a_coordinator_of_another_region_is_refused(coordinator_client):
    case = CaseFactory()
    colleague = CoordinatorFactory()
    stranger = CoordinatorFactory(planning_region=region("ZEM"))

    response = coordinator_client.post(
        case_url(case, "case_assign"), {"assign-coordinator": stranger.pk}
    )
    assert response.status_code == 200
    assert "coordinator" in response.context["assign_form"].errors

    coordinator_client.post(case_url(case, "case_assign"), {"assign-coordinator": colleague.pk})
    case.refresh_from_db()
    assert case.coordinator == colleague


def test_asking_a_municipality_notifies_its_specialist(coordinator_client):
    liepaja = municipality("Liepājas valstspilsēta")
    case = CaseFactory(municipality=liepaja)
    specialist = SpecialistFactory(email="speciaiste@liepaja.lv")

    coordinator_client.post(
        case_url(case, "case_request"),
        {
            "request-municipalities": liepaja.pk,
            "request-need": need("housing").pk,
            "request-question": "Vai ir īres dzīvoklis?",
        },
    )

    request = MunicipalityRequest.objects.get(case=case)
    assert (request.municipality, request.status) == (liepaja, "open")
    email = Email.objects.get(to=specialist.email)
    assert case.reference in email.subject
    assert case.returnee.last_name not in email.body


def test_municipality_mail_is_latvian_when_the_coordinator_works_in_english(
    coordinator_client, liepaja_specialist
):
    liepaja = municipality("Liepājas valstspilsēta")
    case = CaseFactory(municipality=liepaja)
    # The override also restores the language the English request activates in this thread.
    with translation.override("en"):
        url = case_url(case, "case_request")
        assert url.startswith("/en/")
        coordinator_client.post(
            url,
            {
                "request-municipalities": liepaja.pk,
                "request-need": need("housing").pk,
                "request-question": "Is there a flat to rent?",
            },
        )

    email = Email.objects.get(purpose="municipality_request")
    assert email.subject == f"Remigrācija: jautājums par lietu {case.reference}"
    assert "/en/" not in email.body


def test_marking_the_new_message_as_seen_clears_attention(coordinator_client):
    case = CaseFactory()
    Case.objects.filter(pk=case.pk).update(needs_attention=True)

    coordinator_client.post(case_url(case, "case_attention"))

    case.refresh_from_db()
    assert not case.needs_attention


# --- New case by hand


def test_coordinator_registers_a_phone_contact_in_their_region(
    coordinator_client, kurzeme_coordinator
):
    response = coordinator_client.post(
        reverse("workspace:case_create"),
        {
            "first_name": "Jānis",
            "last_name": "Ozoliņš",
            "email": "Janis@Example.no",
            "phone": "+47 412 34 567",
            "country": "NO",
            "preferred_language": "lv",
            "source": "phone",
            "municipality": municipality("Talsu novads").pk,
            "needs": [need("work").pk],
            "partner": "on",
            "children_birth_years": "2016, 2020",
            "assign_to_me": "on",
        },
    )

    case = Case.objects.get(returnee__email="janis@example.no")
    assert response["Location"] == case_url(case)
    assert case.reference.startswith("KUR-")
    assert case.coordinator == kurzeme_coordinator
    assert case.returnee.phone == "+4741234567"
    assert sorted(case.returnee.household.values_list("relation", "birth_year")) == [
        ("child", 2016),
        ("child", 2020),
        ("partner", None),
    ]


def test_new_case_with_known_email_or_bad_year_keeps_what_was_typed(coordinator_client):
    ReturneeFactory(email="taken@example.com")

    response = coordinator_client.post(
        reverse("workspace:case_create"),
        {
            "first_name": "Anna",
            "last_name": "Liepa",
            "email": "taken@example.com",
            "preferred_language": "lv",
            "source": "email",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [str(RETURNEE_EMAIL_TAKEN)]
    assert b'value="Liepa"' in response.content

    response = coordinator_client.post(
        reverse("workspace:case_create"),
        {
            "first_name": "A",
            "last_name": "B",
            "preferred_language": "lv",
            "source": "email",
            "children_birth_years": "2015, divi",
        },
    )
    assert "children_birth_years" in response.context["form"].errors


def test_mail_is_not_sent_to_the_person_by_workspace_actions(coordinator_client):
    case = CaseFactory()
    coordinator_client.post(
        case_url(case, "case_status"),
        {"status-to_status": "contacted", "status-expected_status": "new"},
    )
    assert all(case.returnee.email not in message.to for message in mail.outbox)


def test_workspace_is_latvian_by_default_and_english_under_en(coordinator_client):
    CaseFactory()

    latvian = coordinator_client.get(reverse("workspace:case_list")).content.decode()
    english = coordinator_client.get("/en/cases/").content.decode()

    assert "Lietas" in latvian
    assert "Cases" in english
    assert "Lietas" not in english
