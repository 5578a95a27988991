"""Every kind of mail the portal sends (`outbox.Email.Purpose`), rendered the way the portal
renders it: each link in it is an absolute https URL on PORTAL_URL that the portal answers,
and no mail carries a bare `/path` that a mail client cannot open."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.urls import resolve, reverse
from django.utils import translation

from accounts.services import enrolment_link_send
from aftercare.emails import survey_enqueue
from aftercare.models import FollowUpSurvey
from aftercare.services import survey_token
from coordinators.emails import (
    followup_digest_enqueue,
    municipality_answer_enqueue,
    municipality_request_enqueue,
)
from events.emails import reminder_enqueue
from offers.emails import offer_sent_enqueue
from outbox.models import Email
from returnee.emails import personal_link_enqueue
from tests.factories import (
    CaseFactory,
    CoordinatorFactory,
    EventFactory,
    MunicipalityRequestFactory,
    NationalAdminFactory,
    OfferFactory,
    municipality,
    region,
)
from tests.test_contact_form import EN_URL, LV_URL, form_data
from tests.test_events import registration as event_registration
from transfers.services import transfer_propose

pytestmark = pytest.mark.django_db

PORTAL_URL = "https://portal.example.lv"
URL = re.compile(r"[a-z][a-z0-9+.-]*://\S+", flags=re.IGNORECASE)
BARE_PATH = re.compile(r"(?:^|\s)(/\S*)", flags=re.MULTILINE)
# Every mail to the person carries a link to their personal page (returnee/); the offer's
# mail also carries the PDF and the coordinator's address.
WITHOUT_LINKS: set[str] = set()
PERSONAL_PAGE = re.compile(rf"{re.escape(PORTAL_URL)}/p/[\w-]{{40,}}/")


@pytest.fixture
def every_mail(client, settings, kurzeme_coordinator, liepaja_specialist):
    """One mail of each purpose, through the function that composes it in the portal."""
    settings.PORTAL_URL = PORTAL_URL
    settings.CONTACT_FORM_MIN_FILL_SECONDS = 0
    settings.CONTACT_FORM_RATE_LIMIT = 0
    # The public form, in both languages: the confirmation and the coordinators' notice.
    assert client.post(LV_URL, form_data()).status_code == 302
    english = form_data(email="english@example.com", preferred_language="en")
    assert client.post(EN_URL, english).status_code == 302
    translation.activate("lv")

    case = CaseFactory(
        municipality=municipality("Liepājas valstspilsēta"),
        coordinator=kurzeme_coordinator,
        next_follow_up=datetime.date(2026, 11, 30),
    )
    request = MunicipalityRequestFactory(case=case, created_by=kurzeme_coordinator)
    municipality_request_enqueue(request=request)
    request.due_on = datetime.date(2026, 11, 20)
    municipality_request_enqueue(request=request, reminder=True)
    municipality_answer_enqueue(request=request)
    followup_digest_enqueue(
        coordinator=kurzeme_coordinator, cases=[case], today=datetime.date(2026, 12, 1)
    )
    offer_sent_enqueue(offer=OfferFactory(case=case))
    # An event registration (in Russian, through the page) and its reminder.
    event = EventFactory()
    with translation.override("ru"):
        registration = reverse("events:detail", args=[event.pk])
    assert client.post(registration, event_registration()).status_code == 302
    translation.activate("lv")
    reminder_enqueue(attendee=event.attendees.get())
    CoordinatorFactory(planning_region=region("ZEM"))
    transfer_propose(case=case, to_region=region("ZEM"), note="Pārceļas", actor=kurzeme_coordinator)
    enrolment_link_send(user=NationalAdminFactory(), created_by=NationalAdminFactory())
    personal_link_enqueue(returnee=case.returnee)
    survey = FollowUpSurvey.objects.create(
        case=case,
        months=3,
        returned_on=datetime.date(2026, 9, 1),
        due_on=datetime.date(2026, 12, 1),
    )
    survey_enqueue(survey=survey, token=survey_token(survey))
    # Asked for from a host the portal also answers to: the link must not follow the Host.
    response = client.post(
        reverse("accounts:password_reset"),
        {"email": kurzeme_coordinator.email},
        HTTP_HOST="localhost",
    )
    assert response.status_code == 302
    return list(Email.objects.order_by("id"))


def test_every_kind_of_mail_is_rendered_here(every_mail):
    """A new Purpose without a mail in the fixture above fails here, not in production."""
    assert {email.purpose for email in every_mail} == set(Email.Purpose.values)


def test_every_link_in_every_mail_is_absolute_https_on_portal_url(every_mail):
    for email in every_mail:
        links = URL.findall(email.body)
        assert links or email.purpose in WITHOUT_LINKS, (email.purpose, email.body)
        for link in links:
            assert link.startswith(f"{PORTAL_URL}/"), (email.purpose, link)
            path = urlsplit(link).path
            language = path.split("/")[1] if path.startswith(("/en/", "/ru/")) else "lv"
            with translation.override(language):
                resolve(path)  # a page of the portal, not a typo


def test_no_mail_carries_a_bare_path(every_mail):
    bare = {email.purpose: BARE_PATH.findall(email.body) for email in every_mail}
    assert {purpose: paths for purpose, paths in bare.items() if paths} == {}


def test_the_person_gets_the_privacy_notice_in_their_language(every_mail):
    confirmations = [e for e in every_mail if e.purpose == Email.Purpose.CONTACT_CONFIRMATION]
    latvian, english = (URL.findall(email.body) for email in confirmations)
    assert latvian[1:] == [f"{PORTAL_URL}/dod-zinu/privatuma-pazinojums/"]
    assert english[1:] == [f"{PORTAL_URL}/en/let-us-know/privacy-notice/"]


PERSON_PURPOSES = {
    Email.Purpose.CONTACT_CONFIRMATION, Email.Purpose.OFFER, Email.Purpose.PERSONAL_LINK,
}  # fmt: skip


def test_every_mail_to_the_person_links_to_their_personal_page(every_mail, client):
    """The link in each opens the page of the person the mail went to."""
    for email in every_mail:
        if email.purpose not in PERSON_PURPOSES:
            continue
        links = PERSONAL_PAGE.findall(email.body)
        assert len(links) == 1, (email.purpose, email.body)
        client.get(urlsplit(links[0]).path)
        page = client.get(reverse("returnee:page"))
        assert email.to in page.content.decode() or email.case.reference in page.content.decode()
