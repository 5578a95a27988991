"""Who reaches the admin: every admin URL, generated from `admin.site`, walked by every role.

The admin is the national administrators' back office (accounts/admin_site.py). Anonymous
visitors are sent to its login page; every other logged-in user gets 403 on every admin URL,
whatever permissions or staff flag they were given; national administrators get the page
(or its normal redirect or refusal, listed below). The URLs come from each registered
ModelAdmin's get_urls() and the site's own, so a new admin page is walked without being
listed; test_access_matrix's guard fails if an admin URL name escapes this generation.
"""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from audit.services import audit_record
from coordinators.models import Case
from outbox.models import Email
from privacy.models import Erasure
from tests.factories import InteractionFactory, MunicipalServiceFactory, ReturneeFactory
from tests.test_access_matrix import world  # noqa: F401 - the fixture, one per test
from tests.test_admin import ADD_REFUSED
from tests.test_workspace_access import ROLES

pytestmark = pytest.mark.django_db

CATCH_ALL = "catch_all"  # the site's final catch-all view: any other path under /admin/
# Where a national administrator's answer is not 200 (keyed by URL name without "admin:").
NATIONAL_ADMIN_ANSWERS = {
    "login": 302,  # already logged in: to the index
    "logout": 405,  # POST only
    "view_on_site": 404,  # no model here has a page on the site
    CATCH_ALL: 404,
    # The device admin never shows a two-factor key (OTP_ADMIN_HIDE_SENSITIVE_DATA).
    "otp_totp_totpdevice_config": 403,
    "otp_totp_totpdevice_qrcode": 403,
}
# Admins whose delete page is refused: histories, rows of a case, and what erasure owns.
DELETE_REFUSED = {
    "audit.AuditEntry",
    "auditlog.LogEntry",
    "coordinators.Case",
    "coordinators.CaseEvent",
    "coordinators.Interaction",
    "coordinators.MunicipalityRequest",
    "coordinators.Returnee",
    "django_tasks_database.DBTaskResult",
    "offers.Offer",
    "otp_totp.TOTPDevice",  # a superuser's only
    "outbox.Email",
    "privacy.Erasure",
}


def admin_urls():
    """(URL name without "admin:", its argument names, the model label or None) for every
    named URL of the site and of each registered ModelAdmin, plus the catch-all."""
    rows = [
        (pattern.name, tuple(pattern.pattern.regex.groupindex), None)
        for pattern in admin.site.get_urls()
        if isinstance(pattern, URLPattern) and pattern.name
    ]
    for model, model_admin in admin.site._registry.items():
        rows += [
            (pattern.name, tuple(pattern.pattern.regex.groupindex), model._meta.label)
            for pattern in model_admin.get_urls()
            if pattern.name
        ]
    return [*rows, (CATCH_ALL, (), None)]


ADMIN_URLS = admin_urls()
ADMIN_URL_IDS = [name for name, _args, _model in ADMIN_URLS]
ADMIN_URL_NAMES = {f"admin:{name}" for name, _args, _model in ADMIN_URLS if name != CATCH_ALL}


def test_the_generated_matrix_sees_every_admin():
    """Not vacuous: every registered admin, the library's pages and the site's own are in."""
    names = {name for name, _args, _model in ADMIN_URLS}
    assert len(ADMIN_URLS) > 100
    assert {"index", "login", "logout", "password_change", "autocomplete", "app_list",
            "jsi18n", "view_on_site"} <= names  # fmt: skip
    assert {"auditlog_logentry_changelist", "auditlog_logentry_change",
            "coordinators_case_export", "municipalities_municipality_import",
            "otp_totp_totpdevice_config"} <= names  # fmt: skip
    assert {model for _name, _args, model in ADMIN_URLS} - {None} == {
        model._meta.label for model in admin.site._registry
    }
    assert "coordinators_case_import" not in names


@pytest.fixture
def admin_world(world):  # noqa: F811 - the fixture imported above
    """The access matrix's world, with a row of every model the admin shows."""
    admin_user = world["users"]["admin"]
    Group.objects.create(name="Atbalsts")
    TOTPDevice.objects.create(user=admin_user, name="app", confirmed=False)
    attempt = {"user_agent": "t", "ip_address": "127.0.0.1", "username": "x", "http_accept": "",
               "path_info": "/login/"}  # fmt: skip
    AccessAttempt.objects.create(**attempt, get_data="", post_data="", failures_since_start=1)
    AccessFailureLog.objects.create(**attempt)
    AccessLog.objects.create(**attempt)
    DBTaskResult.objects.create(
        args_kwargs={}, task_path="jobs.tasks.sweep", backend_name="default",
        run_after=timezone.now(), exception_class_path="", traceback="",
    )  # fmt: skip
    Email.objects.create(to="ilze@example.com", subject="Piedāvājums", body="Sveika!")
    Erasure.objects.create(returnee=ReturneeFactory(), reason="request", erased_by=admin_user)
    audit_record(action="view", actor=admin_user, obj=world["cases"]["KUR"])
    InteractionFactory(case=world["cases"]["KUR"])
    MunicipalServiceFactory()
    return world


def url_of(name, args, model_label):
    """The URL with real arguments: an existing row of the model, the Kurzeme case's
    content type for the site's "view on site", the coordinators app for its app page."""
    if name == CATCH_ALL:
        return reverse("admin:index") + "no-such-page/"
    if name == "view_on_site":
        case = Case.objects.order_by("pk").first()
        return reverse(f"admin:{name}", args=[ContentType.objects.get_for_model(Case).pk, case.pk])
    model = next((m for m in admin.site._registry if m._meta.label == model_label), None)
    values = {}
    for arg in args:
        if arg == "app_label":
            values[arg] = "coordinators"
        else:  # object_id, pk, id: an existing row of the model
            row = model._default_manager.order_by("pk").first()
            assert row is not None, f"add a {model_label} row to admin_world"
            values[arg] = row.pk
    url = reverse(f"admin:{name}", kwargs=values)
    if name == "autocomplete":
        url += "?app_label=coordinators&model_name=case&field_name=municipality&term=Liep"
    return url


def national_admin_answer(name, model_label):
    if name in NATIONAL_ADMIN_ANSWERS:
        return NATIONAL_ADMIN_ANSWERS[name]
    action = name.rsplit("_", 1)[-1]
    if name.endswith("_process_import"):
        return 405  # the import's second step is a POST
    if action == "add" and model_label in ADD_REFUSED:
        return 403
    if action == "delete" and model_label in DELETE_REFUSED:
        return 403
    return 200


def expected_answer(role, name, model_label):
    if role == "admin":
        return national_admin_answer(name, model_label)
    if role != "anonymous":
        return 403
    return 200 if name == "login" else 302


@pytest.mark.parametrize(
    ("name", "args", "model_label"), ADMIN_URLS, ids=[r[0] for r in ADMIN_URLS]
)
def test_only_national_admins_reach_the_admin(client, admin_world, name, args, model_label):
    """GET by every role; POST too by everyone but the national administrator (whose POSTs
    would act: test_admin.py tests those)."""
    url = url_of(name, args, model_label)
    answers, expected, anonymous_location = {}, {}, ""
    for role in ROLES:
        client.logout()
        if admin_world["users"][role] is not None:
            client.force_login(admin_world["users"][role])
        for method in ["get"] if role == "admin" else ["get", "post"]:
            response = getattr(client, method)(url)
            answers[(role, method)] = response.status_code
            expected[(role, method)] = expected_answer(role, name, model_label)
            if (role, method) == ("anonymous", "get"):
                anonymous_location = response.get("Location", "")

    assert answers == expected, url
    if name == "logout":
        assert anonymous_location == reverse("admin:index")  # Django's: the index, then login
    elif name != "login":
        assert anonymous_location.startswith(f"{reverse('admin:login')}?next=")


def test_refused_admin_pages_show_no_personal_data(client, admin_world):
    case = admin_world["cases"]["KUR"]
    client.force_login(admin_world["users"]["kurzeme"])  # the case's own coordinator
    for url in [
        reverse("admin:coordinators_case_change", args=[case.pk]),
        reverse("admin:coordinators_returnee_changelist"),
        reverse("admin:autocomplete") + "?app_label=coordinators&model_name=case"
        "&field_name=municipality",
    ]:
        response = client.get(url)
        assert response.status_code == 403
        assert case.reference not in response.text
        assert case.returnee.last_name not in response.text


def test_staff_flag_forced_on_a_coordinator_does_not_open_the_admin(client, world):  # noqa: F811
    """Even if the database held is_staff for a coordinator (the constraint forbids it), the
    site asks the role."""
    coordinator = world["users"]["kurzeme"]
    coordinator.is_staff = True  # in memory only: save() would derive it again
    client.force_login(coordinator)

    assert not admin.site.has_permission(type("Request", (), {"user": coordinator})())
    assert client.get(reverse("admin:index")).status_code == 403


def test_coordinator_cannot_log_in_at_the_admin_login(client, world):  # noqa: F811
    response = client.post(
        reverse("admin:login"), {"username": world["users"]["kurzeme"].username,
                                 "password": "parole-123"},
    )  # fmt: skip
    assert response.status_code == 200  # the form again, with the admin's error
    assert "_auth_user_id" not in client.session


def test_national_admin_logs_in_at_the_admin_login(client, world):  # noqa: F811
    response = client.post(
        reverse("admin:login"),
        {"username": world["users"]["admin"].username, "password": "parole-123"},
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize(("name", "args", "model_label"), ADMIN_URLS, ids=ADMIN_URL_IDS)
def test_national_admin_without_second_factor_reaches_no_admin_page(
    client, admin_world, settings, name, args, model_label
):
    settings.OTP_REQUIRED_FOR_NATIONAL_ADMINS = True
    client.force_login(admin_world["users"]["admin"])

    response = client.get(url_of(name, args, model_label))

    if name == "logout":  # logging out stays possible (a POST; GET is refused)
        assert response.status_code == 405
    else:
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:two_factor_setup")
