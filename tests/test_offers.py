"""Individual offers: the builder, versions, the PDF, sending through the outbox, the response."""

import io
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from common.errors import DomainError
from common.pdf import render_pdf
from coordinators.models import Case, CaseEvent, Interaction, Language, MunicipalityRequest
from coordinators.services.pipeline import case_transition
from municipalities.models import MunicipalService
from offers import services
from offers.models import ANSWER_WITHIN, Offer, OfferItem
from offers.pdf import offer_pdf
from outbox.models import Email
from outbox.services import email_sweep
from tests.conftest import DATABASE_TASKS
from tests.factories import (
    CaseFactory,
    MunicipalServiceFactory,
    OfferItemFactory,
    ReturneeFactory,
    municipality,
    need,
    offer_draft_with_sections,
    region,
)

pytestmark = pytest.mark.django_db

LONG_TEXT = " ".join(
    f"Rinda {number}: pašvaldība palīdz ar dzīvokli, bērnudārzu un darbu ģimenei."
    for number in range(170)
)


def pdf_reader(content):
    return PdfReader(io.BytesIO(content))


def pdf_text(content):
    return "\n".join(page.extract_text() for page in pdf_reader(content).pages)


def move(case, *statuses):
    for status in statuses:
        case_transition(case=case, to_status=status, actor=None)
    case.refresh_from_db()
    return case


@pytest.fixture
def case(kurzeme_coordinator):
    """A Kurzeme case whose needs are assessed: family and housing, in Liepāja."""
    returnee = ReturneeFactory(first_name="Ģirts", last_name="Ķēniņš", email="girts@example.com")
    case = CaseFactory(
        returnee=returnee,
        municipality=municipality("Liepājas valstspilsēta"),
        coordinator=kurzeme_coordinator,
        needs=[need("family"), need("housing")],
    )
    return move(case, Case.Status.CONTACTED, Case.Status.NEEDS_ASSESSED)


@pytest.fixture
def client_kurzeme(client, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)
    return client


def detail_url(offer):
    return reverse("offers:detail", args=[offer.case.reference, offer.version])


def url(name, offer, *args):
    return reverse(f"offers:{name}", args=[offer.case.reference, offer.version, *args])


def ready_offer(case, actor, *, language=Language.LATVIAN):
    """A draft whose sections all have text."""
    offer = offer_draft_with_sections(case=case, actor=actor)
    offer.language = language
    offer.save()
    for item in offer.items.all():
        services.offer_item_update(
            item=item,
            title=f"{item.need.name}: piedāvājums",
            text=f"Teksts sadaļai {item.need.code}.",
            contact="info@liepaja.lv",
        )
    return offer


# Building ---------------------------------------------------------------------------------


def test_prepare_offer_creates_a_draft_without_empty_sections(client_kurzeme, case):
    response = client_kurzeme.post(reverse("offers:create", args=[case.reference]))

    offer = case.offers.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(offer)
    assert offer.status == Offer.Status.DRAFT and offer.version == 1
    assert not offer.items.exists()  # nothing for sending to refuse one by one
    case.refresh_from_db()
    assert case.status == Case.Status.OFFER_PREPARATION
    page = client_kurzeme.get(response["Location"])
    assert [str(message) for message in page.context["messages"]] == [
        gettext("Version %(version)s of the offer is ready to edit.") % {"version": 1}
    ]
    # The builder still offers a place per need; the letter says what is not known yet.
    assert [section["need"].code for section in page.context["builder_sections"]] == [
        "family",
        "housing",
    ]
    assert [need.code for need in page.context["open_needs"]] == ["family", "housing"]
    assert "Vēl noskaidrojam" in page.content.decode()


def test_prepare_offer_is_refused_for_a_case_not_yet_contacted(client_kurzeme, kurzeme_coordinator):
    new_case = CaseFactory(coordinator=kurzeme_coordinator)

    with pytest.raises(DomainError) as error:
        offer_draft_with_sections(case=new_case, actor=kurzeme_coordinator)
    assert error.value.message == services.CASE_NOT_READY % {
        "status": new_case.get_status_display()
    }
    response = client_kurzeme.post(reverse("offers:create", args=[new_case.reference]))
    assert response.status_code == 302
    assert not new_case.offers.exists()


def test_preparing_again_while_a_draft_exists_leads_to_that_draft(client_kurzeme, case):
    first = client_kurzeme.post(reverse("offers:create", args=[case.reference]))
    second = client_kurzeme.post(reverse("offers:create", args=[case.reference]))

    assert case.offers.count() == 1
    assert second["Location"] == first["Location"]


def test_builder_offers_only_available_services_of_the_persons_municipality(client_kurzeme, case):
    available = MunicipalServiceFactory(title="Bērnudārzs Liepājā")
    MunicipalServiceFactory(title="Atsaukts pakalpojums", is_active=False)
    MunicipalServiceFactory(
        title="Ventspils bērnudārzs", municipality=municipality("Ventspils valstspilsēta")
    )
    offer = offer_draft_with_sections(case=case, actor=None)

    page = client_kurzeme.get(detail_url(offer)).content.decode()

    assert available.title in page
    assert "Atsaukts pakalpojums" not in page
    assert "Ventspils bērnudārzs" not in page


def test_builder_offers_the_regions_services_while_the_municipality_is_undecided(
    client_kurzeme, case
):
    Case.objects.filter(pk=case.pk).update(municipality=None)
    case.refresh_from_db()
    MunicipalServiceFactory(
        title="Ventspils bērnudārzs", municipality=municipality("Ventspils valstspilsēta")
    )
    MunicipalServiceFactory(
        title="Jelgavas bērnudārzs", municipality=municipality("Jelgavas valstspilsēta")
    )
    offer = offer_draft_with_sections(case=case, actor=None)

    page = client_kurzeme.get(detail_url(offer)).content.decode()

    assert "Ventspils bērnudārzs" in page
    assert "Jelgavas bērnudārzs" not in page


def test_adding_a_catalogue_service_copies_its_text(client_kurzeme, case):
    service = MunicipalServiceFactory(
        title="Bērnudārzs Liepājā", description="Vieta 3 mēnešu laikā.", contact="+37163400000"
    )
    offer = offer_draft_with_sections(case=case, actor=None)

    response = client_kurzeme.post(url("item_add_service", offer), {"service": service.pk})

    assert response.status_code == 302
    item = offer.items.get(service=service)
    assert (item.title, item.text, item.contact, item.need.code) == (
        "Bērnudārzs Liepājā",
        "Vieta 3 mēnešu laikā.",
        "+37163400000",
        "family",
    )


def test_a_service_of_another_municipality_cannot_be_added(client_kurzeme, case):
    other = MunicipalServiceFactory(municipality=municipality("Jelgavas valstspilsēta"))
    offer = offer_draft_with_sections(case=case, actor=None)

    client_kurzeme.post(url("item_add_service", offer), {"service": other.pk})

    assert not offer.items.filter(service=other).exists()


def test_a_municipalitys_answer_can_be_pulled_into_the_offer(client_kurzeme, case):
    request = MunicipalityRequest.objects.create(
        case=case,
        municipality=case.municipality,
        need=need("housing"),
        question="Vai ir brīvs dzīvoklis?",
        status=MunicipalityRequest.Status.ANSWERED,
        answer="Jā, divistabu dzīvoklis Karostā no marta.",
    )
    offer = offer_draft_with_sections(case=case, actor=None)
    page = client_kurzeme.get(detail_url(offer)).content.decode()
    assert "Jā, divistabu dzīvoklis Karostā no marta." in page

    client_kurzeme.post(url("item_add_request", offer), {"request": request.pk})

    item = offer.items.get(text=request.answer)
    assert item.need.code == "housing"
    assert "Liepāja" in item.title


def test_an_unanswered_request_or_another_cases_answer_cannot_be_used(case, kurzeme_coordinator):
    other_case = CaseFactory()
    offer = offer_draft_with_sections(case=case, actor=kurzeme_coordinator)
    for request_case, status in (
        (case, MunicipalityRequest.Status.OPEN),
        (other_case, MunicipalityRequest.Status.ANSWERED),
    ):
        request = MunicipalityRequest.objects.create(
            case=request_case,
            municipality=case.municipality,
            need=need("housing"),
            question="?",
            status=status,
            answer="Atbilde.",
        )
        with pytest.raises(DomainError) as error:
            services.offer_item_add_from_request(offer=offer, request=request)
        assert error.value.message == services.ANSWER_NOT_USABLE


@pytest.mark.parametrize(
    ("preferred", "offer_language"),
    [("lv", "lv"), ("en", "en"), ("ru", "ru")],
)
def test_a_draft_is_in_the_persons_language_when_offers_exist_in_it(
    case, preferred, offer_language
):
    case.returnee.preferred_language = preferred
    case.returnee.save()

    offer = offer_draft_with_sections(case=case, actor=None)

    assert offer.language == offer_language


def test_the_language_of_a_draft_can_be_english_or_russian_but_nothing_else(client_kurzeme, case):
    offer = offer_draft_with_sections(case=case, actor=None)

    refused = client_kurzeme.post(url("language", offer), {"language": "de"})
    offer.refresh_from_db()
    assert refused.status_code == 400 and offer.language == Language.LATVIAN

    client_kurzeme.post(url("language", offer), {"language": "ru"})
    offer.refresh_from_db()
    assert offer.language == Language.RUSSIAN


def test_a_latvian_offer_prints_latvian_need_names_and_the_date_as_dd_mm_yyyy(
    client_kurzeme, case, kurzeme_coordinator
):
    offer = ready_offer(case, kurzeme_coordinator)
    services.offer_send(offer=offer, actor=kurzeme_coordinator)
    offer.refresh_from_db()

    text = pdf_text(client_kurzeme.get(url("pdf", offer)).content)

    assert need("housing").name in text
    assert timezone.localtime(offer.sent_at).strftime("%d.%m.%Y") in text


def test_editing_a_section_with_an_empty_title_shows_the_error_and_keeps_the_text(
    client_kurzeme, case
):
    offer = offer_draft_with_sections(case=case, actor=None)
    item = offer.items.first()
    prefix = f"item-{item.pk}"

    response = client_kurzeme.post(
        url("item_update", offer, item.pk),
        {f"{prefix}-title": "", f"{prefix}-text": "Mans teksts <b>", f"{prefix}-contact": ""},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Mans teksts &lt;b&gt;" in page
    assert "errorlist" in page
    # The field's aria-describedby names the error list, so a screen reader reads the error.
    assert f'aria-describedby="id_{prefix}-title_error"' in page
    assert f'<ul class="errorlist" id="id_{prefix}-title_error">' in page
    item.refresh_from_db()
    assert item.text == ""


def test_a_section_can_be_added_edited_and_removed(client_kurzeme, case):
    offer = offer_draft_with_sections(case=case, actor=None)
    client_kurzeme.post(
        url("item_add", offer),
        {"need": need("work").pk, "title": "Vakances", "text": "Ostā.", "contact": ""},
    )
    item = offer.items.get(title="Vakances")
    prefix = f"item-{item.pk}"
    client_kurzeme.post(
        url("item_update", offer, item.pk),
        {
            f"{prefix}-title": "Vakances ostā",
            f"{prefix}-text": "Trīs vietas.",
            f"{prefix}-contact": "",
        },
    )
    item.refresh_from_db()
    assert (item.title, item.text) == ("Vakances ostā", "Trīs vietas.")

    client_kurzeme.post(url("item_delete", offer, item.pk))
    assert not offer.items.filter(pk=item.pk).exists()


def test_builder_page_runs_a_constant_number_of_queries(
    client_kurzeme, case, django_assert_max_num_queries
):
    offer = offer_draft_with_sections(case=case, actor=None)
    for number in range(3):
        MunicipalServiceFactory(title=f"Pakalpojums {number}")
    client_kurzeme.get(detail_url(offer))
    for number in range(30):
        OfferItemFactory(offer=offer, need=need("housing"), title=f"Sadaļa {number}")
        MunicipalServiceFactory(title=f"Vēl pakalpojums {number}")

    with django_assert_max_num_queries(21):  # 20 and the menu's badges
        response = client_kurzeme.get(detail_url(offer))
    assert response.status_code == 200


# Versions ---------------------------------------------------------------------------------


def test_a_sent_offer_is_never_edited_and_a_change_makes_a_new_version(
    client_kurzeme, case, kurzeme_coordinator, django_capture_on_commit_callbacks
):
    first = ready_offer(case, kurzeme_coordinator)
    services.offer_send(offer=first, actor=kurzeme_coordinator)
    item = first.items.first()
    prefix = f"item-{item.pk}"

    client_kurzeme.post(
        url("item_update", first, item.pk),
        {f"{prefix}-title": "Cits", f"{prefix}-text": "Cits teksts", f"{prefix}-contact": ""},
    )
    item.refresh_from_db()
    assert item.title != "Cits"
    with pytest.raises(DomainError):
        services.offer_item_delete(item=item)

    response = client_kurzeme.post(reverse("offers:create", args=[case.reference]))
    second = case.offers.get(version=2)
    assert response["Location"] == detail_url(second)
    assert second.status == Offer.Status.DRAFT
    assert [(i.title, i.text) for i in second.items.all()] == [
        (i.title, i.text) for i in first.items.all()
    ]
    services.offer_item_update(
        item=second.items.first(), title="Jauns virsraksts", text="Jauns.", contact=""
    )
    assert not first.items.filter(title="Jauns virsraksts").exists()
    case.refresh_from_db()
    assert case.status == Case.Status.OFFER_PREPARATION
    # The earlier version stays readable, with its own PDF.
    assert client_kurzeme.get(detail_url(first)).status_code == 200
    assert client_kurzeme.get(url("pdf", first)).status_code == 200


def test_the_case_section_lists_every_version(case, kurzeme_coordinator):
    first = ready_offer(case, kurzeme_coordinator)
    services.offer_send(offer=first, actor=kurzeme_coordinator)
    services.offer_new_version(offer=first, actor=kurzeme_coordinator)
    request = RequestFactory().get(f"/cases/{case.reference}/")
    request.user = kurzeme_coordinator

    html = render_to_string("offers/_case_section.html", {"case": case}, request=request)

    assert reverse("offers:detail", args=[case.reference, 1]) in html
    assert reverse("offers:detail", args=[case.reference, 2]) in html
    assert reverse("offers:pdf", args=[case.reference, 1]) in html


# Sending ----------------------------------------------------------------------------------


def test_sending_emails_the_pdf_and_moves_the_case_to_offer_sent(
    client_kurzeme, case, kurzeme_coordinator, django_capture_on_commit_callbacks
):
    offer = ready_offer(case, kurzeme_coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_kurzeme.post(url("send", offer), {"confirm": "on"})

    assert response.status_code == 302
    offer.refresh_from_db()
    case.refresh_from_db()
    assert offer.status == Offer.Status.SENT and offer.sent_at is not None
    assert case.status == Case.Status.OFFER_SENT
    assert case.events.filter(
        kind=CaseEvent.Kind.STATUS_CHANGED, to_value=Case.Status.OFFER_SENT
    ).exists()
    email = Email.objects.get(case=case, purpose="offer")
    assert email.to == "girts@example.com"
    assert email.status == Email.Status.SENT
    (message,) = mail.outbox
    (filename, content, mimetype) = message.attachments[0]
    assert filename == f"{case.reference}-v1.pdf"
    assert mimetype == "application/pdf"
    assert "Ģirts Ķēniņš" in pdf_text(content)


def test_sending_from_needs_assessed_goes_through_offer_preparation(case, kurzeme_coordinator):
    offer = Offer.objects.create(case=case, language="lv")
    OfferItemFactory(offer=offer)
    assert case.status == Case.Status.NEEDS_ASSESSED

    services.offer_send(offer=offer, actor=kurzeme_coordinator)

    steps = list(
        case.events.filter(kind=CaseEvent.Kind.STATUS_CHANGED)
        .order_by("id")
        .values_list("from_value", "to_value")
    )
    assert steps[-2:] == [
        ("needs_assessed", "offer_preparation"),
        ("offer_preparation", "offer_sent"),
    ]


def test_sending_to_a_closed_case_is_refused(case, kurzeme_coordinator):
    offer = ready_offer(case, kurzeme_coordinator)
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED, closed_reason="other")

    with pytest.raises(DomainError):
        services.offer_send(offer=offer, actor=kurzeme_coordinator)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.DRAFT
    assert not Email.objects.exists()


@pytest.mark.parametrize("problem", ["no_items", "empty_item", "no_email"])
def test_an_offer_that_cannot_be_sent_is_refused_and_nothing_is_sent(
    client_kurzeme, case, kurzeme_coordinator, django_capture_on_commit_callbacks, problem
):
    offer = offer_draft_with_sections(case=case, actor=kurzeme_coordinator)
    expected = services.ITEM_HAS_NO_TEXT % {"title": offer.items.first().title}
    if problem == "no_items":
        offer.items.all().delete()
        expected = services.OFFER_HAS_NO_ITEMS
    elif problem == "no_email":
        offer.items.update(text="Teksts.")
        case.returnee.email = ""
        case.returnee.save()
        expected = services.RETURNEE_HAS_NO_EMAIL

    with django_capture_on_commit_callbacks(execute=True):
        response = client_kurzeme.post(url("send", offer), {"confirm": "on"}, follow=True)

    assert str(expected) in " ".join(str(message) for message in response.context["messages"])
    offer.refresh_from_db()
    case.refresh_from_db()
    assert offer.status == Offer.Status.DRAFT and offer.sent_at is None
    assert case.status == Case.Status.OFFER_PREPARATION
    assert not Email.objects.exists()
    assert mail.outbox == []


def test_an_english_offer_is_mailed_in_english(
    case, kurzeme_coordinator, django_capture_on_commit_callbacks
):
    offer = ready_offer(case, kurzeme_coordinator, language=Language.ENGLISH)

    with django_capture_on_commit_callbacks(execute=True):  # the worker attaches the PDF
        services.offer_send(offer=offer, actor=kurzeme_coordinator)

    email = Email.objects.get()
    assert email.subject == f"Your individual offer ({case.reference})"
    assert email.body.startswith("Dear Ģirts,")  # the plain first name outside Latvian
    text = pdf_text(bytes(email.attachments.get().content))
    assert "Individual offer" in text
    # Need names follow the offer's language too.
    assert "Housing" in text


def render_fails(*args, **kwargs):
    raise AssertionError("the offer PDF was rendered inside the web request")


@override_settings(TASKS=DATABASE_TASKS)
def test_sending_stores_the_mail_and_leaves_the_pdf_to_the_worker(
    client_kurzeme, case, kurzeme_coordinator, monkeypatch, keep_test_connection,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    offer = ready_offer(case, kurzeme_coordinator)
    monkeypatch.setattr("offers.pdf.render_pdf", render_fails)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_kurzeme.post(url("send", offer), {"confirm": "on"}, follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "Piedāvājums atzīmēts kā nosūtīts, un tā e-pasts ir ceļā: PDF tiek sagatavots un "
        "minūtes laikā aizies personai. Lietas statuss tagad ir “piedāvājums nosūtīts”."
    ]
    offer.refresh_from_db()
    case.refresh_from_db()
    assert offer.status == Offer.Status.SENT and case.status == Case.Status.OFFER_SENT
    email = Email.objects.get(case=case, purpose="offer")
    assert email.status == Email.Status.PREPARING and not email.attachments.exists()
    assert not Email.objects.due().exists()
    assert DBTaskResult.objects.ready().get().task_path == "offers.tasks.offer_mail_prepare"
    monkeypatch.undo()
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )

    call_command("worker", "--once", stdout=StringIO())

    email.refresh_from_db()
    assert email.status == Email.Status.SENT
    (message,) = mail.outbox
    (filename, content, mimetype) = message.attachments[0]
    assert filename == f"{case.reference}-v1.pdf" and mimetype == "application/pdf"
    assert "Ģirts Ķēniņš" in pdf_text(content)


@override_settings(TASKS=DATABASE_TASKS)
def test_a_pdf_that_cannot_be_made_keeps_the_mail_preparing_with_the_error(
    case, kurzeme_coordinator, monkeypatch, keep_test_connection,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    offer = ready_offer(case, kurzeme_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        services.offer_send(offer=offer, actor=kurzeme_coordinator)
    monkeypatch.setattr("offers.pdf.render_pdf", lambda html: 1 / 0)

    call_command("worker", "--once", stdout=StringIO())

    email = Email.objects.get(purpose="offer")
    assert email.status == Email.Status.PREPARING
    assert email.last_error.startswith("ZeroDivisionError")
    assert not email.attachments.exists() and mail.outbox == []
    failed = DBTaskResult.objects.failed().get()
    assert failed.task_path == "offers.tasks.offer_mail_prepare"
    offer.refresh_from_db()
    assert offer.status == Offer.Status.SENT  # the sending stands; only the mail waits

    # Five minutes on, the sweep asks the worker again, and this time the PDF is made.
    monkeypatch.setattr("offers.pdf.render_pdf", render_pdf)
    later = timezone.now() + timedelta(minutes=6)
    assert email_sweep(now=later).prepared_again == 1
    # The test's transaction never commits: its hooks (asking for the send) run at the end.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("worker", "--once", stdout=StringIO())  # makes the PDF
    call_command("worker", "--once", stdout=StringIO())  # sends the mail

    assert Email.objects.get(pk=email.pk).status == Email.Status.SENT
    assert mail.outbox[0].attachments[0][0] == f"{case.reference}-v1.pdf"


# The PDF ----------------------------------------------------------------------------------


def test_the_pdf_contains_the_heading_name_sections_and_page_numbers(
    client_kurzeme, case, kurzeme_coordinator
):
    offer = ready_offer(case, kurzeme_coordinator, language=Language.ENGLISH)
    housing = offer.items.get(need__code="housing")
    housing.text = LONG_TEXT
    housing.save()

    response = client_kurzeme.get(url("pdf", offer))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = pdf_reader(response.content)
    pages = len(reader.pages)
    assert 2 <= pages <= 4
    text = pdf_text(response.content)
    assert "Individual offer" in text
    assert "Ģirts Ķēniņš" in text
    assert "Kurzemes plānošanas reģions" in text
    assert case.reference in text
    assert "Teksts sadaļai family." in text
    assert "Rinda 0:" in text and "Rinda 169:" in text
    for number in range(1, pages + 1):
        assert f"{number} / {pages}" in reader.pages[number - 1].extract_text()
    assert kurzeme_coordinator.email in text
    assert "Liepājas valstspilsēta" in text


def test_a_very_long_word_wraps_instead_of_running_off_the_page(
    client_kurzeme, case, kurzeme_coordinator
):
    word = "ļ" * 1500
    offer = ready_offer(case, kurzeme_coordinator)
    item = offer.items.first()
    item.text = word
    item.save()

    reader = pdf_reader(client_kurzeme.get(url("pdf", offer)).content)

    lines = reader.pages[0].extract_text().splitlines()
    assert word in "".join(line.strip() for line in lines if set(line.strip()) == {"ļ"})
    # A line of the PDF holds far fewer than all 1,500 letters: the word was broken.
    assert max(len(line) for line in lines) < 200


def test_typed_markup_is_printed_as_text_and_its_image_never_fetched(
    client_kurzeme, case, kurzeme_coordinator, listening_server
):
    base, requests = listening_server
    offer = ready_offer(case, kurzeme_coordinator)
    item = offer.items.first()
    item.text = f'Skat. <img src="{base}/x.png"> šeit'
    item.save()

    content = client_kurzeme.get(url("pdf", offer)).content
    page = client_kurzeme.get(detail_url(offer)).content.decode()

    assert requests == []
    assert "<img src=" in pdf_text(content)
    assert f'<img src="{base}' not in page


def test_a_withdrawn_service_stays_readable_in_old_offers(
    client_kurzeme, case, kurzeme_coordinator
):
    service = MunicipalServiceFactory(title="Īres dzīvoklis Karostā", description="Uz 2 gadiem.")
    offer = offer_draft_with_sections(case=case, actor=kurzeme_coordinator)
    offer.items.all().delete()
    services.offer_item_add_from_service(offer=offer, service=service)
    services.offer_send(offer=offer, actor=kurzeme_coordinator)

    MunicipalService.objects.filter(pk=service.pk).update(is_active=False)
    assert "Īres dzīvoklis Karostā" in pdf_text(client_kurzeme.get(url("pdf", offer)).content)
    service.delete()

    assert OfferItem.objects.get(offer=offer).service is None
    assert "Uz 2 gadiem." in client_kurzeme.get(detail_url(offer)).content.decode()
    assert "Īres dzīvoklis Karostā" in pdf_text(client_kurzeme.get(url("pdf", offer)).content)


# The response -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("response", "case_status"),
    [
        (Offer.Status.ACCEPTED, Case.Status.DECIDED_TO_RETURN),
        (Offer.Status.CHANGES_REQUESTED, Case.Status.OFFER_PREPARATION),
        (Offer.Status.DECLINED, Case.Status.OFFER_SENT),
    ],
)
def test_the_persons_response_moves_the_case_on(
    client_kurzeme, case, kurzeme_coordinator, response, case_status
):
    offer = ready_offer(case, kurzeme_coordinator)
    services.offer_send(offer=offer, actor=kurzeme_coordinator)

    client_kurzeme.post(url("response", offer), {"response": response, "note": "Zvanīja."})

    offer.refresh_from_db()
    case.refresh_from_db()
    assert offer.status == response and offer.responded_at is not None
    assert case.status == case_status
    assert Interaction.objects.filter(case=case, summary__contains="Zvanīja.").exists()


def test_a_response_is_refused_for_a_draft_and_recorded_only_once(case, kurzeme_coordinator):
    offer = ready_offer(case, kurzeme_coordinator)
    with pytest.raises(DomainError):
        services.offer_record_response(
            offer=offer, response=Offer.Status.ACCEPTED, actor=kurzeme_coordinator
        )
    services.offer_send(offer=offer, actor=kurzeme_coordinator)
    services.offer_record_response(
        offer=offer, response=Offer.Status.ACCEPTED, actor=kurzeme_coordinator
    )
    with pytest.raises(DomainError) as error:
        services.offer_record_response(
            offer=offer, response=Offer.Status.DECLINED, actor=kurzeme_coordinator
        )
    assert error.value.message == services.OFFER_NOT_AWAITING_RESPONSE


def test_a_response_without_a_choice_shows_the_error(client_kurzeme, case, kurzeme_coordinator):
    offer = ready_offer(case, kurzeme_coordinator)
    services.offer_send(offer=offer, actor=kurzeme_coordinator)

    response = client_kurzeme.post(url("response", offer), {"note": "Nezinu"})

    assert response.status_code == 400
    assert "Nezinu" in response.content.decode()
    offer.refresh_from_db()
    assert offer.status == Offer.Status.SENT


# Access -----------------------------------------------------------------------------------


def test_coordinator_of_another_region_gets_404_for_offer_pages_and_pdf(
    client, case, kurzeme_coordinator, zemgale_coordinator
):
    offer = ready_offer(case, kurzeme_coordinator)
    item = offer.items.first()
    client.force_login(zemgale_coordinator)

    for address in (detail_url(offer), url("pdf", offer)):
        assert client.get(address).status_code == 404
    for address in (
        reverse("offers:create", args=[case.reference]),
        url("send", offer),
        url("response", offer),
        url("language", offer),
        url("item_add", offer),
        url("item_update", offer, item.pk),
        url("item_delete", offer, item.pk),
    ):
        assert client.post(address).status_code == 404
    assert (
        client.get(url("pdf", offer).replace(case.reference, "KUR-2000-99999")).status_code == 404
    )
    offer.refresh_from_db()
    assert offer.status == Offer.Status.DRAFT
    assert offer.items.filter(pk=item.pk).exists()


def test_anonymous_visitor_is_sent_to_log_in(client, case, kurzeme_coordinator):
    offer = ready_offer(case, kurzeme_coordinator)

    response = client.get(url("pdf", offer))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_admin_lists_offers_by_status_region_and_period(client, superuser, case):
    OfferItemFactory(offer=Offer.objects.create(case=case))
    zemgale_case = CaseFactory(planning_region=region("ZEM"))
    Offer.objects.create(case=zemgale_case)
    client.force_login(superuser)
    changelist = reverse("admin:offers_offer_changelist")

    response = client.get(
        changelist,
        {"status__exact": "draft", "case__planning_region__id__exact": region("KUR").pk},
    )

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [case.offers.get()]
    sent = client.get(
        changelist,
        {"sent_at__gte": "2000-01-01 00:00:00+00:00", "sent_at__lt": "2100-01-01 00:00:00+00:00"},
    )
    assert sent.status_code == 200
    assert list(sent.context["cl"].result_list) == []


def test_admin_cannot_change_the_sections_of_an_offer(client, superuser, case, kurzeme_coordinator):
    """Offers are built and sent on the case page; the admin only shows them, drafts too."""
    offer = ready_offer(case, kurzeme_coordinator)
    client.force_login(superuser)
    change_url = reverse("admin:offers_offer_change", args=[offer.pk])
    draft_page = client.get(change_url)
    services.offer_send(offer=offer, actor=kurzeme_coordinator)
    item = offer.items.first()

    page = client.get(change_url)
    refused = client.post(
        change_url,
        {
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "1",
            "items-0-id": item.pk,
            "items-0-offer": offer.pk,
            "items-0-title": "Changed in the admin",
            "items-0-need": item.need_id,
            "items-0-position": 0,
        },
    )

    assert draft_page.status_code == page.status_code == 200
    assert 'name="items-0-title"' not in draft_page.content.decode()
    assert 'name="items-0-title"' not in page.content.decode()
    assert refused.status_code == 403
    item.refresh_from_db()
    assert item.title != "Changed in the admin"


# A letter -----------------------------------------------------------------------------------


def test_the_latvian_letter_greets_with_the_vocative_and_ends_with_the_next_step(
    case, kurzeme_coordinator, django_capture_on_commit_callbacks
):
    offer = ready_offer(case, kurzeme_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        services.offer_send(offer=offer, actor=kurzeme_coordinator)
    offer.refresh_from_db()

    assert offer.answer_by == timezone.localdate(offer.sent_at) + ANSWER_WITHIN
    email = Email.objects.get(purpose="offer")
    assert email.body.startswith("Labdien, Ģirt!")
    assert offer.answer_by.strftime("%d.%m.%Y") in email.body
    text = pdf_text(offer_pdf(offer=offer))
    assert "Labdien, Ģirt!" in text
    assert "Kas notiks tālāk" in text and offer.answer_by.strftime("%d.%m.%Y") in text
    assert kurzeme_coordinator.email in text


def test_all_problems_are_shown_at_once_before_sending(client_kurzeme, case, kurzeme_coordinator):
    offer = offer_draft_with_sections(case=case, actor=kurzeme_coordinator)
    case.returnee.email = ""
    case.returnee.save()

    problems = services.offer_send_problems(offer=Offer.objects.get(pk=offer.pk))

    assert problems == [
        str(services.ITEM_HAS_NO_TEXT % {"title": item.title}) for item in offer.items.all()
    ] + [str(services.RETURNEE_HAS_NO_EMAIL)]
    page = client_kurzeme.get(detail_url(offer)).content.decode()
    assert 'data-testid="send-problems"' in page
    assert all(escape(problem) in page for problem in problems)


def test_sending_a_new_version_supersedes_the_older_and_only_it_takes_an_answer(
    case, kurzeme_coordinator
):
    first = services.offer_send(offer=ready_offer(case, kurzeme_coordinator), actor=None)
    second = services.offer_new_version(offer=first, actor=kurzeme_coordinator)
    services.offer_send(offer=second, actor=kurzeme_coordinator)

    first.refresh_from_db()
    assert first.status == Offer.Status.SUPERSEDED
    with pytest.raises(DomainError) as refused:
        services.offer_record_response(
            offer=first, response=Offer.Status.ACCEPTED, actor=kurzeme_coordinator
        )
    assert refused.value.message == services.OFFER_SUPERSEDED % {"version": 1}
    services.offer_record_response(
        offer=second, response=Offer.Status.ACCEPTED, actor=kurzeme_coordinator
    )
    case.refresh_from_db()
    assert case.status == Case.Status.DECIDED_TO_RETURN


def test_sending_asks_to_confirm_first(client_kurzeme, case, kurzeme_coordinator):
    offer = ready_offer(case, kurzeme_coordinator)

    response = client_kurzeme.post(url("send", offer))

    assert response.status_code == 400
    assert "confirm" in response.context["send_form"].errors
    assert response.context["send_form"].fields["confirm"].widget.attrs.get("autofocus")
    offer.refresh_from_db()
    assert offer.status == Offer.Status.DRAFT
    assert not Email.objects.exists()
