"""Who reaches what outside the workspace: every other URL of the portal walked by every role.

The workspace URLs have their matrix in test_workspace_access.py, the admin's (generated from
admin.site) in test_admin_access.py; the guard at the end checks that the matrices together
name every URL of the portal, so a new page cannot be added without deciding who may open it.
"""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from coordinators.services.pipeline import case_transition
from jobs.models import JobRun
from offers.models import Offer
from privacy.models import DataExport
from reports.models import ClosedPeriod, ReportExport
from returnee.models import ReturneeDocument
from tests import test_workspace_access
from tests.factories import (
    AnalystFactory,
    AttendeeFactory,
    CaseFactory,
    CoordinatorFactory,
    EventFactory,
    MunicipalityRequestFactory,
    NationalAdminFactory,
    OfferItemFactory,
    SpecialistFactory,
    municipality,
    region,
)

pytestmark = pytest.mark.django_db

ROLES = test_workspace_access.ROLES  # anonymous, admin, kurzeme, zemgale, specialist, analyst
LOGIN = "login"  # anonymous users are sent to the (staff or admin) login page
MISSING = "KUR-2026-99999"
KURZEME_ZIP = "6f1c2a3e-0000-4000-8000-00000000000a"
ZEMGALE_ZIP = "6f1c2a3e-0000-4000-8000-00000000000b"
NO_ZIP = "6f1c2a3e-0000-4000-8000-0000000000ff"
KURZEME_PDF = "6f1c2a3e-0000-4000-8000-00000000000c"
KURZEME_DOCUMENT = "6f1c2a3e-0000-4000-8000-00000000000d"
ZEMGALE_DOCUMENT = "6f1c2a3e-0000-4000-8000-00000000000e"
CLOSED_PERIOD = 7


@pytest.fixture
def world():
    """A contacted Kurzeme case in Liepāja with a draft offer and a request, the same in
    Zemgale, and one user per role."""
    admin = NationalAdminFactory()
    # A background worker ran this minute's sweep, so /healthz answers 200 (it says 503
    # while no worker runs: tests/test_health.py).
    JobRun.objects.create(name="outbox_sweep", slot="matrix")
    cases = {}
    for code in ("KUR", "ZEM"):
        place = {"municipality": municipality("Liepājas valstspilsēta")} if code == "KUR" else {}
        case = CaseFactory(planning_region=region(code), **place)
        case_transition(case=case, to_status="contacted", actor=admin)
        OfferItemFactory(offer__case=case)
        MunicipalityRequestFactory(case=case)
        cases[code] = case
    users = {
        "anonymous": None,
        "admin": admin,
        "kurzeme": CoordinatorFactory(),
        "zemgale": CoordinatorFactory(planning_region=region("ZEM")),
        "specialist": SpecialistFactory(),
        "analyst": AnalystFactory(),
    }
    # A ready personal-data ZIP of each case, asked for by that region's coordinator.
    for code, export_id, who in (("KUR", KURZEME_ZIP, "kurzeme"), ("ZEM", ZEMGALE_ZIP, "zemgale")):
        DataExport.objects.create(
            id=export_id, case=cases[code], requested_by=users[who], status="ready",
            content=b"PK", expires_at=timezone.now() + timedelta(hours=1),
        )  # fmt: skip
    # A document each person uploaded on their page.
    for code, document_id in (("KUR", KURZEME_DOCUMENT), ("ZEM", ZEMGALE_DOCUMENT)):
        document = ReturneeDocument(id=document_id, case=cases[code], original_name="d.pdf",
                                    size=5, content_type="application/pdf")  # fmt: skip
        document.file.save(document_id, ContentFile(b"%PDF-"), save=True)
    ReportExport.objects.create(
        id=KURZEME_PDF, requested_by=users["kurzeme"], query="date_from=01.01.2026",
        language="lv", status="ready", content=b"%PDF", filename="r.pdf",
        expires_at=timezone.now() + timedelta(hours=1),
    )  # fmt: skip
    # A published Kurzeme event with one attendee, and a Zemgale event.
    events = {"KUR": EventFactory(), "ZEM": EventFactory(organiser_region=region("ZEM"))}
    AttendeeFactory(event=events["KUR"])
    # The year 2025, closed by the national administrator (figures not needed here).
    ClosedPeriod.objects.create(
        pk=CLOSED_PERIOD, date_from="2025-01-01", date_to="2025-12-31", figures={},
        closed_at=timezone.now(), closed_by=admin,
    )  # fmt: skip
    return {"users": users, "cases": cases, "events": events}


def url_for(world, name, args):
    """Placeholders in the matrix: K/Z = the Kurzeme/Zemgale case reference, KI = the item of
    the Kurzeme offer, KR/ZR = their municipality requests; anything else is passed as is."""
    cases = world["cases"]
    values = {
        "K": cases["KUR"].reference,
        "Z": cases["ZEM"].reference,
        "KI": cases["KUR"].offers.get().items.get().pk,
        "KR": cases["KUR"].municipality_requests.get().pk,
        "ZR": cases["ZEM"].municipality_requests.get().pk,
        "KE": world["events"]["KUR"].pk,
        "ZE": world["events"]["ZEM"].pk,
        "KA": world["events"]["KUR"].attendees.get().pk,
    }
    return reverse(name, args=[values.get(arg, arg) for arg in args])


# (URL name, args, method, expected status per role in ROLES order). The POSTs send an empty
# form: 400/200 means the form was reached and refused, 302 that the action ran or was refused
# with a message. One rule for every case page (coordinators.views): roles that do not work
# cases (specialists, analysts) get 403, whatever the case; a case worker asking for a case
# outside their scope gets the same 404 as for a case that does not exist.
EVERYONE_200 = [200] * 6
PUBLIC_REDIRECT = [302] * 6
OWN_KURZEME = [LOGIN, 200, 200, 404, 403, 403]
OWN_ZEMGALE = [LOGIN, 200, 404, 200, 403, 403]
KURZEME_POST_REDIRECT = [LOGIN, 302, 302, 404, 403, 403]
KURZEME_POST_INVALID = [LOGIN, 400, 400, 404, 403, 403]
REPORTS = [LOGIN, 200, 200, 200, 403, 200]
STAFF_200 = [LOGIN, 200, 200, 200, 200, 200]
MATRIX = [
    # The public contact form and its pages.
    ("intake:contact", [], "get", EVERYONE_200),
    ("intake:contact", [], "post", EVERYONE_200),  # empty form: errors shown again
    ("intake:contact_thanks", [], "get", PUBLIC_REDIRECT),  # no submission: to the form
    ("intake:privacy", [], "get", EVERYONE_200),
    # Logging in and out, the language switch.
    ("login", [], "get", [200, 302, 302, 302, 302, 302]),  # logged in: to the home page
    ("logout", [], "post", PUBLIC_REDIRECT),
    ("logout", [], "get", [405] * 6),  # a link cannot log anybody out
    ("set_language", [], "post", PUBLIC_REDIRECT),
    # Offers: own region only; another region's case or offer is a 404.
    ("offers:create", ["K"], "post", KURZEME_POST_REDIRECT),
    ("offers:create", ["Z"], "post", [LOGIN, 302, 404, 302, 403, 403]),
    ("offers:create", [MISSING], "post", [LOGIN, 404, 404, 404, 403, 403]),
    ("offers:detail", ["K", 1], "get", OWN_KURZEME),
    ("offers:detail", ["Z", 1], "get", OWN_ZEMGALE),
    ("offers:detail", ["K", 9], "get", [LOGIN, 404, 404, 404, 403, 403]),
    ("offers:detail", ["K", 1], "post", [LOGIN, 405, 405, 405, 403, 403]),
    ("offers:pdf", ["K", 1], "get", OWN_KURZEME),
    ("offers:pdf", ["Z", 1], "get", OWN_ZEMGALE),
    # Without the confirm box: the page again with the error (400).
    ("offers:send", ["K", 1], "post", [LOGIN, 400, 400, 404, 403, 403]),
    ("offers:send", ["Z", 1], "post", [LOGIN, 400, 404, 400, 403, 403]),
    ("offers:send", ["K", 1], "get", [LOGIN, 405, 405, 405, 403, 403]),
    ("offers:response", ["K", 1], "post", KURZEME_POST_INVALID),
    ("offers:language", ["K", 1], "post", KURZEME_POST_INVALID),
    ("offers:item_add", ["K", 1], "post", KURZEME_POST_INVALID),
    ("offers:item_add_service", ["K", 1], "post", KURZEME_POST_REDIRECT),
    ("offers:item_add_request", ["K", 1], "post", KURZEME_POST_REDIRECT),
    ("offers:item_update", ["K", 1, "KI"], "post", KURZEME_POST_INVALID),
    ("offers:item_update", ["K", 1, 999999], "post", [LOGIN, 404, 404, 404, 403, 403]),
    ("offers:item_delete", ["K", 1, "KI"], "post", KURZEME_POST_REDIRECT),
    # The personal-data page: coordinators of the region and national administrators only.
    ("privacy:case", ["K"], "get", OWN_KURZEME),
    ("privacy:case", ["Z"], "get", OWN_ZEMGALE),
    ("privacy:case", [MISSING], "get", [LOGIN, 404, 404, 404, 403, 403]),
    ("privacy:export", ["K"], "post", KURZEME_POST_REDIRECT),  # asks the worker for the ZIP
    ("privacy:export", ["Z"], "post", [LOGIN, 302, 404, 302, 403, 403]),
    ("privacy:export", ["K"], "get", [LOGIN, 405, 405, 405, 403, 403]),
    # The ZIP: its requester and national administrators; through its own case only.
    ("privacy:export_download", ["K", KURZEME_ZIP], "get", OWN_KURZEME),
    ("privacy:export_download", ["Z", ZEMGALE_ZIP], "get", OWN_ZEMGALE),
    ("privacy:export_download", ["K", ZEMGALE_ZIP], "get", [LOGIN, 404, 404, 404, 403, 403]),
    ("privacy:export_download", ["K", NO_ZIP], "get", [LOGIN, 404, 404, 404, 403, 403]),
    ("privacy:export_download", ["K", KURZEME_ZIP], "post", [LOGIN, 405, 405, 405, 403, 403]),
    ("privacy:erase", ["K"], "post", OWN_KURZEME),  # without the reference typed: asks again
    ("privacy:erase", ["Z"], "post", OWN_ZEMGALE),
    ("privacy:erase", ["K"], "get", [LOGIN, 404, 404, 404, 403, 403]),
    # Reports: planning-region staff and national administrators; case rows for admins only.
    ("reports:report", [], "get", REPORTS),
    ("reports:export_xlsx", [], "get", REPORTS),
    ("reports:export_csv", [], "get", REPORTS),
    ("reports:pdf_prepare", [], "post", [LOGIN, 302, 302, 302, 403, 302]),  # asks the worker
    ("reports:pdf_prepare", [], "get", [LOGIN, 405, 405, 405, 405, 405]),
    # A prepared PDF: only for the user who asked for it (the Kurzeme coordinator here).
    ("reports:pdf_download", [KURZEME_PDF], "get", [LOGIN, 404, 200, 404, 403, 404]),
    ("reports:pdf_download", [NO_ZIP], "get", [LOGIN, 404, 404, 404, 403, 404]),
    ("reports:case_export", [], "get", [LOGIN, 200, 403, 403, 403, 403]),
    # Closed reporting periods: every report user reads them; national administrators close
    # (an empty form: the errors shown again) and reopen (without a reason: asked again).
    ("reports:periods", [], "get", REPORTS),
    ("reports:periods", [], "post", [LOGIN, 200, 403, 403, 403, 403]),
    ("reports:period_reopen", [CLOSED_PERIOD], "get", [LOGIN, 200, 403, 403, 403, 403]),
    ("reports:period_reopen", [CLOSED_PERIOD], "post", [LOGIN, 200, 403, 403, 403, 403]),
    ("reports:period_reopen", [999], "get", [LOGIN, 404, 403, 403, 403, 403]),
    # Accounts: two-factor for every logged-in user, password reset for everybody.
    ("accounts:two_factor_setup", [], "get", STAFF_200),
    ("accounts:two_factor_verify", [], "get", STAFF_200),
    # An enrolment link: any logged-in user may open one (a wrong one says so, with 200);
    # the page that mails them is for national administrators.
    ("accounts:two_factor_enrol", ["not-a-link"], "get", STAFF_200),
    ("accounts:enrolment_links", [], "get", [LOGIN, 200, 403, 403, 403, 403]),
    ("accounts:enrolment_links", [], "post", [LOGIN, 200, 403, 403, 403, 403]),
    ("accounts:password_reset", [], "get", EVERYONE_200),
    ("accounts:password_reset_done", [], "get", EVERYONE_200),
    ("accounts:password_reset_confirm", ["MQ", "set-password"], "get", EVERYONE_200),
    ("accounts:password_reset_complete", [], "get", EVERYONE_200),
    # The audit trail in the admin: national administrators only.
    ("admin:audit_auditentry_changelist", [], "get", [LOGIN, 200, 403, 403, 403, 403]),
    # The person's page: no staff login, a personal link (tests/test_returnee_page.py);
    # without one every page is the same "ask for a new link" page, for every role.
    ("returnee:page", [], "get", EVERYONE_200),
    ("returnee:open", ["not-a-link"], "get", PUBLIC_REDIRECT),  # to /p/, the token dropped
    ("returnee:link_request", [], "post", EVERYONE_200),  # empty form: asked again
    ("returnee:link_request", [], "get", [405] * 6),
    ("returnee:link_sent", [], "get", EVERYONE_200),
    ("returnee:leave", [], "post", PUBLIC_REDIRECT),
    ("returnee:details", [], "get", EVERYONE_200),
    ("returnee:details", [], "post", EVERYONE_200),
    ("returnee:document_upload", [], "post", EVERYONE_200),
    ("returnee:consent_withdraw", [], "post", EVERYONE_200),
    ("returnee:erasure_ask", [], "post", EVERYONE_200),
    ("returnee:offer", [1], "get", EVERYONE_200),
    ("returnee:offer_pdf", [1], "get", EVERYONE_200),
    ("returnee:offer_answer", [1], "post", EVERYONE_200),
    # The person's documents and links, on the staff side: the case's scope.
    ("returnee_staff:document_download", ["K", KURZEME_DOCUMENT], "get", OWN_KURZEME),
    ("returnee_staff:document_download", ["Z", ZEMGALE_DOCUMENT], "get", OWN_ZEMGALE),
    (
        "returnee_staff:document_download",
        ["K", ZEMGALE_DOCUMENT],
        "get",
        [LOGIN, 404, 404, 404, 403, 403],
    ),  # fmt: skip
    ("returnee_staff:links_revoke", ["K"], "post", KURZEME_POST_REDIRECT),
    ("returnee_staff:links_revoke", ["Z"], "post", [LOGIN, 302, 404, 302, 403, 403]),
    ("returnee_staff:links_revoke", ["K"], "get", [LOGIN, 405, 405, 405, 403, 403]),
    # Events: public pages for everybody; the staff pages for the organiser region's
    # coordinators and national administrators (another region's event: 404).
    ("events:list", [], "get", EVERYONE_200),
    ("events:detail", ["KE"], "get", EVERYONE_200),
    ("events:detail", ["KE"], "post", EVERYONE_200),  # empty form: errors shown again
    ("events:detail", [999999], "get", [404] * 6),
    ("events:thanks", ["KE"], "get", PUBLIC_REDIRECT),  # no registration: to the event
    ("events:ical", ["KE"], "get", EVERYONE_200),
    ("events:staff_list", [], "get", [LOGIN, 200, 200, 200, 403, 403]),
    ("events:staff_create", [], "get", [LOGIN, 200, 200, 200, 403, 403]),
    ("events:staff_create", [], "post", [LOGIN, 200, 200, 200, 403, 403]),  # errors shown
    ("events:staff_detail", ["KE"], "get", OWN_KURZEME),
    ("events:staff_detail", ["ZE"], "get", OWN_ZEMGALE),
    ("events:staff_edit", ["KE"], "get", OWN_KURZEME),
    ("events:staff_edit", ["KE"], "post", OWN_KURZEME),  # errors shown
    ("events:staff_edit", ["ZE"], "post", OWN_ZEMGALE),
    ("events:check_in", ["KE", "KA"], "post", KURZEME_POST_REDIRECT),
    ("events:check_in", ["ZE", "KA"], "post", [LOGIN, 404, 404, 404, 403, 403]),
    ("events:check_in", ["KE", "KA"], "get", [LOGIN, 405, 405, 405, 403, 403]),
    ("events:contacts_make", ["KE"], "post", KURZEME_POST_REDIRECT),  # not started: refused
    ("events:contacts_make", ["ZE"], "post", [LOGIN, 302, 404, 302, 403, 403]),
    # The public figures: anyone.
    ("events:report", [], "get", REPORTS),  # the readers of reports, in their scope
    ("openfigures:page", [], "get", EVERYONE_200),
    ("openfigures:widget", [], "get", EVERYONE_200),
    ("openfigures:json", [], "get", EVERYONE_200),
    # After return: the report of unmet needs for case workers; the survey by its signed
    # link only (a wrong link is a 404 for everybody, tests/test_aftercare.py has the rest).
    ("aftercare:report", [], "get", [LOGIN, 200, 200, 200, 403, 403]),
    ("aftercare:survey", ["not-a-link"], "get", [404] * 6),
    ("aftercare:survey", ["not-a-link"], "post", [404] * 6),
    # The health check for monitors: anyone, logged in or not (tests/test_health.py).
    ("healthz", [], "get", EVERYONE_200),
]

# URL names of these namespaces and top-level names must all appear in one of the matrices.
GUARDED_NAMESPACES = {
    "intake", "workspace", "offers", "privacy", "reports", "accounts", "imports", "admin",
    "returnee", "returnee_staff",
    "events", "openfigures",
    "inbound",
    "grants", "aftercare",
}  # fmt: skip


@pytest.mark.parametrize(("name", "args", "method", "expected"), MATRIX)
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_every_url_answers_each_role_as_expected(
    client, world, name, args, method, expected, role_index
):
    role = ROLES[role_index]
    login_url = reverse("admin:login") if name.startswith("admin:") else reverse("login")
    test_workspace_access.assert_answer(
        client, world["users"][role], method, url_for(world, name, args), expected[role_index],
        login_url=login_url, role=role,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("name", "args", "method"),
    [
        ("offers:detail", ["{}", 1], "get"),
        ("offers:pdf", ["{}", 1], "get"),
        ("offers:send", ["{}", 1], "post"),
        ("privacy:case", ["{}"], "get"),
        ("privacy:export", ["{}"], "post"),
        ("privacy:export_download", ["{}", KURZEME_ZIP], "get"),
    ],
)
def test_offer_or_case_of_another_region_looks_exactly_like_a_missing_one(
    client, world, name, args, method
):
    client.force_login(world["users"]["zemgale"])
    kurzeme = [arg.format(world["cases"]["KUR"].reference) if arg == "{}" else arg for arg in args]
    missing = [arg.format(MISSING) if arg == "{}" else arg for arg in args]

    other_region = getattr(client, method)(reverse(name, args=kurzeme))
    nonexistent = getattr(client, method)(reverse(name, args=missing))

    assert other_region.status_code == nonexistent.status_code == 404
    page = test_workspace_access.without_csrf_tokens
    assert page(other_region.content).replace(kurzeme[0].encode(), b"") == page(
        nonexistent.content
    ).replace(MISSING.encode(), b"")


def test_actions_refused_with_404_change_nothing(client, world):
    """A Zemgale coordinator who guesses Kurzeme URLs can neither send, erase nor delete."""
    case = world["cases"]["KUR"]
    offer = case.offers.get()
    item = offer.items.get()
    client.force_login(world["users"]["zemgale"])

    client.post(reverse("offers:send", args=[case.reference, 1]))
    client.post(reverse("offers:item_delete", args=[case.reference, 1, item.pk]))
    client.post(reverse("privacy:erase", args=[case.reference]), {"confirmation": case.reference})

    offer.refresh_from_db()
    case.returnee.refresh_from_db()
    assert offer.status == Offer.Status.DRAFT
    assert offer.items.filter(pk=item.pk).exists()
    assert case.returnee.last_name.startswith("Ķēniņš")


def portal_url_names():
    """Every named URL of the guarded namespaces, plus the top-level names (home, login...)."""

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif (
                isinstance(pattern, URLPattern)
                and pattern.name
                and (namespace is None or namespace in GUARDED_NAMESPACES)
            ):
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return set(walk(get_resolver().url_patterns, None))


def test_every_portal_url_is_in_an_access_matrix():
    from tests import (
        test_admin_access,  # it takes this module's world: imported late
        test_grants_access,  # the grant competition's own world and roles
    )

    covered = (
        {row[0] for row in MATRIX}
        | {row[0] for row in test_workspace_access.MATRIX}
        | {row[0] for row in test_grants_access.MATRIX}
        | test_admin_access.ADMIN_URL_NAMES
    )

    unlisted = portal_url_names() - covered

    assert unlisted == set(), f"add these URLs to an access matrix: {sorted(unlisted)}"


def test_guard_sees_the_urls_of_every_namespace():
    """The guard would pass vacuously if the walk found nothing; it must see every app."""
    names = portal_url_names()

    assert {name.split(":")[0] for name in names if ":" in name} == GUARDED_NAMESPACES
    assert {"home", "login", "logout", "set_language"} <= names
    assert {"admin:index", "admin:autocomplete", "admin:auditlog_logentry_changelist",
            "admin:coordinators_case_change"} <= names  # fmt: skip


# Pages a national administrator who has not entered the second factor may still open.
OPEN_BEFORE_TWO_FACTOR = {
    "healthz",
    "intake:contact",
    "intake:contact_thanks",
    "intake:privacy",
    "logout",
    "set_language",
    "accounts:two_factor_setup",
    "accounts:two_factor_verify",
    "accounts:two_factor_enrol",
}


# The workspace matrix names its objects; here they are the same objects of this world.
WORKSPACE_ARGS = {
    None: [],
    "kurzeme_case": ["K"],
    "zemgale_case": ["Z"],
    "liepaja_request": ["KR"],
    "zemgale_request": ["ZR"],
    # Any row id: the second factor is asked for before the case is looked up.
    "kurzeme_member": ["K", 1],
    "kurzeme_interaction": ["K", 1],
    "kurzeme_open_request": ["K", 1],
    # Any job id: the second factor is asked for before the job is looked up.
    "kurzeme_import": ["6f1c2a3e-0000-4000-8000-0000000000ab"],
    # Any contact id: likewise.
    "kurzeme_contact": [1],
    "zemgale_contact": [2],
    # Any message or file id: likewise.
    "inbox_message": [1],
    "kurzeme_mail_file": ["6f1c2a3e-0000-4000-8000-0000000000ac"],
    "inbox_file": ["6f1c2a3e-0000-4000-8000-0000000000ad"],
    # Any pair id: likewise.
    "kurzeme_duplicate": [1],
    "zemgale_duplicate": [2],
    # Any transfer id: likewise.
    "kurzeme_transfer": [1],
    "kurzeme_view": [1],
    "zemgale_transfer": [2],
}


def rows_behind_two_factor():
    rows = {(name, tuple(args), method) for name, args, method, _expected in MATRIX}
    rows |= {
        (name, tuple(WORKSPACE_ARGS[arg]), method)
        for name, arg, method, _expected in test_workspace_access.MATRIX
    }
    return sorted(
        (
            row
            for row in rows
            if row[0] not in OPEN_BEFORE_TWO_FACTOR
            and row[0] != "login"
            and not row[0].startswith("accounts:password")
        ),
        key=str,
    )


@pytest.mark.parametrize(("name", "args", "method"), rows_behind_two_factor())
def test_national_admin_without_second_factor_reaches_no_staff_page(
    client, world, settings, name, args, method
):
    settings.OTP_REQUIRED_FOR_NATIONAL_ADMINS = True
    client.force_login(world["users"]["admin"])

    response = getattr(client, method)(url_for(world, name, args))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor_setup")
