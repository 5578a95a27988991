"""Erasure leaves no copy: after a rich case has been worked through the portal, the erased
person's names, e-mail and phone are in no text, JSON or binary column of any model of any
installed app (a new model that keeps a copy fails this test until erasure covers it)."""

import io
import json
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.admin.models import ADDITION, CHANGE, DELETION
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from common.folding import fold
from coordinators.models import HouseholdMember, Returnee
from coordinators.services.links import personal_link_issue
from coordinators.services.pipeline import case_transition
from coordinators.services.requests import municipality_request_answer
from inbound.models import InboundAttachment
from inbound.services import inbound_receive
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
# The search's folded copy of the name (Returnee.search_text, a search kept in a session).
FOLDED = fold(FULL)
IDENTIFIERS = (FULL, FIRST, LAST, EMAIL, PHONE, FOLDED)
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


def copies_left(identifiers=IDENTIFIERS):
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
                for identifier in identifiers:
                    if identifier in text or json.dumps(identifier)[1:-1] in escaped:
                        found.append((model._meta.label, field.name, identifier))
    return sorted(set(found))


def person_reply(*, number, in_reply_to):
    """The person's own reply, signed with their name and phone, with a file."""
    message = EmailMessage()
    message["From"], message["To"] = f"{FULL} <{EMAIL}>", "atbildes@example.lv"
    message["Subject"], message["Message-ID"] = f"Re: {FIRST}", f"<reply-{number}@example.org>"
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    message.set_content(f"Paldies!\n{FULL}, {PHONE}")
    message.add_attachment(b"%PDF-1.4\n", maintype="application", subtype="pdf",
                           filename=f"{LAST}.pdf")  # fmt: skip
    return message.as_bytes()


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
def rich_case(
    client, kurzeme_coordinator, national_admin, django_capture_on_commit_callbacks, settings,
    tmp_path,
):  # fmt: skip
    """A case worked through the pages and services: household, contacts, a question to a
    municipality answered with the name shared, a sent offer with its PDF, mail, the admin's
    log, django-auditlog's history, the audit trail, a search, a ZIP of the person's data,
    the person's replies (one on the case with a file, one in the national inbox)."""
    settings.MEDIA_ROOT = tmp_path / "media"
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
        sent = email_enqueue(
            to=EMAIL, subject=f"Labdien, {FIRST}!", body="…", purpose="offer", case=case
        )
        email_enqueue(to=EMAIL, subject="Atgādinājums", body=f"Cien. {FULL}", purpose="offer")
        # A transfer proposed with the name in its note, declined with it too.
        transfer = transfer_propose(case=case, to_region=region("ZEM"),
                                    note=f"{FULL} pārceļas", actor=kurzeme_coordinator)  # fmt: skip
        transfer_decline(transfer=transfer, actor=national_admin, note=f"{LAST} paliek")
        client.get(reverse("workspace:case_detail", args=[case.reference]))
        client.post(reverse("workspace:case_search"), {"q": LAST})
        client.get(reverse("workspace:case_list"), {"search": "on"})
        client.post(reverse("privacy:export", args=[case.reference]))
        # The person on their own page: a document named after them, changes asked for.
        person = Client()
        person.get(reverse("returnee:open", args=[personal_link_issue(returnee=returnee)]))
        person.post(reverse("returnee:document_upload"), {
            "file": SimpleUploadedFile(f"{FULL} diploms.pdf", b"%PDF-1.4\n%%EOF")})  # fmt: skip
        person.post(reverse("returnee:offer_answer", args=[offer.version]), {
            "response": "changes_requested", "note": f"{FULL}, {PHONE}"})  # fmt: skip
    assert Email.objects.filter(case=case, purpose="offer", attachments__isnull=False).exists()
    for obj, flag, message in [
        (returnee, CHANGE, [{"changed": {"fields": ["Town of residence"]}}]),
        (returnee, CHANGE, [{"added": {"name": "household member", "object": FULL}}]),
        (partner, ADDITION, [{"added": {}}]),
        (case, CHANGE, [{"changed": {"fields": ["Coordinator"]}}]),
        (case.interactions.get(kind="phone"), CHANGE, ""),
        (question, CHANGE, ""),
        (offer, CHANGE, ""),
        (offer.items.first(), CHANGE, ""),
        (Email.objects.filter(case=case).first(), CHANGE, ""),
    ]:
        admin_log(national_admin, obj, flag, json.dumps(message) if message else "")
    # The person's replies: one answers the offer mail (on the case), one goes to the inbox.
    for number, answering in ((1, sent.message_id), (2, "")):
        inbound_receive(raw=person_reply(number=number, in_reply_to=answering))
    # A duplicate record of the person deleted in the admin earlier: its id is gone.
    gone = Returnee(pk=987654, first_name=FIRST, last_name=LAST)
    admin_log(national_admin, gone, DELETION)
    return case


def test_erasure_leaves_no_copy_in_any_table(
    rich_case, kurzeme_coordinator, django_capture_on_commit_callbacks
):
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
        "returnee.ReturneeDocument",
        "inbound.InboundMessage",
        "inbound.InboundAttachment",
    ):
        assert table in {model for model, _field, _identifier in found_before}, table

    files = [attachment.file.path for attachment in InboundAttachment.objects.all()]
    assert len(files) == 2

    with django_capture_on_commit_callbacks(execute=True):
        returnee_erase(returnee=rich_case.returnee, actor=kurzeme_coordinator)

    assert copies_left() == []
    assert not rich_case.documents.exists()
    assert not rich_case.returnee.personal_links.exists()
    assert not any(Path(path).exists() for path in files)  # the files in storage too


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
    assert set(identifiers) == set(IDENTIFIERS) - {FOLDED}  # receivers fold for themselves


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


def test_erasure_finds_the_names_and_addresses_the_person_had_before_a_correction(
    kurzeme_coordinator,
):
    """Typed without diacritics and with an old address first, corrected later: mail written
    before the correction names the person as they were then, and goes too."""
    from coordinators.services.details import returnee_contact_update

    old_first, old_last, old_email = "Zvaigznite", "Menestina", "z.menestina@example.org"
    case = CaseFactory(
        returnee__first_name=old_first,
        returnee__last_name=old_last,
        returnee__email=old_email,
        returnee__phone=PHONE,
        coordinator=kurzeme_coordinator,
    )
    email_enqueue(
        to=old_email, subject="Sveiki", body=f"Cien. {old_first} {old_last}", purpose="offer"
    )
    data = {
        "first_name": FIRST,
        "last_name": LAST,
        "email": EMAIL,
        "phone": PHONE,
        "country": str(case.returnee.country),
        "town": case.returnee.town,
        "preferred_language": str(case.returnee.preferred_language),
    }
    returnee_contact_update(case=case, data=data, actor=kurzeme_coordinator)

    returnee_erase(returnee=Returnee.objects.get(pk=case.returnee_id), actor=kurzeme_coordinator)

    assert not Email.objects.filter(to=old_email).exists()
    assert not Email.objects.filter(body__contains=old_last).exists()
    assert copies_left() == []
