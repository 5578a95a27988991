"""The case list and the case page run a fixed number of queries whatever the data size."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coordinators.models import (
    Case,
    CaseEvent,
    HouseholdMember,
    Interaction,
    MunicipalityRequest,
    PersonalLink,
)
from duplicates.models import DuplicateCandidate
from offers.models import Offer
from outbox.models import Email
from returnee.models import ReturneeDocument
from tests.factories import CaseFactory, ReturneeFactory, municipality, need, region
from transfers.models import CaseTransfer
from workspace.selectors import TIMELINE_LIMIT

pytestmark = pytest.mark.django_db

# Session, user, two-factor device and the session's save (in a SAVEPOINT only a test's
# transaction adds) take 6 of these; the menu's badges, the audit entry and the saved views
# one each; the filters' municipalities, needs and coordinators (shared with the bulk form)
# one each; the count, the page's ids, its rows and their needs. Constant whatever the data
# size; 15 outside a test's transaction, issue 16's goal.
LIST_QUERIES = 17
# The case page of a case with everything (FULL_CASE_PAGE_QUERIES): the 6 above (of which the
# SAVEPOINT and RELEASE around the session's save exist only inside a test's transaction), the
# view's audit entry, the case with its needs and household (3), the need categories, the
# municipalities with their regions and the coordinators (3, each shared by all the page's
# forms and the timeline), the municipality questions and the offer versions (one each, for
# their sections and the timeline), the documents, the probable duplicates, and the
# timeline's events, contacts and e-mails (3). A case without documents, duplicates or a
# transfer proposal reads none of those tables (the case row says whether there are any).
CASE_PAGE_QUERIES = 21


def bulk_cases(count, coordinator):
    """Many Kurzeme cases with needs, made with bulk_create as a big database would hold."""
    returnees = ReturneeFactory.build_batch(count)
    for number, returnee in enumerate(returnees):
        returnee.email = f"bulk{number}@example.com"
        returnee.keys_fill()  # as save() would: the search reads these
    returnees = ReturneeFactory._meta.model.objects.bulk_create(returnees)
    kurzeme = region("KUR")
    towns = list(kurzeme.municipalities.all())
    cases = Case.objects.bulk_create(
        Case(
            reference=f"KUR-2026-{number + 10000:05d}",
            returnee=returnee,
            planning_region=kurzeme,
            municipality=towns[number % len(towns)],
            coordinator=coordinator if number % 2 else None,
            source=Case.Source.PHONE if number % 3 else Case.Source.CONTACT_FORM,
            next_follow_up=timezone.localdate() - datetime.timedelta(days=number % 5),
        )
        for number, returnee in enumerate(returnees)
    )
    needs = [need("family"), need("housing"), need("work")]
    Case.needs.through.objects.bulk_create(
        Case.needs.through(case_id=case.pk, needcategory_id=item.pk)
        for case in cases
        for item in needs[: 1 + case.pk % 3]
    )
    return cases


@pytest.mark.parametrize("size", [5, 120])
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"need": "housing", "source": "phone", "sort": "name"},
        {"coordinator": "me", "follow_up": "due", "search": "on", "page": "2"},
        {"waiting": "municipality", "country": "GB", "created_from": "01.01.2020"},
    ],
    ids=["plain", "need-source", "mine-due-search", "waiting-country"],
)
def test_case_list_query_count_does_not_grow_with_the_data(
    client, kurzeme_coordinator, django_assert_max_num_queries, size, params
):
    bulk_cases(size, kurzeme_coordinator)
    client.force_login(kurzeme_coordinator)
    client.post(reverse("workspace:case_search"), {"q": "bulk1"})

    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(reverse("workspace:case_list"), params)

    assert response.status_code == 200


def test_case_list_page_of_fifty_shows_needs_of_every_row(
    client, kurzeme_coordinator, django_assert_max_num_queries
):
    bulk_cases(120, kurzeme_coordinator)
    client.force_login(kurzeme_coordinator)

    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(reverse("workspace:case_list"))

    rows = response.context["cases"]
    assert len(rows) == 50
    assert all(row.need_list for row in rows)


@pytest.mark.parametrize("entries", [3, 150])
def test_case_page_query_count_does_not_grow_with_the_timeline(
    client, kurzeme_coordinator, django_assert_max_num_queries, entries
):
    case = CaseFactory(coordinator=kurzeme_coordinator, needs=[need("family"), need("work")])
    HouseholdMember.objects.bulk_create(
        HouseholdMember(returnee=case.returnee, relation="child", birth_year=2010 + number)
        for number in range(3)
    )
    now = timezone.now()
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case=case,
            kind="status_changed",
            from_value="new",
            to_value="contacted",
            actor=kurzeme_coordinator,
            created_at=now - datetime.timedelta(hours=number),
        )
        for number in range(entries)
    )
    Interaction.objects.bulk_create(
        Interaction(
            case=case,
            kind="phone",
            summary=f"Zvans {number}",
            author=kurzeme_coordinator,
            occurred_on=timezone.localdate() - datetime.timedelta(days=number),
        )
        for number in range(entries)
    )
    MunicipalityRequest.objects.bulk_create(
        MunicipalityRequest(
            case=case,
            municipality=municipality("Liepājas valstspilsēta"),
            need=need("family"),
            question=f"Jautājums {number}",
            created_by=kurzeme_coordinator,
            answered_by=kurzeme_coordinator,
            status="answered",
            answer="Atbilde",
            answered_at=now,
        )
        for number in range(entries)
    )
    Offer.objects.bulk_create(
        Offer(case=case, version=number + 1, status="sent", sent_at=now)
        for number in range(entries)
    )
    Email.objects.bulk_create(
        Email(case=case, to="a@example.com", subject=f"Vēstule {number}", body="-")
        for number in range(entries)
    )
    client.force_login(kurzeme_coordinator)

    with django_assert_max_num_queries(CASE_PAGE_QUERIES):
        response = client.get(reverse("workspace:case_detail", args=[case.reference]))

    assert response.status_code == 200
    assert len(response.context["timeline"]) == min(entries * 6 + 1, TIMELINE_LIMIT)


def full_case(coordinator, size):
    """A Kurzeme case with one of everything its page shows, `size` of each kind of history:
    status changes, assignments, needs and region changes, contacts, questions to two
    municipalities with answers, offer versions, e-mails, household members, documents,
    probable duplicates; a personal link and an open transfer proposal."""
    case = CaseFactory(coordinator=coordinator, needs=[need("family"), need("work")])
    now = timezone.now()
    PersonalLink.objects.create(
        returnee=case.returnee,
        token_hash=f"{case.pk:064d}",
        expires_at=now + datetime.timedelta(days=7),
    )
    CaseTransfer.objects.create(
        case=case, from_region=region("KUR"), to_region=region("ZEM"), note="Pārceļas.",
        proposed_by=coordinator,
    )  # fmt: skip
    for _number in range(size):
        other = CaseFactory(returnee=ReturneeFactory(phone=case.returnee.phone))
        DuplicateCandidate.objects.create(case_a=case, case_b=other, reasons=["phone"], score=50)
    HouseholdMember.objects.bulk_create(
        HouseholdMember(returnee=case.returnee, relation="child", birth_year=2010 + number)
        for number in range(size)
    )
    ReturneeDocument.objects.bulk_create(
        ReturneeDocument(
            case=case, file=f"returnee-documents/{number}", original_name=f"diploms{number}.pdf",
            size=1000, content_type="application/pdf",
        )
        for number in range(size)
    )  # fmt: skip
    kinds = [
        {"kind": "status_changed", "from_value": "new", "to_value": "contacted"},
        {"kind": "assigned", "to_value": coordinator.username},
        {"kind": "details_changed", "field": "needs", "from_value": "family", "to_value": "work"},
        {"kind": "region_changed", "from_value": "ZEM", "to_value": "KUR"},
    ]
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case=case, actor=coordinator, created_at=now - datetime.timedelta(hours=number),
            **kinds[number % len(kinds)],
        )
        for number in range(size * len(kinds))
    )  # fmt: skip
    Interaction.objects.bulk_create(
        Interaction(
            case=case, kind="phone", summary=f"Zvans {number}", author=coordinator,
            occurred_on=timezone.localdate() - datetime.timedelta(days=number),
        )
        for number in range(size)
    )  # fmt: skip
    MunicipalityRequest.objects.bulk_create(
        MunicipalityRequest(
            case=case, municipality=municipality(name), need=need("family"),
            question=f"Jautājums {number}", created_by=coordinator, answered_by=coordinator,
            status="answered", answer="Atbilde", answered_at=now,
        )
        for number in range(size)
        for name in ("Liepājas valstspilsēta", "Ventspils valstspilsēta")
    )  # fmt: skip
    Offer.objects.bulk_create(
        Offer(case=case, version=number + 1, status="sent", sent_at=now) for number in range(size)
    )
    Email.objects.bulk_create(
        Email(case=case, to="a@example.com", subject=f"Vēstule {number}", body="-")
        for number in range(size)
    )
    return case


def case_page_queries(client, case):
    """The SQL statements of one GET of the case page (a first one warms the caches)."""
    url = reverse("workspace:case_detail", args=[case.reference])
    client.get(url)
    return case_page_get(client, url)


def case_page_get(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return response, [query["sql"] for query in context.captured_queries]


def tables_read(queries):
    """The table each SELECT reads rows from (its first column's; subqueries aside)."""
    return [
        sql.removeprefix("SELECT ").lstrip("(").split(".", 1)[0].strip('"')
        for sql in queries
        if sql.startswith("SELECT ")
    ]


def test_full_case_page_runs_the_same_few_queries_however_much_it_holds(
    client, kurzeme_coordinator, django_assert_max_num_queries
):
    client.force_login(kurzeme_coordinator)
    small = full_case(kurzeme_coordinator, size=1)
    big = full_case(kurzeme_coordinator, size=40)

    _response, small_queries = case_page_queries(client, small)
    url = reverse("workspace:case_detail", args=[big.reference])
    client.get(url)
    with django_assert_max_num_queries(CASE_PAGE_QUERIES):
        response, big_queries = case_page_get(client, url)

    assert len(big_queries) == len(small_queries)
    # No second read of what several sections and forms show: the questions, the offers,
    # the municipalities, the need categories (the case's own needs aside).
    main_tables = tables_read(big_queries)
    for table in (
        "coordinators_municipalityrequest",
        "offers_offer",
        "municipalities_municipality",
        "municipalities_needcategory",
        "coordinators_caseevent",
        "returnee_returneedocument",
        "duplicates_duplicatecandidate",
    ):
        assert main_tables.count(table) == 1, (table, main_tables)
    html = response.content.decode()
    assert html.count('class="household-member"') == 40
    assert html.count("diploms") == 40
    assert html.count("Compare and decide") + html.count("Salīdzināt un izlemt") == 40
    assert "Jautājums 39" in html and "Vēstule 39" in html


def test_case_page_reads_no_table_the_case_row_says_is_empty(client, kurzeme_coordinator):
    case = CaseFactory(coordinator=kurzeme_coordinator)
    client.force_login(kurzeme_coordinator)

    response, queries = case_page_queries(client, case)

    read = tables_read(queries)
    for table in (
        "returnee_returneedocument",
        "duplicates_duplicatecandidate",
        "transfers_casetransfer",
        "coordinators_householdmember",
        "offers_offer",
        "outbox_email",
    ):
        assert table not in read
    assert response.status_code == 200


@pytest.mark.parametrize("size", [5, 120])
@pytest.mark.parametrize("who", ["coordinator", "admin"])
def test_dashboard_runs_a_few_queries_whatever_the_data(
    client, kurzeme_coordinator, national_admin, django_assert_max_num_queries, size, who
):
    cases = bulk_cases(size, kurzeme_coordinator)
    Offer.objects.bulk_create(
        Offer(case=case, status="sent", sent_at=timezone.now()) for case in cases
    )
    client.force_login(kurzeme_coordinator if who == "coordinator" else national_admin)

    # The 6 of every page (session, user, device, the session's save in its savepoint), the
    # menu's badges, the counts (one pass by status), attention, new and nobody's, open
    # questions, offers waiting, transfers waiting, and the administrator's failed mail.
    with django_assert_max_num_queries(14):
        response = client.get("/")

    mine = [case for case in cases if who == "admin" or case.coordinator_id]
    assert response.context["counts"]["offers_waiting"] == len(mine)


def test_long_timeline_shows_the_latest_entries_and_older_ones_on_request(
    client, kurzeme_coordinator, django_assert_max_num_queries
):
    case = CaseFactory(coordinator=kurzeme_coordinator)  # its "created" event, the oldest
    now = timezone.now()
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case=case, kind="status_changed", from_value="new", to_value="contacted",
            note=f"Solis {number}", created_at=now + datetime.timedelta(minutes=number),
        )
        for number in range(300)
    )  # fmt: skip
    client.force_login(kurzeme_coordinator)
    url = reverse("workspace:case_detail", args=[case.reference])

    first = client.get(url)
    with django_assert_max_num_queries(CASE_PAGE_QUERIES):
        more = client.get(url, {"timeline": str(TIMELINE_LIMIT * 4)})

    assert len(first.context["timeline"]) == TIMELINE_LIMIT == 100
    html = first.content.decode()
    assert "Solis 299" in html and "Solis 199" not in html
    assert '?timeline=200#timeline"' in html
    assert len(more.context["timeline"]) == 301
    assert "Solis 0" in more.content.decode()
    assert more.context["timeline_more"] is None
    for nonsense in ("abc", "-5", "1e9", ""):
        assert len(client.get(url, {"timeline": nonsense}).context["timeline"]) == TIMELINE_LIMIT
    assert len(client.get(url, {"timeline": "99999"}).context["timeline"]) == 301


def test_timeline_offers_older_entries_when_the_merged_tables_fill_it(client, kurzeme_coordinator):
    """60 steps and 60 contacts are 121 entries with the "created" one: each table gave
    fewer rows than the limit, yet the page shows only the newest 100 of them."""
    case = CaseFactory(coordinator=kurzeme_coordinator)
    now = timezone.now()
    CaseEvent.objects.bulk_create(
        CaseEvent(case=case, kind="status_changed", from_value="new", to_value="contacted",
                  created_at=now + datetime.timedelta(minutes=number))
        for number in range(60)
    )  # fmt: skip
    Interaction.objects.bulk_create(
        Interaction(case=case, kind=Interaction.Kind.PHONE, summary=f"Saruna {number}",
                    occurred_on=timezone.localdate(), created_at=now + datetime.timedelta(
                        minutes=number, seconds=30))
        for number in range(60)
    )  # fmt: skip
    client.force_login(kurzeme_coordinator)
    url = reverse("workspace:case_detail", args=[case.reference])

    first = client.get(url)
    everything = client.get(url, {"timeline": "200"})

    assert len(first.context["timeline"]) == TIMELINE_LIMIT
    assert '?timeline=200#timeline"' in first.content.decode()
    assert len(everything.context["timeline"]) == 121
    assert "Saruna 0" in everything.content.decode()
    assert everything.context["timeline_more"] is None
