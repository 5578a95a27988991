"""Who reaches what in the grant competition: every grants URL walked by every role.

One rule per model (`CallQuerySet.visible_to`, `ApplicationQuerySet.visible_to`): a call of
another region, another municipality's application, a call whose committee the user does not
sit on are the same 404 as a missing one. The guard in test_access_matrix.py counts this
matrix too, so a new grants URL cannot be added without a row here.
"""

import datetime
from decimal import Decimal

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from grants import services
from grants.models import Call, CallExport
from tests import test_workspace_access
from tests.factories import (
    AnalystFactory,
    CoordinatorFactory,
    NationalAdminFactory,
    SpecialistFactory,
    grant_application,
    grant_call,
    municipality,
    region,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous", "admin", "kurzeme", "zemgale", "liepaja", "ventspils", "chair", "member",
    "outsider",
]  # fmt: skip
LOGIN = test_workspace_access.LOGIN
NO_PDF = "6f1c2a3e-0000-4000-8000-0000000000ee"


@pytest.fixture
def world():
    """A closed and decided Kurzeme call: Liepāja's application funded, Ventspils's left a
    draft; a Zemgale call; the chair a Kurzeme analyst, a Zemgale analyst a member, another
    Kurzeme analyst on no committee."""
    users = {
        "anonymous": None,
        "admin": NationalAdminFactory(),
        "kurzeme": CoordinatorFactory(),
        "zemgale": CoordinatorFactory(planning_region=region("ZEM")),
        "liepaja": SpecialistFactory(),
        "ventspils": SpecialistFactory(municipality=municipality("Ventspils valstspilsēta")),
        "chair": AnalystFactory(),
        "member": AnalystFactory(planning_region=region("ZEM")),
        "outsider": AnalystFactory(),
    }
    call = grant_call(members=[users["chair"], users["member"]], chair=users["chair"])
    funded = grant_application(call=call, specialist=users["liepaja"])
    draft = grant_application(call=call, specialist=users["ventspils"], submit=False)
    Call.objects.filter(pk=call.pk).update(deadline=timezone.now() - datetime.timedelta(days=1))
    services.call_decide(
        call=call, actor=users["chair"], awards={funded.pk: Decimal("9900")}, version=None
    )
    zemgale_call = grant_call(region_code="ZEM", members=[users["zemgale"]])
    chair_pdf = CallExport.objects.create(
        call=call, requested_by=users["chair"], language="lv", status="ready", content=b"%PDF",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )  # fmt: skip
    return {
        "users": users,
        "C": call.pk,
        "ZC": zemgale_call.pk,
        "LA": funded.pk,
        "LAA": funded.activities.get().pk,
        "VD": draft.pk,
        "VDA": draft.activities.get().pk,
        "CPDF": chair_pdf.pk,
    }


def url_for(world, name, args):
    return reverse(name, args=[world.get(arg, arg) for arg in args])


EVERY_STAFF = [LOGIN] + [200] * 8
MANAGERS = [LOGIN, 200, 200, 200, 403, 403, 403, 403, 403]
RESULTS = [LOGIN, 200, 200, 404, 404, 404, 200, 404, 404]
CHAIR = [LOGIN, 404, 404, 404, 404, 404, 200, 404, 404]
LIEPAJA = [LOGIN, 404, 404, 404, 200, 404, 404, 404, 404]
LIEPAJA_REDIRECT = [LOGIN, 404, 404, 404, 302, 404, 404, 404, 404]
COMMITTEE = [LOGIN, 404, 404, 404, 404, 404, 200, 200, 404]
MATRIX = [
    ("grants:call_list", [], "get", EVERY_STAFF),
    ("grants:call_create", [], "get", MANAGERS),
    ("grants:call_create", [], "post", MANAGERS),  # empty form: errors shown again
    # The Kurzeme call: its region's staff and municipalities, its committee.
    ("grants:call_detail", ["C"], "get", [LOGIN, 200, 200, 404, 200, 200, 200, 200, 404]),
    ("grants:call_detail", ["ZC"], "get", [LOGIN, 200, 404, 200, 404, 404, 404, 404, 404]),
    ("grants:call_detail", [99999], "get", [LOGIN, 404, 404, 404, 404, 404, 404, 404, 404]),
    # Applying: municipal specialists of the call's region only.
    ("grants:apply", ["C"], "get", [LOGIN, 403, 403, 404, 200, 200, 403, 403, 404]),
    ("grants:apply", ["C"], "post", [LOGIN, 403, 403, 404, 200, 200, 403, 403, 404]),
    ("grants:apply", ["ZC"], "get", [LOGIN, 403, 404, 403, 404, 404, 404, 404, 404]),
    # The chair's decision and the exports (the chair and the call's managers).
    ("grants:decision", ["C"], "get", CHAIR),
    ("grants:decision", ["C"], "post", CHAIR),  # empty form: errors shown again
    ("grants:export_xlsx", ["C"], "get", RESULTS),
    ("grants:export_pdf", ["C"], "post", [LOGIN, 302, 302, 404, 404, 404, 302, 404, 404]),
    ("grants:export_pdf", ["ZC"], "post", [LOGIN, 302, 404, 302, 404, 404, 404, 404, 404]),
    ("grants:export_pdf", ["C"], "get", [LOGIN, 405, 405, 405, 405, 405, 405, 405, 405]),
    # A prepared PDF: for the user who asked (the chair here), through the same scope.
    ("grants:pdf_download", ["C", "CPDF"], "get", CHAIR),
    ("grants:pdf_download", ["C", NO_PDF], "get", [LOGIN] + [404] * 8),
    # Liepāja's funded application: Liepāja, the region's managers, the committee.
    ("grants:application_detail", ["LA"], "get", [LOGIN, 200, 200, 404, 200, 404, 200, 200, 404]),
    # Ventspils's draft: Ventspils and the managers; the committee sees no drafts.
    ("grants:application_detail", ["VD"], "get", [LOGIN, 200, 200, 404, 404, 200, 404, 404, 404]),
    ("grants:application_detail", ["LA"], "post", LIEPAJA),  # its municipality edits it
    ("grants:activity_add", ["LA"], "post", LIEPAJA),  # empty form: errors shown again
    ("grants:activity_delete", ["LA", "LAA"], "post", LIEPAJA_REDIRECT),  # refused: closed
    ("grants:activity_delete", ["LA", "VDA"], "post", [LOGIN] + [404] * 8),
    ("grants:submit", ["VD"], "post", [LOGIN, 404, 404, 404, 404, 302, 404, 404, 404]),
    ("grants:activity_report", ["LA", "LAA"], "get", LIEPAJA),
    ("grants:activity_report", ["LA", "LAA"], "post", LIEPAJA_REDIRECT),  # all optional
    ("grants:activity_report", ["VD", "VDA"], "get", [LOGIN] + [404] * 8),  # not funded
    # Scoring: the call's committee only, submitted applications only.
    ("grants:score", ["LA"], "get", COMMITTEE),
    ("grants:score", ["LA"], "post", COMMITTEE),  # empty: shown again
    ("grants:score", ["VD"], "get", [LOGIN] + [404] * 8),
    ("grants:conflict", ["LA"], "post", [LOGIN, 404, 404, 404, 404, 404, 302, 302, 404]),
]


@pytest.mark.parametrize(("name", "args", "method", "expected"), MATRIX)
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_every_grants_url_answers_each_role_as_expected(
    client, world, name, args, method, expected, role_index
):
    role = ROLES[role_index]
    test_workspace_access.assert_answer(
        client, world["users"][role], method, url_for(world, name, args), expected[role_index],
        login_url=reverse("login"), role=role,
    )  # fmt: skip


def test_an_application_of_another_municipality_looks_exactly_like_a_missing_one(client, world):
    client.force_login(world["users"]["ventspils"])

    other_url = reverse("grants:application_detail", args=[world["LA"]])
    missing_url = reverse("grants:application_detail", args=[99999])
    other, missing = client.get(other_url), client.get(missing_url)

    assert other.status_code == missing.status_code == 404
    page = test_workspace_access.without_csrf_tokens
    assert page(other.content).replace(other_url.encode(), b"") == page(missing.content).replace(
        missing_url.encode(), b""
    )


# Each POST of the app refuses a request without the CSRF token (the rest of the portal's
# are in test_csrf.py, which counts these as covered).
CSRF_POSTS = [
    ("grants:call_create", [], "kurzeme"),
    ("grants:apply", ["C"], "liepaja"),
    ("grants:decision", ["C"], "chair"),
    ("grants:export_pdf", ["C"], "chair"),
    ("grants:application_detail", ["LA"], "liepaja"),
    ("grants:activity_add", ["LA"], "liepaja"),
    ("grants:activity_delete", ["LA", "LAA"], "liepaja"),
    ("grants:submit", ["VD"], "ventspils"),
    ("grants:activity_report", ["LA", "LAA"], "liepaja"),
    ("grants:score", ["LA"], "member"),
    ("grants:conflict", ["LA"], "member"),
]
CSRF_COVERED = {name for name, _args, _who in CSRF_POSTS}


@pytest.mark.parametrize(("name", "args", "who"), CSRF_POSTS)
def test_a_grants_post_without_the_csrf_token_is_forbidden(world, name, args, who):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["users"][who])

    refused = client.post(url_for(world, name, args), {})
    client.cookies["csrftoken"] = secret = _get_new_csrf_string()
    accepted = client.post(url_for(world, name, args), {"csrfmiddlewaretoken": secret})

    assert refused.status_code == 403
    assert accepted.status_code in (200, 302)


@pytest.mark.parametrize(("name", "args", "method"), [row[:3] for row in MATRIX])
def test_national_admin_without_second_factor_reaches_no_grants_page(
    client, world, settings, name, args, method
):
    settings.OTP_REQUIRED_FOR_NATIONAL_ADMINS = True
    client.force_login(world["users"]["admin"])

    response = getattr(client, method)(url_for(world, name, args))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor_setup")
