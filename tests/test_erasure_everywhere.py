"""Erasure leaves no copy: after a rich case has been worked through the portal, the erased
person's names, e-mail and phone are in no text, JSON or binary column of any model of any
installed app (a new model that keeps a copy fails this test until erasure covers it)."""

import io
import json
import zipfile

import pytest
from django.apps import apps
from django.contrib.admin.models import ADDITION, CHANGE, DELETION
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import models
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from coordinators.models import HouseholdMember, Returnee
from coordinators.services.pipeline import case_transition
from coordinators.services.requests import municipality_request_answer
from offers import services as offers
from outbox.models import Email
from outbox.services import email_enqueue
from privacy.services import returnee_erase
from privacy.signals import returnee_erased
from tests.factories import (
    CaseFactory,
    SpecialistFactory,
    municipality,
    need,
    offer_draft_with_sections,
    region,
)
from transfers.services import transfer_decline, transfer_propose

pytestmark = pytest.mark.django_db

FIRST, LAST = "Zvaigznīte", "Mēnestiņa-Ūdre"
EMAIL, PHONE = "zvaigznite.udre@example.org", "+447911765432"
FULL = f"{FIRST} {LAST}"
IDENTIFIERS = (FULL, FIRST, LAST, EMAIL, PHONE)
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField, models.BinaryField)


def readable(value):
    """The text of a stored value: JSON as written, a PDF's text, a ZIP's members."""
    if value is None:
        return ""
    if isinstance(value, memoryview | bytes):
        return binary_text(bytes(value))
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def binary_text(content):
    if content.startswith(b"%PDF"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    if content.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(binary_text(archive.read(name)) for name in archive.namelist())
    return content.decode("utf-8", errors="replace")


def copies_left():
    """(model, field, identifier) for every identifier found anywhere in the database."""
    found = []
    for model in apps.get_models():
        fields = [
            field
            for field in model._meta.concrete_fields
            if isinstance(field, TEXT_FIELDS) and not field.remote_field
        ]
        for row in model._base_manager.values_list(*(field.attname for field in fields)):
            for field, value in zip(fields, row, strict=True):
                text = readable(value)
                if model is Session and field.name == "session_data":
                    text = json.dumps(SessionStore().decode(value), ensure_ascii=False)
                escaped = text.encode("unicode_escape").decode()
                for identifier in IDENTIFIERS:
                    if identifier in text or json.dumps(identifier)[1:-1] in escaped:
                        found.append((model._meta.label, field.name, identifier))
    return sorted(set(found))


def admin_log(user, obj, flag, message=""):
    return AdminLogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action_flag=flag,
        change_message=message,
    )


@pytest.fixture
def rich_case(client, kurzeme_coordinator, national_admin, django_capture_on_commit_callbacks):
    """A case worked through the pages and services: household, contacts, a question to a
    municipality answered with the name shared, a sent offer with its PDF, mail, the admin's
    log, django-auditlog's history, the audit trail, a search, a ZIP of the person's data."""
    liepaja = municipality("Liepājas valstspilsēta")
    case = CaseFactory(
        returnee__first_name=FIRST,
        returnee__last_name=LAST,
        returnee__email=EMAIL,
        returnee__phone=PHONE,
        returnee__town="Peterborough",
        returnee__sharing_consent_given_at=timezone.now(),
        municipality=liepaja,
        coordinator=kurzeme_coordinator,
        needs=[need("housing"), need("family")],
    )
    returnee = case.returnee
    partner = HouseholdMember.objects.create(returnee=returnee, relation="partner")
    HouseholdMember.objects.create(returnee=returnee, relation="child", birth_year=2016)
    returnee.town = "Boston"
    returnee.save()  # django-auditlog keeps the before and after
    client.force_login(kurzeme_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("workspace:case_interaction", args=[case.reference]),
            {
                "interaction-kind": "phone",
                "interaction-occurred_on": timezone.localdate().strftime("%d.%m.%Y"),
                "interaction-summary": f"{FIRST} zvanīs no {PHONE}, raksta uz {EMAIL}.",
            },
        )
        client.post(
            reverse("workspace:case_request", args=[case.reference]),
            {
                "request-municipalities": liepaja.pk,
                "request-need": need("housing").pk,
                "request-question": f"Vai {FULL} var saņemt dzīvokli?",
                "request-share_contact_details": "on",
            },
        )
        question = case.municipality_requests.get()
        municipality_request_answer(
            request=question, answer=f"Jā, {LAST} kungs var.", actor=SpecialistFactory()
        )
        case_transition(case=case, to_status="contacted", actor=kurzeme_coordinator)
        case_transition(case=case, to_status="needs_assessed", actor=kurzeme_coordinator)
        offer = offer_draft_with_sections(case=case, actor=kurzeme_coordinator)
        for item in offer.items.all():
            offers.offer_item_update(
                item=item, title=f"Dzīvoklis {LAST}", text=f"{FULL}: īre.", contact=EMAIL
            )
        offers.offer_send(offer=offer, actor=kurzeme_coordinator)
        email_enqueue(to=EMAIL, subject=f"Labdien, {FIRST}!", body="…", purpose="offer", case=case)
        email_enqueue(to=EMAIL, subject="Atgādinājums", body=f"Cien. {FULL}", purpose="offer")
        # A transfer proposed with the name in its note, declined with it too.
        transfer = transfer_propose(case=case, to_region=region("ZEM"),
                                    note=f"{FULL} pārceļas", actor=kurzeme_coordinator)  # fmt: skip
        transfer_decline(transfer=transfer, actor=national_admin, note=f"{LAST} paliek")
        client.get(reverse("workspace:case_detail", args=[case.reference]))
        client.post(reverse("workspace:case_search"), {"q": LAST})
        client.get(reverse("workspace:case_list"), {"search": "on"})
        client.post(reverse("privacy:export", args=[case.reference]))
    assert Email.objects.filter(case=case, purpose="offer", attachments__isnull=False).exists()
    for obj, flag, message in [
        (returnee, CHANGE, [{"changed": {"fields": ["Town of residence"]}}]),
        (returnee, CHANGE, [{"added": {"name": "household member", "object": FULL}}]),
        (partner, ADDITION, [{"added": {}}]),
        (case, CHANGE, [{"changed": {"fields": ["Coordinator"]}}]),
        (case.interactions.get(), CHANGE, ""),
        (question, CHANGE, ""),
        (offer, CHANGE, ""),
        (offer.items.first(), CHANGE, ""),
        (Email.objects.filter(case=case).first(), CHANGE, ""),
    ]:
        admin_log(national_admin, obj, flag, json.dumps(message) if message else "")
    # A duplicate record of the person deleted in the admin earlier: its id is gone.
    gone = Returnee(pk=987654, first_name=FIRST, last_name=LAST)
    admin_log(national_admin, gone, DELETION)
    return case


def test_erasure_leaves_no_copy_in_any_table(rich_case, kurzeme_coordinator):
    found_before = copies_left()
    # The walk finds the copies where they are (it would not pass by finding nothing).
    for table in (
        "coordinators.Returnee",
        "coordinators.Interaction",
        "coordinators.MunicipalityRequest",
        "offers.OfferItem",
        "outbox.Email",
        "outbox.Attachment",
        "admin.LogEntry",
        "auditlog.LogEntry",
        "privacy.DataExport",
        "sessions.Session",
    ):
        assert table in {model for model, _field, _identifier in found_before}, table

    returnee_erase(returnee=rich_case.returnee, actor=kurzeme_coordinator)

    assert copies_left() == []


def test_erasure_keeps_who_did_what_in_the_admin_log(rich_case, kurzeme_coordinator):
    count = AdminLogEntry.objects.count()

    returnee_erase(returnee=rich_case.returnee, actor=kurzeme_coordinator)

    assert AdminLogEntry.objects.count() == count
    changed = AdminLogEntry.objects.filter(change_message__contains="Town of residence").get()
    assert changed.object_repr == "—"
    assert changed.get_change_message()  # the fields changed are still named


def test_erasure_tells_apps_above_privacy_what_to_forget(rich_case, kurzeme_coordinator):
    received = []

    def receiver(sender, returnee, identifiers, **kwargs):
        received.append((returnee.first_name, identifiers, Returnee.objects.get().first_name))

    returnee_erased.connect(receiver)
    try:
        returnee_erase(returnee=rich_case.returnee, actor=kurzeme_coordinator)
    finally:
        returnee_erased.disconnect(receiver)

    ((first_name, identifiers, stored),) = received
    assert first_name == stored == "—"  # sent after the scrubbing, inside the transaction
    assert set(identifiers) == set(IDENTIFIERS)


def test_a_failing_receiver_undoes_the_erasure(rich_case, kurzeme_coordinator):
    def receiver(**kwargs):
        raise RuntimeError("the import could not forget the person")

    returnee_erased.connect(receiver)
    try:
        with pytest.raises(RuntimeError):
            returnee_erase(returnee=rich_case.returnee, actor=kurzeme_coordinator)
    finally:
        returnee_erased.disconnect(receiver)

    assert Returnee.objects.get().first_name == FIRST
