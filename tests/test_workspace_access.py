"""Who sees what in the workspace: every staff URL walked by every role."""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from coordinators.models import ContactSubmission
from coordinators.services.contacts import contact_data_dump
from duplicates.models import DuplicateCandidate
from imports.models import ImportJob
from inbound.models import InboundAttachment, InboundMessage
from savedviews.models import SavedView
from tests.factories import (
    AnalystFactory,
    CaseFactory,
    CoordinatorFactory,
    HouseholdMemberFactory,
    InteractionFactory,
    MunicipalityRequestFactory,
    NationalAdminFactory,
    SpecialistFactory,
    municipality,
    region,
)
from transfers.models import CaseTransfer

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "admin", "kurzeme", "zemgale", "specialist", "analyst"]
CSRF_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def without_csrf_tokens(content):
    """The page with its forms' CSRF tokens blanked: the 404 page carries the header's forms
    (logout, language), whose tokens Django masks afresh for every response."""
    return CSRF_TOKEN.sub(b'name="csrfmiddlewaretoken" value=""', content)


LOGIN = "login"  # anonymous users are sent to the login page


@pytest.fixture
def world(settings, tmp_path):
    """A Kurzeme case with a request to Liepāja, a Zemgale case, and one user per role; an
    e-mail with a file on the Kurzeme case, one in the national inbox."""
    settings.MEDIA_ROOT = tmp_path / "media"
    kurzeme_case = CaseFactory(
        planning_region=region("KUR"), municipality=municipality("Liepājas valstspilsēta")
    )
    zemgale_case = CaseFactory(planning_region=region("ZEM"))
    liepaja_request = MunicipalityRequestFactory(case=kurzeme_case)
    kurzeme = CoordinatorFactory()
    zemgale_request = MunicipalityRequestFactory(case=zemgale_case)
    users = {
        "anonymous": None,
        "admin": NationalAdminFactory(),
        "kurzeme": kurzeme,
        "zemgale": CoordinatorFactory(planning_region=region("ZEM")),
        "specialist": SpecialistFactory(),
        "analyst": AnalystFactory(),
    }
    kurzeme_contact, zemgale_contact = (
        ContactSubmission.objects.create(
            token_digest=str(number) * 64,
            status=ContactSubmission.Status.TO_CHECK,
            data=contact_data_dump(
                {
                    "first_name": "Cits",
                    "last_name": "Cilvēks",
                    "email": case.returnee.email,
                    "message": "Sveiki",
                    "planning_region": case.planning_region,
                    "municipality": None,
                    "needs": [],
                    "phone": "",
                    "country": "GB",
                    "town": "",
                    "timeframe": "not_sure",
                    "adults": 1,
                    "children_ages": [],
                    "preferred_language": "lv",
                }
            ),
            planning_region=case.planning_region,
            existing_returnee=case.returnee,
        )  # fmt: skip
        for number, case in ((1, kurzeme_case), (2, zemgale_case))
    )
    on_case, in_inbox = (
        InboundMessage.objects.create(message_id=f"<{name}@x>", case=case, status=status)
        for name, case, status in (("on-case", kurzeme_case, "on_case"),
                                   ("inbox", None, "unmatched"))
    )  # fmt: skip
    files = {}
    for name, message in (("kurzeme_mail_file", on_case), ("inbox_file", in_inbox)):
        files[name] = InboundAttachment(message=message, filename="a.pdf",
                                        content_type="application/pdf", size=4)  # fmt: skip
        files[name].file.save("a.pdf", ContentFile(b"%PDF"))
    pairs = {
        f"{name}_duplicate": DuplicateCandidate.objects.create(
            case_a=case,
            case_b=CaseFactory(planning_region=case.planning_region),
            reasons=["name"],
            score=50,
        )  # fmt: skip
        for name, case in (("kurzeme", kurzeme_case), ("zemgale", zemgale_case))
    }
    return {
        **files,
        **pairs,
        "inbox_message": in_inbox,
        # The Kurzeme coordinator's saved view of the case list (another user's: 404).
        "kurzeme_view": SavedView.objects.create(user=kurzeme, name="Jaunās", query="status=new"),
        # Kurzeme proposes a case to Vidzeme; Zemgale proposes one to Kurzeme.
        "kurzeme_transfer": CaseTransfer.objects.create(
            case=kurzeme_case, from_region=region("KUR"), to_region=region("VID"), note="x"
        ),
        "zemgale_transfer": CaseTransfer.objects.create(
            case=zemgale_case, from_region=region("ZEM"), to_region=region("KUR"), note="x"
        ),
        "kurzeme_contact": kurzeme_contact,
        "zemgale_contact": zemgale_contact,
        "users": users,
        "kurzeme_case": kurzeme_case,
        "zemgale_case": zemgale_case,
        "liepaja_request": liepaja_request,
        "zemgale_request": zemgale_request,
        "kurzeme_member": (kurzeme_case, HouseholdMemberFactory(returnee=kurzeme_case.returnee)),
        "kurzeme_interaction": (kurzeme_case, InteractionFactory(case=kurzeme_case)),
        "kurzeme_open_request": (kurzeme_case, liepaja_request),
        # A checked history file of the Kurzeme coordinator, ready to import.
        "kurzeme_import": ImportJob.objects.create(
            requested_by=kurzeme,
            planning_region=region("KUR"),
            file_name="history.csv",
            sha256="0" * 64,
            status=ImportJob.Status.READY,
            expires_at=timezone.now() + datetime.timedelta(hours=24),
        ),  # fmt: skip
    }


# (URL name, args from the world, method, expected status per role in ROLES order)
# 302 = redirect (to the login page for anonymous users, or after a successful POST)
CASE_WORKER_ONLY = [LOGIN, 200, 200, 200, 403, 403]
KURZEME_CASE = [LOGIN, 200, 200, 404, 403, 403]
ZEMGALE_CASE = [LOGIN, 200, 404, 200, 403, 403]
MATRIX = [
    ("home", None, "get", [LOGIN, 200, 200, 200, 302, 200]),
    ("workspace:case_list", None, "get", CASE_WORKER_ONLY),
    ("workspace:case_create", None, "get", CASE_WORKER_ONLY),
    ("workspace:case_detail", "kurzeme_case", "get", KURZEME_CASE),
    ("workspace:case_detail", "zemgale_case", "get", ZEMGALE_CASE),
    ("workspace:case_attention", "kurzeme_case", "post", [LOGIN, 302, 302, 404, 403, 403]),
    ("workspace:case_attention", "zemgale_case", "post", [LOGIN, 302, 404, 302, 403, 403]),
    # Empty forms: the page comes back with errors (200) where the case is visible.
    ("workspace:case_interaction", "kurzeme_case", "post", KURZEME_CASE),
    ("workspace:case_status", "kurzeme_case", "post", KURZEME_CASE),
    ("workspace:case_needs", "kurzeme_case", "post", [LOGIN, 302, 302, 404, 403, 403]),
    ("workspace:case_assign", "zemgale_case", "post", [LOGIN, 302, 404, 302, 403, 403]),
    ("workspace:case_request", "zemgale_case", "post", ZEMGALE_CASE),
    # The corrections: empty forms are errors (200), except municipality and timeframe,
    # which may both be emptied (302).
    ("workspace:case_contact", "kurzeme_case", "post", KURZEME_CASE),
    ("workspace:case_details", "kurzeme_case", "post", [LOGIN, 302, 302, 404, 403, 403]),
    ("workspace:case_household", "kurzeme_case", "post", KURZEME_CASE),
    ("workspace:case_household_member", "kurzeme_member", "post", KURZEME_CASE),
    ("workspace:case_interaction_edit", "kurzeme_interaction", "get", KURZEME_CASE),
    ("workspace:case_interaction_edit", "kurzeme_interaction", "post", KURZEME_CASE),
    ("workspace:case_bulk", None, "post", [LOGIN, 302, 302, 302, 403, 403]),
    ("workspace:case_search", None, "post", [LOGIN, 302, 302, 302, 403, 403]),
    ("workspace:saved_view_create", None, "post", [LOGIN, 302, 302, 302, 403, 403]),
    ("workspace:saved_view_delete", "kurzeme_view", "post", [LOGIN, 404, 302, 404, 403, 403]),
    # Transfers: the case's region proposes (an empty form: the errors), both regions see
    # the proposal, only the target region decides, only the proposing one withdraws; a
    # third region gets 404 throughout.
    ("workspace:case_transfer", "kurzeme_case", "post", KURZEME_CASE),
    ("workspace:case_undo", "kurzeme_case", "post", KURZEME_CASE),  # empty: the errors
    (
        "workspace:case_request_withdraw",
        "kurzeme_open_request",
        "post",
        [LOGIN, 302, 302, 404, 403, 403],
    ),
    ("workspace:transfer_list", None, "get", CASE_WORKER_ONLY),
    ("workspace:transfer_detail", "kurzeme_transfer", "get", KURZEME_CASE),
    ("workspace:transfer_detail", "zemgale_transfer", "get", [LOGIN, 200, 200, 200, 403, 403]),
    ("workspace:transfer_accept", "zemgale_transfer", "post", [LOGIN, 302, 302, 404, 403, 403]),
    ("workspace:transfer_accept", "kurzeme_transfer", "post", [LOGIN, 302, 404, 404, 403, 403]),
    ("workspace:transfer_decline", "zemgale_transfer", "post", [LOGIN, 200, 200, 404, 403, 403]),
    ("workspace:transfer_withdraw", "kurzeme_transfer", "post", [LOGIN, 302, 302, 404, 403, 403]),
    ("workspace:transfer_withdraw", "zemgale_transfer", "post", [LOGIN, 302, 404, 302, 403, 403]),
    # Contacts to check: the region's coordinators (and national administrators); a contact
    # of another region is a 404, the same as a missing one.
    ("workspace:contact_list", None, "get", CASE_WORKER_ONLY),
    ("workspace:contact_link", "kurzeme_contact", "post", [LOGIN, 302, 302, 404, 403, 403]),
    ("workspace:contact_dismiss", "zemgale_contact", "post", [LOGIN, 302, 404, 302, 403, 403]),
    # Incoming mail: the national inbox for national administrators only (an empty reference
    # is a field error, 200); a case's mail and its files for whoever sees the case.
    ("inbound:inbox", None, "get", [LOGIN, 200, 403, 403, 403, 403]),
    ("inbound:assign", "inbox_message", "post", [LOGIN, 200, 403, 403, 403, 403]),
    ("inbound:dismiss", "inbox_message", "post", [LOGIN, 302, 403, 403, 403, 403]),
    ("inbound:case_mail", "kurzeme_case", "get", KURZEME_CASE),
    ("inbound:case_mail", "zemgale_case", "get", ZEMGALE_CASE),
    ("inbound:attachment", "kurzeme_mail_file", "get", KURZEME_CASE),
    ("inbound:attachment", "inbox_file", "get", [LOGIN, 200, 404, 404, 403, 403]),
    # Probable duplicates: a pair is in scope when both its cases are (else 404).
    ("workspace:duplicate_list", None, "get", CASE_WORKER_ONLY),
    ("workspace:duplicate_detail", "kurzeme_duplicate", "get", KURZEME_CASE),
    ("workspace:duplicate_detail", "zemgale_duplicate", "get", ZEMGALE_CASE),
    ("workspace:duplicate_merge", "kurzeme_duplicate", "post", KURZEME_CASE),  # empty: errors
    ("workspace:duplicate_dismiss", "zemgale_duplicate", "post", [LOGIN, 302, 404, 302, 403, 403]),
    ("workspace:request_list", None, "get", [LOGIN, 200, 403, 403, 200, 403]),
    ("workspace:request_detail", "liepaja_request", "get", [LOGIN, 200, 403, 403, 200, 403]),
    ("workspace:request_detail", "zemgale_request", "get", [LOGIN, 200, 403, 403, 404, 403]),
    # The history import: coordinators and national administrators; a job is its
    # requester's only (another coordinator's, even an administrator's look, is a 404).
    ("imports:upload", None, "get", CASE_WORKER_ONLY),
    ("imports:upload", None, "post", CASE_WORKER_ONLY),  # empty form: the errors (200)
    ("imports:template_xlsx", None, "get", CASE_WORKER_ONLY),
    ("imports:template_csv", None, "get", CASE_WORKER_ONLY),
    ("imports:job", "kurzeme_import", "get", [LOGIN, 404, 200, 404, 403, 403]),
    ("imports:start", "kurzeme_import", "post", [LOGIN, 404, 302, 404, 403, 403]),
    ("imports:discard", "kurzeme_import", "post", [LOGIN, 404, 302, 404, 403, 403]),
]


def url_for(world, name, arg):
    if arg is None:
        return reverse(name)
    obj = world[arg]
    parts = obj if isinstance(obj, tuple) else (obj,)  # a case and one of its rows
    return reverse(name, args=[getattr(part, "reference", None) or part.pk for part in parts])


@pytest.mark.parametrize(("name", "arg", "method", "expected"), MATRIX)
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_every_staff_url_answers_each_role_as_expected(
    client, world, name, arg, method, expected, role_index
):
    role = ROLES[role_index]
    assert_answer(client, world["users"][role], method, url_for(world, name, arg),
                  expected[role_index], login_url=reverse("login"), role=role)  # fmt: skip


def assert_answer(client, user, method, url, want, *, login_url, role):
    """Request `url` as `user` (None: anonymous); `want` is a status code or LOGIN."""
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url)
    if want == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(login_url)
    else:
        assert response.status_code == want, (role, method, url)


def test_case_of_another_region_looks_exactly_like_a_missing_case(client, world):
    client.force_login(world["users"]["zemgale"])

    other_region = client.get(url_for(world, "workspace:case_detail", "kurzeme_case"))
    missing = client.get(reverse("workspace:case_detail", args=["KUR-2026-99999"]))

    assert other_region.status_code == missing.status_code == 404
    # The page names the address asked for (the language switch returns to it), not the case.
    reference = world["kurzeme_case"].reference.encode()
    assert without_csrf_tokens(other_region.content).replace(reference, b"") == (
        without_csrf_tokens(missing.content).replace(b"KUR-2026-99999", b"")
    )


def test_coordinator_list_shows_own_region_and_national_queue_only(client, world):
    national_queue_case = CaseFactory(planning_region=None, municipality=None)
    client.force_login(world["users"]["zemgale"])

    response = client.get(reverse("workspace:case_list"))

    references = {case.reference for case in response.context["cases"]}
    zemgale = {world["zemgale_case"].reference, world["zemgale_duplicate"].case_b.reference}
    assert references == zemgale | {national_queue_case.reference}


def test_bulk_action_cannot_touch_a_case_of_another_region(client, world):
    zemgale = world["users"]["zemgale"]
    client.force_login(zemgale)

    client.post(
        reverse("workspace:case_bulk"),
        {"cases": [world["kurzeme_case"].reference], "action": "status", "to_status": "contacted"},
    )

    world["kurzeme_case"].refresh_from_db()
    assert world["kurzeme_case"].status == "new"


def test_analyst_home_points_to_reports_without_personal_data(client, world):
    client.force_login(world["users"]["analyst"])

    response = client.get(reverse("home"))

    assert b"/reports/" in response.content
    assert world["kurzeme_case"].reference.encode() not in response.content
