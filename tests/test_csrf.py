"""CSRF is enforced on every POST of the portal: without the token the answer is 403 and
nothing in the database changes; with the token the same request goes through (so the 403
is the token's doing, not a bad form)."""

import datetime

import pytest
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from coordinators.models import Case, ContactSubmission
from coordinators.services.contacts import contact_data_dump
from coordinators.services.links import personal_link_issue
from coordinators.services.pipeline import case_transition
from coordinators.services.versions import RETURNEE_VALUES
from duplicates.models import DuplicateCandidate
from imports.models import ImportJob
from inbound.models import InboundMessage
from intake.forms import timestamp_token
from offers import services as offer_services
from reports.models import ClosedPeriod
from savedviews.models import SavedView
from tests.factories import (
    AttendeeFactory,
    CaseFactory,
    CoordinatorFactory,
    EventFactory,
    HouseholdMemberFactory,
    InteractionFactory,
    MunicipalityRequestFactory,
    MunicipalServiceFactory,
    NationalAdminFactory,
    SpecialistFactory,
    municipality,
    need,
    offer_draft_with_sections,
    region,
)
from tests.import_files import csv_bytes, good_row
from tests.test_admin_access import ADMIN_URL_IDS, ADMIN_URLS, CATCH_ALL
from transfers.models import CaseTransfer

pytestmark = pytest.mark.django_db

LIEPAJA = "Liepājas valstspilsēta"


@pytest.fixture(autouse=True)
def contact_settings(settings):
    settings.CONTACT_FORM_MIN_FILL_SECONDS = 0


@pytest.fixture
def world():
    """A contacted Kurzeme case with a draft offer ready to send, an open and an answered
    request, a catalogue service; a second case whose offer is sent; the people."""
    coordinator = CoordinatorFactory(username="kurzeme", email="kurzeme@example.lv")
    specialist = SpecialistFactory(username="liepaja")
    case = CaseFactory(
        municipality=municipality(LIEPAJA), coordinator=coordinator, needs=[need("family")]
    )
    case_transition(case=case, to_status="contacted", actor=coordinator)
    Case.objects.filter(pk=case.pk).update(needs_attention=True)  # for "mark as seen"
    offer = offer_draft_with_sections(case=case, actor=coordinator)
    for item in offer.items.all():
        offer_services.offer_item_update(item=item, title="Bērnudārzs", text="Vieta.", contact="")
    open_request = MunicipalityRequestFactory(case=case)
    answered = MunicipalityRequestFactory(case=case)
    answered.answer, answered.status = "Ir vieta.", "answered"
    answered.save()
    service = MunicipalServiceFactory()
    sent_case = CaseFactory(municipality=municipality(LIEPAJA), coordinator=coordinator)
    case_transition(case=sent_case, to_status="contacted", actor=coordinator)
    sent = offer_draft_with_sections(case=sent_case, actor=coordinator)
    offer_services.offer_item_add(
        offer=sent, need=need("work"), title="Darbs", text="Vakance.", contact=""
    )
    offer_services.offer_send(offer=sent, actor=coordinator)
    case.refresh_from_db()  # preparing the offer moved it on
    verifying = CoordinatorFactory(username="verifying")
    device = TOTPDevice.objects.create(user=verifying, name="app", confirmed=True)
    import_job = ImportJob.objects.create(
        requested_by=coordinator, planning_region=coordinator.planning_region,
        file_name="history.csv", sha256="0" * 64, status=ImportJob.Status.READY,
        expires_at=timezone.now() + datetime.timedelta(hours=24),
    )  # fmt: skip
    to_check = ContactSubmission.objects.create(
        token_digest="c" * 64, status=ContactSubmission.Status.TO_CHECK,
        data=contact_data_dump(dict(contact_form(), email=case.returnee.email,
                                    planning_region=region("KUR"), municipality=None,
                                    adults=1, children_ages=[], needs=[])),
        planning_region=region("KUR"), existing_returnee=case.returnee,
    )  # fmt: skip
    Case.objects.filter(pk=sent_case.pk).update(coordinator=coordinator)
    person_token = personal_link_issue(returnee=sent_case.returnee)
    start = timezone.now() - datetime.timedelta(hours=4)
    past_event = EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    AttendeeFactory(event=past_event, checked_in_at=timezone.now())
    duplicate = DuplicateCandidate.objects.create(
        case_a=case, case_b=sent_case, reasons=["name"], score=50
    )
    national = NationalAdminFactory(username="national")
    closed_2021 = ClosedPeriod.objects.create(
        date_from=datetime.date(2021, 1, 1), date_to=datetime.date(2021, 12, 31), figures={},
        closed_at=timezone.now(), closed_by=national,
    )  # fmt: skip
    incoming = CaseTransfer.objects.create(
        case=CaseFactory(planning_region=region("ZEM")), from_region=region("ZEM"),
        to_region=region("KUR"), note="Pārceļas",
    )  # fmt: skip
    outgoing = CaseTransfer.objects.create(
        case=CaseFactory(), from_region=region("KUR"), to_region=region("ZEM"), note="Pārceļas"
    )
    returned = CaseFactory(coordinator=coordinator)
    for status in ("contacted", "returned"):
        case_transition(case=returned, to_status=status, actor=coordinator)
    return {
        "person_token": person_token,
        "sent_case": sent_case,
        "upcoming_event": EventFactory(),
        "past_event": past_event,
        "to_check_in": AttendeeFactory(event=past_event),
        "inbox_message": InboundMessage.objects.create(message_id="<inbox@x>", subject="Sveiki"),
        "saved_view": SavedView.objects.create(user=coordinator, name="Mans", query=""),
        "returned": returned,
        "incoming": incoming,
        "outgoing": outgoing,
        "to_check": to_check,
        "duplicate": duplicate,
        "closed_2021": closed_2021,
        "national": national,
        "newcomer": NationalAdminFactory(username="newcomer"),
        "import_job": import_job,
        "coordinator": coordinator,
        "specialist": specialist,
        "verifying": verifying,
        "device": device,
        "case": case,
        "offer": offer,
        "item": offer.items.first(),
        "open_request": open_request,
        "answered": answered,
        "service": service,
        "sent": sent,
        "member": HouseholdMemberFactory(returnee=case.returnee),
        "interaction": InteractionFactory(case=case),
    }


def contact_form():
    return {
        "first_name": "Ilze",
        "last_name": "Bērziņa",
        "email": "ilze@example.com",
        "country": "GB",
        "preferred_language": "lv",
        "planning_region": str(region("KUR").pk),
        "municipality": "",
        "timeframe": Case.Timeframe.MONTHS_6_12,
        "adults": "1",
        "children_ages": "",
        "message": "Sveiki",
        "consent": "on",
        "homepage": "",
        "started": timestamp_token(),
    }


def event_endpoints(world, past):
    """The events' POSTs: a registration, a new event, a change, a check-in, contacts."""
    from events.services import event_values, event_version

    local = lambda moment: timezone.localtime(moment).strftime("%d.%m.%Y %H:%M")  # noqa: E731
    values = {key: value for key, value in event_values(past).items() if value is not None}
    edit = {
        **values, "starts_at": local(past.starts_at), "ends_at": local(past.ends_at),
        "published": "on", "title": "Jauns nosaukums", "version": event_version(past),
    }  # fmt: skip
    create = {**edit, "version": ""}
    return {
        "event_register": (
            None,
            reverse("events:detail", args=[world["upcoming_event"].pk]),
            {
                "first_name": "Ilze",
                "last_name": "Bērziņa",
                "email": "ilze@example.com",
                "country": "IE",
                "party_size": "1",
                "started": timestamp_token(),
            },
        ),  # fmt: skip
        "event_create": ("coordinator", reverse("events:staff_create"), create),
        "event_edit": ("coordinator", reverse("events:staff_edit", args=[past.pk]), edit),
        "event_check_in": (
            "coordinator",
            reverse("events:check_in", args=[past.pk, world["to_check_in"].pk]),
            {},
        ),
        "event_contacts": ("coordinator", reverse("events:contacts_make", args=[past.pk]), {}),
    }


def offer_url(name, offer, *args):
    return reverse(f"offers:{name}", args=[offer.case.reference, offer.version, *args])


def endpoints(world):
    """(name, who is logged in, URL, valid form data) for every POST the portal takes."""
    case, offer, item = world["case"], world["offer"], world["item"]
    reference = case.reference
    case_url = lambda name: reverse(f"workspace:{name}", args=[reference])  # noqa: E731
    uid = urlsafe_base64_encode(force_bytes(world["coordinator"].pk))
    past = world["past_event"]
    return {
        **event_endpoints(world, past),
        "contact": (None, reverse("intake:contact"), contact_form()),
        "login": (None, reverse("login"), {"username": "kurzeme", "password": "parole-123"}),
        "logout": ("coordinator", reverse("logout"), {}),
        "set_language": ("coordinator", reverse("set_language"), {"language": "en"}),
        "case_create": (
            "coordinator",
            reverse("workspace:case_create"),
            {
                "first_name": "Jānis",
                "last_name": "Ozols",
                "preferred_language": "lv",
                "source": "phone",
                "municipality": municipality(LIEPAJA).pk,
                "timeframe": Case.Timeframe.MONTHS_6_12,
            },
        ),
        "case_interaction": (
            "coordinator",
            case_url("case_interaction"),
            {
                "interaction-kind": "phone",
                "interaction-occurred_on": "01.11.2026",
                "interaction-summary": "Zvans",
            },
        ),
        "case_status": (
            "coordinator",
            case_url("case_status"),
            {"status-to_status": "needs_assessed", "status-expected_status": case.status},
        ),
        "case_needs": ("coordinator", case_url("case_needs"), {"needs-needs": [need("work").pk]}),
        "case_assign": ("coordinator", case_url("case_assign"), {"assign-coordinator": ""}),
        "case_request": (
            "coordinator",
            case_url("case_request"),
            {
                "request-municipalities": municipality(LIEPAJA).pk,
                "request-need": need("housing").pk,
                "request-question": "Vai ir dzīvoklis?",
            },
        ),
        "case_attention": ("coordinator", case_url("case_attention"), {}),
        "case_contact": (
            "coordinator",
            case_url("case_contact"),
            {
                "contact-first_name": "Jānis",
                "contact-last_name": "Ozols",
                "contact-preferred_language": "lv",
            },
        ),  # fmt: skip
        "case_details": (
            "coordinator",
            case_url("case_details"),
            {"details-timeframe": "not_sure"},
        ),
        "case_household": (
            "coordinator",
            case_url("case_household"),
            {"member-relation": "partner"},
        ),  # fmt: skip
        "case_household_member": (
            "coordinator",
            reverse("workspace:case_household_member", args=[reference, world["member"].pk]),
            {f"member-{world['member'].pk}-relation": "partner"},
        ),
        "case_interaction_edit": (
            "coordinator",
            reverse("workspace:case_interaction_edit", args=[reference, world["interaction"].pk]),
            {"edit-kind": "email", "edit-occurred_on": "01.11.2026", "edit-summary": "Labots"},
        ),
        "case_bulk": (
            "coordinator",
            reverse("workspace:case_bulk"),
            {"cases": [reference], "action": "assign", "coordinator": ""},
        ),
        "case_search": ("coordinator", reverse("workspace:case_search"), {"q": reference}),
        "case_transfer": (
            "coordinator",
            case_url("case_transfer"),
            {"transfer-to_region": region("ZEM").pk, "transfer-note": "Pārceļas"},
        ),
        "saved_view_create": (
            "coordinator",
            reverse("workspace:saved_view_create"),
            {"name": "Jaunās", "query": "status=new"},
        ),
        "saved_view_delete": (
            "coordinator",
            reverse("workspace:saved_view_delete", args=[world["saved_view"].pk]),
            {},
        ),
        "case_request_withdraw": (
            "coordinator",
            reverse("workspace:case_request_withdraw", args=[reference, world["open_request"].pk]),
            {},
        ),
        "case_undo": (
            "coordinator",
            reverse("workspace:case_undo", args=[world["returned"].reference]),
            {"undo-expected_status": "returned"},
        ),
        "transfer_accept": (
            "coordinator",
            reverse("workspace:transfer_accept", args=[world["incoming"].pk]),
            {},
        ),
        "transfer_decline": (
            "coordinator",
            reverse("workspace:transfer_decline", args=[world["incoming"].pk]),
            {"decline-note": "Nav mūsu"},
        ),
        "transfer_withdraw": (
            "coordinator",
            reverse("workspace:transfer_withdraw", args=[world["outgoing"].pk]),
            {},
        ),
        "check_link": (
            "coordinator",
            reverse("workspace:contact_link", args=[world["to_check"].pk]),
            {},
        ),
        "check_dismiss": (
            "coordinator",
            reverse("workspace:contact_dismiss", args=[world["to_check"].pk]),
            {},
        ),
        "inbox_assign": (
            "national",
            reverse("inbound:assign", args=[world["inbox_message"].pk]),
            {f"{world['inbox_message'].pk}-reference": world["case"].reference},
        ),
        "inbox_dismiss": (
            "national",
            reverse("inbound:dismiss", args=[world["inbox_message"].pk]),
            {},
        ),
        "duplicate_merge": (
            "coordinator",
            reverse("workspace:duplicate_merge", args=[world["duplicate"].pk]),
            {"survivor": case.returnee_id, "confirm": "on"},
        ),
        "duplicate_dismiss": (
            "coordinator",
            reverse("workspace:duplicate_dismiss", args=[world["duplicate"].pk]),
            {},
        ),
        "request_answer": (
            "specialist",
            reverse("workspace:request_detail", args=[world["open_request"].pk]),
            {"answer": "Ir vieta."},
        ),
        # The first case has its draft already: a new version is made for the sent one.
        "offer_create": (
            "coordinator",
            reverse("offers:create", args=[world["sent"].case.reference]),
            {},
        ),
        "offer_language": ("coordinator", offer_url("language", offer), {"language": "en"}),
        "offer_item_add": (
            "coordinator",
            offer_url("item_add", offer),
            {"need": need("work").pk, "title": "Darbs", "text": "Vakance", "contact": ""},
        ),
        "offer_item_add_service": (
            "coordinator",
            offer_url("item_add_service", offer),
            {"service": world["service"].pk},
        ),
        "offer_item_add_request": (
            "coordinator",
            offer_url("item_add_request", offer),
            {"request": world["answered"].pk},
        ),
        "offer_item_update": (
            "coordinator",
            offer_url("item_update", offer, item.pk),
            {f"item-{item.pk}-title": "Jauns", f"item-{item.pk}-text": "Teksts"},
        ),
        "offer_item_delete": ("coordinator", offer_url("item_delete", offer, item.pk), {}),
        "offer_send": ("coordinator", offer_url("send", offer), {"confirm": "on"}),
        "offer_response": (
            "coordinator",
            offer_url("response", world["sent"]),
            {"response": "accepted", "note": ""},
        ),
        "privacy_export": ("coordinator", reverse("privacy:export", args=[reference]), {}),
        "report_pdf": ("coordinator", f"{reverse('reports:pdf_prepare')}?period=this_year", {}),
        "period_close": (
            "national",
            reverse("reports:periods"),
            {"date_from": "01.01.2022", "date_to": "31.12.2022"},
        ),
        "period_reopen": (
            "national",
            reverse("reports:period_reopen", args=[world["closed_2021"].pk]),
            {"reason": "A return recorded in the wrong year"},
        ),
        "privacy_erase": (
            "coordinator",
            reverse("privacy:erase", args=[reference]),
            {"confirmation": reference},
        ),
        "import_upload": (
            "coordinator",
            reverse("imports:upload"),
            {"file": SimpleUploadedFile("history.csv", csv_bytes([good_row(1)]))},
        ),
        "import_start": (
            "coordinator",
            reverse("imports:start", args=[world["import_job"].pk]),
            {},
        ),
        "import_discard": (
            "coordinator",
            reverse("imports:discard", args=[world["import_job"].pk]),
            {},
        ),
        "two_factor_setup": ("coordinator", reverse("accounts:two_factor_setup"), "totp-pending"),
        "two_factor_verify": ("verifying", reverse("accounts:two_factor_verify"), "totp"),
        "enrolment_links": (
            "national",
            reverse("accounts:enrolment_links"),
            {"user": world["newcomer"].pk},
        ),
        "password_reset": (
            None,
            reverse("accounts:password_reset"),
            {"email": "kurzeme@example.lv"},
        ),
        "returnee_link_request": (
            None,
            reverse("returnee:link_request"),
            {"email": world["sent"].case.returnee.email},
        ),
        "returnee_leave": ("person", reverse("returnee:leave"), {}),
        "returnee_details": (
            "person",
            reverse("returnee:details"),
            person_details(world["sent"].case, town="Dublin"),
        ),
        "returnee_document_upload": (
            "person",
            reverse("returnee:document_upload"),
            {"file": SimpleUploadedFile("d.pdf", b"%PDF-1.4\n%%EOF", "application/pdf")},
        ),
        "returnee_consent_withdraw": (
            "person",
            reverse("returnee:consent_withdraw"),
            {"consent-confirm": "on"},
        ),
        "returnee_erasure_ask": (
            "person",
            reverse("returnee:erasure_ask"),
            {"erasure-confirm": "on"},
        ),
        "returnee_offer_answer": (
            "person",
            reverse("returnee:offer_answer", args=[world["sent"].version]),
            {"response": "accepted", "note": ""},
        ),
        "returnee_links_revoke": (
            "coordinator",
            reverse("returnee_staff:links_revoke", args=[world["sent"].case.reference]),
            {},
        ),
        "password_reset_confirm": (
            None,
            reverse("accounts:password_reset_confirm", args=[uid, "set-password"]),
            {"new_password1": "Jauna-parole-2026!", "new_password2": "Jauna-parole-2026!"},
        ),
    }


def person_details(case, **changes):
    """The person's contact form as loaded (version included), with `changes`."""
    returnee = case.returnee
    data = {name: str(getattr(returnee, name)) for name in RETURNEE_VALUES}
    return {**data, "form": "contact", "version": "", **changes}


def totp_data(world, who):
    """A correct code for the user's device (the pending one is made by the setup page)."""
    if who == "coordinator":
        device = TOTPDevice.objects.get(user=world["coordinator"], confirmed=False)
    else:
        device = world["device"]
    return {"token": f"{totp(device.bin_key):06d}"}


def database_state():
    """Every row of every model, so any change anywhere shows. A session is saved again on
    every request (the staff session timeout), with a new expiry and signature: its
    decoded content is what may not change."""
    state = {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models()
        if model is not Session
    }
    state["sessions"] = {
        session.session_key: session.get_decoded() for session in Session.objects.all()
    }
    return state


def browser_for(world, who, url, data):
    """A client that enforces CSRF, logged in as `who`, having opened the page first (as a
    person would: that GET may create the 2FA device or the reset session)."""
    client = Client(enforce_csrf_checks=True)
    if who == "person":  # the person's own page: their personal link, no login
        client.get(reverse("returnee:open", kwargs={"token": world["person_token"]}))
    elif who is not None:
        client.force_login(world[who])
    if url.endswith("set-password/"):
        token = default_token_generator.make_token(world["coordinator"])
        client.get(url.replace("set-password", token))
    elif "two-factor" in url or url == reverse("intake:contact"):
        client.get(url)
    if data in ("totp", "totp-pending"):
        data = totp_data(world, who)
    return client, data


ENDPOINT_NAMES = [
    "contact", "login", "logout", "set_language", "case_create", "case_interaction",
    "case_status", "case_needs", "case_assign", "case_request", "case_attention", "case_bulk",
    "case_contact", "case_details", "case_household", "case_household_member",
    "case_interaction_edit", "case_transfer", "case_undo", "case_request_withdraw",
    "transfer_accept", "transfer_decline", "transfer_withdraw", "saved_view_create",
    "saved_view_delete",
    "case_search", "check_link", "check_dismiss", "duplicate_merge", "duplicate_dismiss",
    "request_answer", "inbox_assign", "inbox_dismiss",
    "offer_create", "offer_language", "offer_item_add",
    "offer_item_add_service", "offer_item_add_request", "offer_item_update",
    "offer_item_delete", "offer_send", "offer_response", "privacy_export", "privacy_erase",
    "report_pdf", "period_close", "period_reopen",
    "import_upload", "import_start", "import_discard",
    "two_factor_setup", "two_factor_verify", "enrolment_links", "password_reset",
    "password_reset_confirm", "returnee_link_request", "returnee_leave", "returnee_details",
    "returnee_document_upload", "returnee_consent_withdraw", "returnee_erasure_ask",
    "returnee_offer_answer", "returnee_links_revoke",
    "event_register", "event_create", "event_edit", "event_check_in", "event_contacts",
]  # fmt: skip
# POSTs that change no row even when they succeed: the language lives in a cookie.
CHANGES_NOTHING_WHEN_ACCEPTED = {"set_language"}


@pytest.mark.parametrize("endpoint", ENDPOINT_NAMES)
def test_post_without_csrf_token_is_forbidden_and_changes_nothing(world, endpoint):
    who, url, data = endpoints(world)[endpoint]
    client, data = browser_for(world, who, url, data)
    before = database_state()

    response = client.post(url, data)

    assert response.status_code == 403
    assert database_state() == before


@pytest.mark.parametrize("endpoint", ENDPOINT_NAMES)
def test_same_post_with_the_token_is_accepted(world, endpoint):
    who, url, data = endpoints(world)[endpoint]
    client, data = browser_for(world, who, url, data)
    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    before = database_state()

    response = client.post(url, {**data, "csrfmiddlewaretoken": secret})

    assert response.status_code == 302, response.content[:3000]
    assert (database_state() != before) is (endpoint not in CHANGES_NOTHING_WHEN_ACCEPTED)


def test_every_post_endpoint_of_the_portal_is_covered():
    """A view that answers POST and is not named here would escape this module."""
    from tests.test_access_matrix import portal_url_names

    post_free = {
        "home", "workspace:case_list", "intake:contact_thanks", "intake:privacy",
        "workspace:case_detail", "workspace:request_list",
        "workspace:contact_list", "offers:detail", "offers:pdf",
        "workspace:duplicate_list", "workspace:duplicate_detail",
        "privacy:case", "privacy:export_download", "reports:report", "reports:export_xlsx",
        "reports:export_csv", "reports:pdf_download", "reports:case_export",
        "accounts:password_reset_done", "accounts:password_reset_complete", "healthz",
        "accounts:two_factor_enrol",
        "imports:job", "imports:template_xlsx", "imports:template_csv",
        "returnee:page", "returnee:open", "returnee:link_sent", "returnee:offer",
        "returnee:offer_pdf", "returnee_staff:document_download",
        "events:list", "events:thanks", "events:ical", "events:staff_list",
        "events:staff_detail", "events:report", "openfigures:page", "openfigures:widget",
        "openfigures:json",
        "inbound:inbox", "inbound:case_mail", "inbound:attachment",
        "workspace:transfer_list", "workspace:transfer_detail",
    }  # fmt: skip
    aliases = {
        "request_answer": "workspace:request_detail",
        "check_link": "workspace:contact_link",
        "check_dismiss": "workspace:contact_dismiss",
        "inbox_assign": "inbound:assign",
        "inbox_dismiss": "inbound:dismiss",
        "duplicate_merge": "workspace:duplicate_merge",
        "duplicate_dismiss": "workspace:duplicate_dismiss",
        "report_pdf": "reports:pdf_prepare",
        "period_close": "reports:periods",
        "period_reopen": "reports:period_reopen",
        "enrolment_links": "accounts:enrolment_links",
        "returnee_links_revoke": "returnee_staff:links_revoke",
        "event_register": "events:detail",
        "event_create": "events:staff_create",
        "event_edit": "events:staff_edit",
        "event_check_in": "events:check_in",
        "event_contacts": "events:contacts_make",
        "transfer_accept": "workspace:transfer_accept",
        "saved_view_create": "workspace:saved_view_create",
        "saved_view_delete": "workspace:saved_view_delete",
        "transfer_decline": "workspace:transfer_decline",
        "transfer_withdraw": "workspace:transfer_withdraw",
    }
    covered = set()
    for name in ENDPOINT_NAMES:
        if name in aliases:
            covered.add(aliases[name])
        elif name.startswith("case_"):
            covered.add(f"workspace:{name}")
        elif name.startswith("contact"):
            covered.add(f"intake:{name}")
        elif name.startswith("offer_"):
            covered.add(f"offers:{name.removeprefix('offer_')}")
        elif name.startswith("import_"):
            covered.add(f"imports:{name.removeprefix('import_')}")
        elif name.startswith("privacy_"):
            covered.add(f"privacy:{name.removeprefix('privacy_')}")
        elif name.startswith("returnee_"):
            covered.add(f"returnee:{name.removeprefix('returnee_')}")
        elif name.startswith(("two_factor", "password")):
            covered.add(f"accounts:{name}")
        else:
            covered.add(name)

    covered |= {f"admin:{name}" for name, _args, _model in ADMIN_URLS}  # the test below
    from tests.test_grants_access import CSRF_COVERED  # the grant competition's own world

    covered |= CSRF_COVERED | {"aftercare:survey"}  # tests/test_aftercare.py
    post_free |= {"grants:call_list", "grants:call_detail", "grants:export_xlsx",
                  "grants:pdf_download", "aftercare:report"}  # fmt: skip

    assert portal_url_names() - post_free - covered == set()


@pytest.mark.parametrize(("name", "args", "model_label"), ADMIN_URLS, ids=ADMIN_URL_IDS)
def test_every_admin_post_needs_the_token(national_admin, name, args, model_label):
    """Every admin URL (generated from admin.site, tests/test_admin_access.py) refuses a
    national administrator's POST without the token: the CSRF page, nothing changed."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(national_admin)
    url = (
        reverse("admin:index") + "no-such-page/"
        if name == CATCH_ALL
        else reverse(f"admin:{name}", args=["coordinators" if arg == "app_label" else 1
                                            for arg in args])
    )  # fmt: skip
    before = database_state()

    response = client.post(url, {"post": "yes", "action": "delete_selected"})

    assert response.status_code == 403
    assert "403_csrf.html" in [template.name for template in response.templates]
    assert database_state() == before
