"""The returnee's personal page: the link, the page, answers, changes, documents, erasure."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from coordinators.models import Case, Interaction, PersonalLink
from coordinators.services.links import personal_link_hash, personal_link_issue
from coordinators.services.pipeline import case_transition
from coordinators.services.versions import RETURNEE_VALUES
from offers import services as offer_services
from offers.models import Offer
from outbox.models import Email
from privacy.services import returnee_erase
from returnee.models import ReturneeDocument
from returnee.services import (
    DOCUMENT_TOO_BIG,
    DOCUMENT_TYPE_REFUSED,
    TOO_MANY_DOCUMENTS,
)
from tests.factories import CaseFactory, CoordinatorFactory, need, offer_draft_with_sections

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64
HTML = b"<!doctype html><script>alert(1)</script>"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def coordinator(db):
    return CoordinatorFactory(first_name="Anna", last_name="Kalniņa", email="anna@example.lv")


@pytest.fixture
def case(coordinator):
    case = CaseFactory(coordinator=coordinator, needs=[need("family")])
    case_transition(case=case, to_status=Case.Status.CONTACTED, actor=coordinator)
    return case


def open_page(client, case):
    token = personal_link_issue(returnee=case.returnee)
    response = client.get(reverse("returnee:open", kwargs={"token": token}))
    assert response.status_code == 302 and response.url == reverse("returnee:page")
    assert response["Referrer-Policy"] == "no-referrer"
    return token


def sent_offer(case, coordinator):
    offer = offer_draft_with_sections(case=case, actor=coordinator)
    for item in offer.items.all():
        offer_services.offer_item_update(item=item, title="Bērnudārzs", text="Vieta.", contact="")
    return offer_services.offer_send(offer=offer, actor=coordinator)


def invalid_page(response):
    return response.status_code, CSRF.sub("", response.content.decode())


def test_link_opens_the_persons_page_at_a_clean_address(client, case):
    token = open_page(client, case)
    response = client.get(reverse("returnee:page"))
    assert response.status_code == 200
    assert case.reference in response.text
    assert token not in response.text
    assert response["Referrer-Policy"] == "same-origin"  # the token is not in this address
    assert "no-store" in response["Cache-Control"]
    link = PersonalLink.objects.get()
    assert link.token_hash == personal_link_hash(token) and token not in link.token_hash
    assert link.last_used_at is not None
    entry = AuditEntry.objects.get(action="view", object_id=str(case.pk))
    assert entry.actor is None and entry.detail == "personal link"


def test_a_link_for_one_person_never_opens_anothers_page(client, case):
    other = CaseFactory()
    open_page(client, case)
    response = client.get(reverse("returnee:page"))
    assert case.reference in response.text and other.reference not in response.text
    open_page(client, other)  # the same browser, another person's link
    response = client.get(reverse("returnee:page"))
    assert other.reference in response.text and case.reference not in response.text


def test_expired_and_revoked_links_give_the_same_page_as_a_wrong_one(client, case):
    expired = personal_link_issue(
        returnee=case.returnee, now=timezone.now() - datetime.timedelta(days=31)
    )
    revoked = personal_link_issue(returnee=case.returnee)
    PersonalLink.objects.filter(token_hash=personal_link_hash(revoked)).update(
        revoked_at=timezone.now()
    )
    pages = {
        invalid_page(client.get(reverse("returnee:open", kwargs={"token": token}), follow=True))
        for token in (expired, revoked, "not-a-link-at-all")
    }
    pages.add(invalid_page(client.get(reverse("returnee:page"))))  # no link at all
    assert len(pages) == 1
    status, text = pages.pop()
    assert status == 200 and "jaunu saiti" in text  # "a new link", in Latvian by default
    assert case.reference not in text


def test_revoking_closes_an_open_page(client, case, coordinator):
    open_page(client, case)
    staff = client.__class__()
    staff.force_login(coordinator)
    response = staff.post(reverse("returnee_staff:links_revoke", args=[case.reference]))
    assert response.status_code == 302
    page = client.get(reverse("returnee:page"))
    assert case.reference not in page.text and "jaunu saiti" in page.text


def test_new_link_answer_is_the_same_for_known_and_unknown_addresses(client, case, settings):
    settings.PERSONAL_LINK_RATE_LIMIT = 10
    url = reverse("returnee:link_request")
    known = client.post(url, {"email": case.returnee.email.upper()}, follow=True)
    unknown = client.post(url, {"email": "nobody@example.com"}, follow=True)
    assert invalid_page(known) == invalid_page(unknown)
    mails = Email.objects.filter(purpose=Email.Purpose.PERSONAL_LINK)
    assert [mail.to for mail in mails] == [case.returnee.email]
    link = re.search(r"https://\S+/p/(\S+)/", mails.get().body)
    assert link and PersonalLink.objects.filter(token_hash=personal_link_hash(link[1])).exists()


def test_new_links_are_rate_limited_without_a_hint(client, case, settings):
    settings.PERSONAL_LINK_RATE_LIMIT = 2
    url = reverse("returnee:link_request")
    statuses = [client.post(url, {"email": case.returnee.email}).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert Email.objects.filter(purpose=Email.Purpose.PERSONAL_LINK).count() == 2


def test_new_link_with_a_bad_address_keeps_it_and_says_why(client):
    response = client.post(reverse("returnee:link_request"), {"email": "not-an-address"})
    assert response.status_code == 200
    assert 'value="not-an-address"' in response.text and "errorlist" in response.text


def test_the_person_asks_for_changes_then_accepts_version_two(client, case, coordinator):
    first = sent_offer(case, coordinator)
    open_page(client, case)
    page = client.get(reverse("returnee:page"))
    assert reverse("returnee:offer", args=[1]) in page.text
    assert client.get(reverse("returnee:offer", args=[1])).status_code == 200
    pdf = client.get(reverse("returnee:offer_pdf", args=[1]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    no_comment = client.post(reverse("returnee:offer_answer", args=[1]),
                             {"response": "changes_requested"})  # fmt: skip
    assert no_comment.status_code == 400
    response = client.post(
        reverse("returnee:offer_answer", args=[1]),
        {"response": "changes_requested", "note": "Lūdzu, arī darbu Liepājā."},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.OFFER_PREPARATION and case.needs_attention
    answer = case.interactions.get(kind=Interaction.Kind.PERSONAL_PAGE)
    assert answer.from_person and answer.author is None
    assert "Lūdzu, arī darbu Liepājā." in answer.summary

    second = offer_services.offer_create_draft(case=case, actor=coordinator)
    offer_services.offer_send(offer=second, actor=coordinator)
    old = client.post(reverse("returnee:offer_answer", args=[1]), {"response": "accepted"})
    assert old.status_code == 302  # refused with a message: answered already
    first.refresh_from_db()
    assert first.status == Offer.Status.CHANGES_REQUESTED
    response = client.post(reverse("returnee:offer_answer", args=[2]), {"response": "accepted"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.DECIDED_TO_RETURN


def test_drafts_are_never_shown_to_the_person(client, case, coordinator):
    offer_draft_with_sections(case=case, actor=coordinator)
    open_page(client, case)
    assert client.get(reverse("returnee:offer", args=[1])).status_code == 404
    assert client.get(reverse("returnee:offer_pdf", args=[1])).status_code == 404


def contact_data(case, **changes):
    returnee = case.returnee
    data = {name: str(getattr(returnee, name)) for name in RETURNEE_VALUES}
    return {**data, "form": "contact", **changes}


def test_the_person_updates_their_details_and_the_coordinator_sees_it(client, case):
    open_page(client, case)
    page = client.get(reverse("returnee:details"))
    version = page.context["contact_form"]["version"].value()
    response = client.post(
        reverse("returnee:details"), contact_data(case, town="Dublin", version=version)
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.returnee.town == "Dublin" and case.needs_attention
    assert case.events.filter(kind="details_changed", field="town", actor=None).exists()
    assert case.interactions.filter(from_person=True).exists()

    stale = client.post(
        reverse("returnee:details"), contact_data(case, town="Cork", version=version)
    )
    assert stale.status_code == 409 and 'value="Cork"' in stale.text
    case.returnee.refresh_from_db()
    assert case.returnee.town == "Dublin"


def test_the_person_adds_a_household_member_and_changes_plans(client, case):
    open_page(client, case)
    page = client.get(reverse("returnee:details"))
    member_version = page.context["member_form"]["version"].value()
    plans_version = page.context["plans_form"]["version"].value()
    client.post(reverse("returnee:details"),
                {"form": "member", "relation": "child", "birth_year": "2019",
                 "version": member_version})  # fmt: skip
    assert case.returnee.household.filter(birth_year=2019).exists()
    response = client.post(reverse("returnee:details"),
                           {"form": "plans", "timeframe": "1_2_years", "municipality": "",
                            "needs": [need("work").pk], "version": plans_version})  # fmt: skip
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.timeframe == "1_2_years" and list(case.needs.all()) == [need("work")]


def upload(client, name, content):
    return client.post(reverse("returnee:document_upload"),
                       {"file": SimpleUploadedFile(name, content, "application/pdf")})  # fmt: skip


def test_documents_are_checked_by_content_size_and_count(client, case, settings):
    open_page(client, case)
    assert upload(client, "diploms.pdf", PDF).status_code == 302
    document = ReturneeDocument.objects.get()
    assert document.content_type == "application/pdf" and document.size == len(PDF)
    assert "diploms" not in document.file.name and case.returnee.last_name not in document.file.name
    for content in (EXE, HTML):
        response = upload(client, "diploms.pdf", content)
        assert response.status_code == 400
        assert str(DOCUMENT_TYPE_REFUSED) in response.text
    settings.PERSONAL_DOCUMENT_MAX_BYTES = 100
    too_big = upload(client, "scan.png", PNG + b"\x00" * 100)
    assert (
        too_big.status_code == 400
        and "too big" in too_big.text.lower()
        or str(DOCUMENT_TOO_BIG)[:10] in too_big.text
    )
    settings.PERSONAL_DOCUMENT_MAX_COUNT = 1
    too_many = upload(client, "scan.png", PNG)
    assert too_many.status_code == 400
    assert str(TOO_MANY_DOCUMENTS % {"count": 1}) in too_many.text
    assert ReturneeDocument.objects.count() == 1
    case.refresh_from_db()
    assert case.needs_attention


def test_an_oversized_upload_is_refused_before_it_is_read(client, case, settings):
    settings.PERSONAL_DOCUMENT_MAX_BYTES = 1000
    open_page(client, case)
    response = upload(client, "big.pdf", PDF + b"\x00" * 70_000)
    assert response.status_code == 413
    assert not ReturneeDocument.objects.exists()


def test_staff_download_a_document_of_their_region_only(client, case, coordinator):
    open_page(client, case)
    upload(client, "diploms.pdf", PDF)
    document = ReturneeDocument.objects.get()
    url = reverse("returnee_staff:document_download", args=[case.reference, document.pk])
    staff = client.__class__()
    staff.force_login(coordinator)
    response = staff.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert "diploms" not in response["Content-Disposition"]
    assert AuditEntry.objects.filter(action="download", actor=coordinator).exists()
    other = client.__class__()
    other.force_login(CoordinatorFactory(planning_region=case.planning_region.__class__
                                         .objects.get(code="ZEM")))  # fmt: skip
    assert other.get(url).status_code == 404


def test_withdraw_consent_and_ask_for_erasure(client, case):
    case.returnee.sharing_consent_given_at = timezone.now()
    case.returnee.save()
    open_page(client, case)
    assert client.post(reverse("returnee:consent_withdraw"), {}).status_code == 400
    response = client.post(reverse("returnee:consent_withdraw"), {"consent-confirm": "on"})
    assert response.status_code == 302
    case.returnee.refresh_from_db()
    assert case.returnee.sharing_consent_given_at is None
    response = client.post(reverse("returnee:erasure_ask"), {"erasure-confirm": "on"})
    assert response.status_code == 302
    assert case.interactions.filter(from_person=True, summary__contains="dzēst").exists()


def test_erasure_deletes_documents_and_links(client, case, coordinator,
                                             django_capture_on_commit_callbacks):  # fmt: skip
    from django.core.files.storage import default_storage

    open_page(client, case)
    upload(client, "diploms.pdf", PDF)
    name = ReturneeDocument.objects.get().file.name
    with django_capture_on_commit_callbacks(execute=True):
        returnee_erase(returnee=case.returnee, actor=None, reason="request")
    assert not ReturneeDocument.objects.exists() and not PersonalLink.objects.exists()
    assert not default_storage.exists(name)
    assert case.reference not in client.get(reverse("returnee:page")).text


def test_the_request_log_never_holds_the_token(client, case, caplog):
    caplog.set_level("INFO", logger="remigration.request")
    token = personal_link_issue(returnee=case.returnee)
    client.get(reverse("returnee:open", kwargs={"token": token}), follow=True)
    paths = [record.path for record in caplog.records if hasattr(record, "path")]
    assert paths == ["/p/<str:token>/", "/p/"]
    assert token not in caplog.text


def test_the_page_speaks_the_persons_language_and_can_switch(client, case):
    case.returnee.preferred_language = "ru"
    case.returnee.save()
    open_page(client, case)
    assert "Здравствуйте" in client.get(reverse("returnee:page")).text
    client.post(reverse("set_language"), {"language": "en", "next": reverse("returnee:page")})
    page = client.get(reverse("returnee:page"))
    assert "Hello, Ģirts!" in page.text and page["Content-Language"] == "en"


def test_the_page_runs_the_same_queries_whatever_the_offers_and_documents(
    client, case, coordinator, django_assert_num_queries
):
    sent_offer(case, coordinator)
    open_page(client, case)
    upload(client, "a.pdf", PDF)
    # Session, link, case, offers, documents, the audit row, the session's save.
    with django_assert_num_queries(PAGE_QUERIES):
        client.get(reverse("returnee:page"))
    second = offer_services.offer_create_draft(case=case, actor=coordinator)
    offer_services.offer_send(offer=second, actor=coordinator)
    for _ in range(3):
        upload(client, "b.png", PNG)
    with django_assert_num_queries(PAGE_QUERIES):
        client.get(reverse("returnee:page"))


PAGE_QUERIES = 9


def test_the_person_cannot_move_their_address_nor_test_whether_another_is_registered(client, case):
    """A link is access: it must not be able to send the next link elsewhere, and the page
    must not answer "registered" for somebody else's address."""
    other = CaseFactory(returnee__email="somebody@example.org")
    open_page(client, case)

    def post(address):
        page = client.get(reverse("returnee:details"))
        version = page.context["contact_form"]["version"].value()
        data = contact_data(case, email=address, town="Cork", version=version)
        return client.post(reverse("returnee:details"), data)

    responses = [post(other.returnee.email), post("new-address@example.org")]
    assert [response.status_code for response in responses] == [302, 302]
    case.returnee.refresh_from_db()
    assert case.returnee.email != "new-address@example.org"
    assert case.returnee.town == "Cork"
    page = client.get(reverse("returnee:details")).content.decode()
    assert case.returnee.email in page and 'name="email"' not in page


def test_new_links_for_one_address_are_limited_whatever_the_connection(client, case, settings):
    settings.PERSONAL_LINK_RATE_LIMIT = 0  # as if every request came from another address
    settings.PERSONAL_LINK_ADDRESS_LIMIT = 2
    url = reverse("returnee:link_request")
    statuses = [client.post(url, {"email": case.returnee.email}).status_code for _ in range(4)]
    assert statuses == [302] * 4  # the page answers the same
    assert Email.objects.filter(purpose=Email.Purpose.PERSONAL_LINK).count() == 2
