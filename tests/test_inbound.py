"""Replies reach the case: the Reply-To of mail to the person, a reply read from a real IMAP
mailbox (Dovecot) and through `manage.py receive_email`, stored once, threaded onto the right
case with its quoted history stripped and its files kept; the rest in the national inbox."""

import io
import os
import re
from email.message import EmailMessage
from email.utils import format_datetime

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from coordinators.models import Interaction
from inbound.mailbox import mailbox_read
from inbound.models import InboundAttachment, InboundMessage, ReplyAddress
from inbound.parsing import quoted_history_strip
from inbound.services import reply_address_for_case
from outbox.models import Email
from outbox.services import email_enqueue, email_message
from privacy.services import returnee_erase
from tests.dovecot import dovecot  # noqa: F401 - the fixture
from tests.factories import CaseFactory, region

pytestmark = pytest.mark.django_db

REPLY_ADDRESS = "atbildes+{token}@example.lv"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def inbound_settings(settings, tmp_path):
    settings.INBOUND_REPLY_ADDRESS = REPLY_ADDRESS
    settings.MEDIA_ROOT = tmp_path / "media"


def confirmation(case):
    return email_enqueue(to=case.returnee.email, subject="Paldies", body="…",
                         purpose=Email.Purpose.CONTACT_CONFIRMATION, case=case)  # fmt: skip


def reply(*, to, text="Jā, mums der.", message_id="<reply-1@mail.example.org>", in_reply_to="",
          sender="anna@example.org", html=None, files=()):  # fmt: skip
    message = EmailMessage()
    message["From"] = f"Anna <{sender}>"
    message["To"] = to
    message["Subject"] = "Re: Paldies"
    message["Message-ID"] = message_id
    message["Date"] = format_datetime(timezone.now())
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if html is not None:
        message.set_content(html, subtype="html")
    else:
        message.set_content(text)
    for name, content, kind in files:
        main, sub = kind.split("/")
        message.add_attachment(content, maintype=main, subtype=sub, filename=name)
    return message.as_bytes()


def pipe(raw, *args):
    """`manage.py receive_email` with `raw` on stdin; its exit code."""
    stdin = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8")
    try:
        call_command(
            "receive_email", *args, stdin=stdin, stdout=io.StringIO(), stderr=io.StringIO()
        )
    except SystemExit as exit_:
        return exit_.code
    return 0


# --- Reply-To -----------------------------------------------------------------------------


def test_mail_to_the_person_carries_a_reply_address_that_names_only_a_token():
    case = CaseFactory()

    email = confirmation(case)

    token = ReplyAddress.objects.get(case=case).token
    assert email.reply_to == f"atbildes+{token}@example.lv"
    assert case.reference.lower() not in email.reply_to.lower()
    assert case.returnee.last_name.lower() not in email.reply_to.lower()
    assert email_message(email).extra_headers.get("Message-ID") == email.message_id
    assert email_message(email).reply_to == [email.reply_to]
    # The same address on every later mail of the case.
    assert confirmation(case).reply_to == email.reply_to


def test_staff_mail_and_mail_of_no_case_carry_no_reply_address():
    case = CaseFactory()
    staff = email_enqueue(to="k@example.lv", subject="Jauns", body="…",
                          purpose=Email.Purpose.CONTACT_NOTIFICATION, case=case)  # fmt: skip
    no_case = email_enqueue(to="a@example.org", subject="Paldies", body="…",
                            purpose=Email.Purpose.CONTACT_CONFIRMATION)  # fmt: skip

    assert staff.reply_to == no_case.reply_to == ""
    assert email_message(staff).reply_to == []


def test_without_the_setting_no_reply_address_and_no_promise_to_read_replies(settings):
    settings.INBOUND_REPLY_ADDRESS = ""
    case = CaseFactory()

    assert confirmation(case).reply_to == ""
    assert not ReplyAddress.objects.exists()


# --- Threading ------------------------------------------------------------------------------


def test_reply_to_the_token_address_is_on_the_case_flagged():
    case = CaseFactory()
    CaseFactory()  # another case, which must stay untouched
    to = reply_address_for_case(case=case)

    assert pipe(reply(to=to)) == 0

    message = InboundMessage.objects.get()
    assert (message.case, message.matched_by, message.status) == (case, "token", "on_case")
    interaction = Interaction.objects.get()
    assert (interaction.case, interaction.kind, interaction.author) == (case, "email", None)
    assert interaction.summary == "Jā, mums der."
    case.refresh_from_db()
    assert case.needs_attention


def test_the_envelope_recipient_given_by_the_mail_server_names_the_case():
    case = CaseFactory()

    pipe(reply(to="undisclosed-recipients:;"), "--recipient", reply_address_for_case(case=case))

    assert InboundMessage.objects.get().case == case


def test_reply_that_answers_our_mail_is_found_by_in_reply_to():
    case = CaseFactory()
    sent = confirmation(case)

    pipe(reply(to="remigracija@example.lv", in_reply_to=sent.message_id,
               sender=case.returnee.email.upper()))  # fmt: skip

    assert InboundMessage.objects.get().case == case


def test_a_message_id_of_ours_from_another_address_goes_to_the_national_inbox():
    """Knowing (or guessing) the ID of a mail we sent is not enough to write on the case."""
    case = CaseFactory()
    sent = confirmation(case)

    pipe(reply(to="remigracija@example.lv", in_reply_to=sent.message_id,
               sender="stranger@example.net"))  # fmt: skip

    assert InboundMessage.objects.get().case is None
    assert not Interaction.objects.exists()


def test_our_message_ids_are_not_guessable():
    ids = {confirmation(CaseFactory()).message_id for _ in range(3)}
    assert len(ids) == 3
    assert all(re.fullmatch(r"<[0-9a-f]{32}@[^>]+>", message_id) for message_id in ids)


def test_mail_without_a_token_goes_to_the_national_inbox():
    CaseFactory()

    assert pipe(reply(to="remigracija@example.lv")) == 0

    message = InboundMessage.objects.get()
    assert (message.case, message.status) == (None, "unmatched")
    assert not Interaction.objects.exists()


def test_a_forged_token_goes_to_the_national_inbox():
    case = CaseFactory()
    reply_address_for_case(case=case)

    pipe(reply(to="atbildes+0123456789abcdef0123@example.lv"))
    pipe(reply(to=f"atbildes+{case.reference}@example.lv", message_id="<guess@x>"))

    assert InboundMessage.objects.filter(status="unmatched").count() == 2
    assert not Interaction.objects.exists()


def test_a_reply_to_a_staff_mail_is_not_threaded_onto_the_case():
    case = CaseFactory()
    staff = email_enqueue(to="k@example.lv", subject="Jauns", body="…",
                          purpose=Email.Purpose.CONTACT_NOTIFICATION, case=case)  # fmt: skip

    pipe(reply(to="remigracija@example.lv", in_reply_to=staff.message_id))

    assert InboundMessage.objects.get().case is None


# --- Quoted history -------------------------------------------------------------------------

QUOTED = {
    "gmail_en": (
        "Yes, thank you!\n\nOn Mon, 2 Mar 2026 at 10:00, Remigrācija <noreply@x.lv>\n"
        "wrote:\n\n> Dear Anna,\n> old text\n"
    ),
    "latvian": (
        "Paldies, der!\n\n2026. gada 2. marts, plkst. 10:00, Remigrācija <noreply@x.lv> "
        "rakstīja:\n> Labdien\n"
    ),
    "russian": (
        "Спасибо, подходит!\n\n2 марта 2026 г., в 10:00, Remigrācija <noreply@x.lv> "
        "пишет:\n> Здравствуйте\n"
    ),
    "outlook": (
        "Thanks, fine.\n\n-----Original Message-----\nFrom: Remigrācija\nSent: Monday\n"
        "Subject: Offer\n\nold text\n"
    ),
    "outlook_block": (
        "Thanks, fine.\n\n________________________________\nFrom: Remigrācija <noreply@x.lv>\n"
        "Sent: Monday, 2 March 2026 10:00\nTo: Anna\nSubject: Offer\n\nold text\n"
    ),
    "outlook_lv": (
        "Der.\n\nNo: Remigrācija <noreply@x.lv>\nNosūtīts: pirmdiena\nKam: Anna\n"
        "Temats: Piedāvājums\n\nvecais teksts\n"
    ),
}
NEW_TEXT = {
    "gmail_en": "Yes, thank you!", "latvian": "Paldies, der!", "russian": "Спасибо, подходит!",
    "outlook": "Thanks, fine.", "outlook_block": "Thanks, fine.", "outlook_lv": "Der.",
}  # fmt: skip


@pytest.mark.parametrize("client_name", sorted(QUOTED))
def test_quoted_history_is_stripped(client_name):
    case = CaseFactory()

    pipe(reply(to=reply_address_for_case(case=case), text=QUOTED[client_name]))

    assert Interaction.objects.get().summary == NEW_TEXT[client_name]


def test_a_line_that_only_mentions_writing_is_kept():
    text = "I wrote to the school.\nFrom: next week we can talk."
    assert quoted_history_strip(text) == text


def test_html_only_mail_becomes_text_without_its_markup_or_quote():
    case = CaseFactory()
    html = (
        "<html><head><style>p{color:red}</style></head><body><p>Labdien!</p>"
        "<p>Mēs <b>piekrītam</b> &amp; gaidām.<script>alert(1)</script></p>"
        '<img src="https://tracker.example/x.png">'
        '<div class="gmail_quote"><p>vecs teksts</div><blockquote>vēl vecāks</blockquote>'
        "</body></html>"
    )

    pipe(reply(to=reply_address_for_case(case=case), html=html))

    assert Interaction.objects.get().summary == "Labdien!\n\nMēs piekrītam & gaidām."


# --- Attachments, erasure -------------------------------------------------------------------


def test_attachment_is_kept_by_its_content_type_and_others_refused():
    case = CaseFactory()
    files = [
        ("diploms.pdf", PDF, "application/octet-stream"),  # the sender's type is not trusted
        ("programma.exe", b"MZ\x90\x00\x03\x00\x00\x00", "application/pdf"),
    ]

    pipe(reply(to=reply_address_for_case(case=case), files=files))

    (kept,) = InboundAttachment.objects.all()
    assert (kept.filename, kept.content_type, kept.size) == (
        "diploms.pdf",
        "application/pdf",
        len(PDF),
    )
    with kept.file.open("rb") as stored:
        assert stored.read() == PDF
    summary = Interaction.objects.get().summary
    assert "diploms.pdf" in summary and "programma.exe" in summary  # the coordinator knows


def test_an_attachment_over_the_size_limit_is_not_kept(settings):
    settings.INBOUND_ATTACHMENT_MAX_BYTES = 10
    case = CaseFactory()

    pipe(reply(to=reply_address_for_case(case=case), files=[("a.pdf", PDF, "application/pdf")]))

    assert not InboundAttachment.objects.exists()


def test_erasure_removes_the_persons_mail_and_files(
    kurzeme_coordinator, django_capture_on_commit_callbacks
):
    case = CaseFactory(coordinator=kurzeme_coordinator)
    other = CaseFactory()
    pipe(reply(to=reply_address_for_case(case=case), files=[("a.pdf", PDF, "application/pdf")]))
    pipe(reply(to="x@example.lv", sender=case.returnee.email, message_id="<inbox@x>"))
    pipe(reply(to=reply_address_for_case(case=other), message_id="<other@x>"))
    stored = InboundAttachment.objects.get()
    path = stored.file.path

    with django_capture_on_commit_callbacks(execute=True):
        returnee_erase(returnee=case.returnee, actor=kurzeme_coordinator)

    assert list(InboundMessage.objects.values_list("case", flat=True)) == [other.pk]
    assert not InboundAttachment.objects.exists()
    assert not ReplyAddress.objects.filter(case=case).exists()
    assert not os.path.exists(path)


# --- The pipe -----------------------------------------------------------------------------


def test_receive_email_asks_the_mail_server_to_retry_when_the_database_fails(monkeypatch):
    def failing(**kwargs):
        raise OperationalError("the database is down")

    monkeypatch.setattr("inbound.management.commands.receive_email.inbound_receive", failing)

    assert pipe(reply(to="x@example.lv")) == 75


def test_receive_email_refuses_an_empty_message():
    assert pipe(b"") == 65
    assert not InboundMessage.objects.exists()


def test_the_same_message_piped_twice_is_stored_once():
    case = CaseFactory()
    raw = reply(to=reply_address_for_case(case=case))

    assert pipe(raw) == pipe(raw) == 0

    assert InboundMessage.objects.count() == Interaction.objects.count() == 1


# --- The real IMAP server -----------------------------------------------------------------


def test_reply_in_the_imap_mailbox_and_through_the_pipe_is_on_the_case_once(dovecot):  # noqa: F811
    case = CaseFactory()
    other = CaseFactory(planning_region=region("ZEM"))
    sent = confirmation(case)
    raw = reply(to=sent.reply_to, in_reply_to=sent.message_id)
    imap = dovecot.client("atbildes")
    imap.append("INBOX", None, None, raw)
    imap.logout()

    result = mailbox_read(dovecot.url("atbildes"))
    again = mailbox_read(dovecot.url("atbildes"))  # the message is \Seen now: not read again
    piped = pipe(raw)

    assert result == "new=1 already_stored=0 failed=0"
    assert again == "new=0 already_stored=0 failed=0"
    assert piped == 0
    assert InboundMessage.objects.count() == 1
    assert list(Interaction.objects.values_list("case", flat=True)) == [case.pk]
    assert not other.interactions.exists()
    imap = dovecot.client("atbildes")
    imap.select("INBOX")
    assert imap.uid("SEARCH", None, "UNSEEN")[1] == [b""]
    imap.logout()


def test_a_message_first_piped_then_seen_in_the_mailbox_is_stored_once(dovecot):  # noqa: F811
    case = CaseFactory()
    raw = reply(to=reply_address_for_case(case=case), message_id="<both-ways@x>")
    pipe(raw)
    imap = dovecot.client("pipe-first")
    imap.append("INBOX", None, None, raw)
    imap.logout()

    assert mailbox_read(dovecot.url("pipe-first")) == "new=0 already_stored=1 failed=0"
    assert InboundMessage.objects.count() == Interaction.objects.count() == 1


def test_the_worker_reads_no_mailbox_when_none_is_set(settings):
    settings.INBOUND_IMAP_URL = ""
    assert mailbox_read() == "not configured"


# --- The national inbox -------------------------------------------------------------------


def test_the_inbox_lists_unmatched_mail_for_national_administrators(client, national_admin):
    pipe(reply(to="remigracija@example.lv", text="Kam rakstīt?"))
    client.force_login(national_admin)

    page = client.get(reverse("inbound:inbox")).content.decode()

    assert "Kam rakstīt?" in page
    assert AuditEntry.objects.filter(action="view", detail__startswith="inbox").exists()


def test_coordinators_cannot_open_the_inbox(client, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)
    assert client.get(reverse("inbound:inbox")).status_code == 403


def test_assigning_a_message_puts_it_on_the_case(client, national_admin):
    case = CaseFactory()
    pipe(reply(to="remigracija@example.lv", text="Sveiki"))
    message = InboundMessage.objects.get()
    client.force_login(national_admin)

    response = client.post(
        reverse("inbound:assign", args=[message.pk]), {f"{message.pk}-reference": case.reference}
    )

    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.case, message.matched_by, message.handled_by) == (case, "hand", national_admin)
    assert case.interactions.get().summary == "Sveiki"


def test_a_wrong_reference_is_a_field_error_with_what_was_typed(client, national_admin):
    pipe(reply(to="remigracija@example.lv"))
    message = InboundMessage.objects.get()
    client.force_login(national_admin)

    response = client.post(
        reverse("inbound:assign", args=[message.pk]), {f"{message.pk}-reference": "KUR-1999-00001"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Lietas ar šādu numuru nav." in page or "There is no case" in page
    assert 'value="KUR-1999-00001"' in page
    assert InboundMessage.objects.get().status == "unmatched"


def test_dismissing_deletes_the_text_and_files(client, national_admin):
    pipe(reply(to="remigracija@example.lv", files=[("a.pdf", PDF, "application/pdf")]))
    message = InboundMessage.objects.get()
    client.force_login(national_admin)

    client.post(reverse("inbound:dismiss", args=[message.pk]))

    message.refresh_from_db()
    assert (message.status, message.body, message.from_address) == ("dismissed", "", "")
    assert not InboundAttachment.objects.exists()


def test_case_mail_and_its_files_are_for_those_who_see_the_case(
    client, kurzeme_coordinator, zemgale_coordinator
):
    case = CaseFactory(coordinator=kurzeme_coordinator)
    pipe(reply(to=reply_address_for_case(case=case), files=[("a.pdf", PDF, "application/pdf")]))
    attachment = InboundAttachment.objects.get()
    mail_url = reverse("inbound:case_mail", args=[case.reference])
    file_url = reverse("inbound:attachment", args=[attachment.pk])

    client.force_login(zemgale_coordinator)
    assert client.get(mail_url).status_code == client.get(file_url).status_code == 404

    client.force_login(kurzeme_coordinator)
    assert "a.pdf" in client.get(mail_url).content.decode()
    download = client.get(file_url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download) == PDF
    assert AuditEntry.objects.filter(action="download", reference=case.reference).exists()


@pytest.mark.parametrize(("reply_address", "promised"), [(REPLY_ADDRESS, True), ("", False)])
def test_the_confirmation_asks_for_a_reply_only_when_replies_are_read(
    settings, reply_address, promised
):
    from intake.emails import confirmation_enqueue

    settings.INBOUND_REPLY_ADDRESS = reply_address
    case = CaseFactory()

    data = {"preferred_language": "en", "first_name": "Anna", "email": "anna@example.org"}
    confirmation_enqueue(case=case, data=data)

    email = Email.objects.get()
    assert ("simply reply to this e-mail" in email.body) is promised
    assert bool(email.reply_to) is promised


def test_a_failed_store_leaves_no_file_in_storage(monkeypatch, settings):
    case = CaseFactory()

    def failing(**kwargs):
        raise OperationalError("the database went away")

    monkeypatch.setattr("inbound.services._put_on_case", failing)
    raw = reply(to=reply_address_for_case(case=case), files=[("a.pdf", PDF, "application/pdf")])
    assert pipe(raw) == 75  # the mail server keeps it and tries again

    assert not InboundMessage.objects.exists()
    folder = settings.MEDIA_ROOT / "inbound"
    assert not folder.exists() or list(folder.iterdir()) == []


def test_a_file_leaves_with_the_extension_of_what_it_is_not_what_it_was_called(
    client, kurzeme_coordinator
):
    """A script named "Diploma.pdf.hta" is text: it downloads as .txt, never as a program."""
    case = CaseFactory(coordinator=kurzeme_coordinator)
    script = b'<script>new ActiveXObject("WScript.Shell").Run("calc")</script>'
    files = [("Diploma.pdf.hta", script, "application/pdf"), ("a.pdf", PDF, "application/pdf")]
    pipe(reply(to=reply_address_for_case(case=case), files=files))
    client.force_login(kurzeme_coordinator)
    names = {
        attachment.filename: client.get(reverse("inbound:attachment", args=[attachment.pk]))[
            "Content-Disposition"
        ]
        for attachment in InboundAttachment.objects.all()
    }
    assert names == {
        "Diploma.pdf.hta": 'attachment; filename="Diploma_pdf.txt"',
        "a.pdf": 'attachment; filename="a.pdf"',
    }
