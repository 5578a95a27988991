"""Contacts to check: a contact form with an address that is already registered waits for
the coordinator, who links it to the person (after checking) or dismisses it. Nothing is
written on the person before, and the reports count the person once."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from common.errors import DomainError
from coordinators.models import Case, ContactSubmission, Interaction
from coordinators.services.contacts import (
    NOT_TO_CHECK,
    contact_submission_dismiss,
    contact_submission_link,
)
from privacy.services import returnee_erase
from tests.factories import CaseFactory, ReturneeFactory
from tests.factories import region as planning_region
from tests.test_contact_form import submit

pytestmark = pytest.mark.django_db

EMAIL = "girts.kenins@example.com"


@pytest.fixture(autouse=True)
def contact_settings(settings):
    settings.CONTACT_FORM_MIN_FILL_SECONDS = 0
    cache.clear()


def contact_for(client, **overrides):
    submit(client, email=EMAIL, first_name="Cits", message="Vēl viens jautājums.", **overrides)
    return ContactSubmission.objects.get(status=ContactSubmission.Status.TO_CHECK)


def test_linking_puts_the_message_on_the_open_case_without_a_second_case(
    client, kurzeme_coordinator
):
    existing = CaseFactory(
        returnee=ReturneeFactory(email=EMAIL), planning_region=planning_region("KUR")
    )
    consent = existing.returnee.consent_given_at
    contact = contact_for(client)

    contact_submission_link(submission=contact, actor=kurzeme_coordinator)

    assert Case.objects.count() == 1  # counted once in the reports
    existing.refresh_from_db()
    assert existing.needs_attention is True
    summary = existing.interactions.get(kind=Interaction.Kind.CONTACT_FORM).summary
    assert summary.startswith("Vēl viens jautājums.") and "Cits Ķēniņš" in summary
    existing.returnee.refresh_from_db()
    assert existing.returnee.first_name != "Cits"
    assert existing.returnee.consent_given_at == consent
    contact.refresh_from_db()
    assert (contact.status, contact.case, contact.data) == ("linked", existing, {})


def test_linking_a_person_whose_cases_are_closed_opens_one_new_case(client, kurzeme_coordinator):
    closed = CaseFactory(
        returnee=ReturneeFactory(email=EMAIL), planning_region=planning_region("ZEM")
    )
    Case.objects.filter(pk=closed.pk).update(status="closed", closed_reason="no_response")
    contact = contact_for(client)

    contact_submission_link(submission=contact, actor=kurzeme_coordinator)

    new = Case.objects.exclude(pk=closed.pk).get()
    assert new.returnee == closed.returnee
    assert new.planning_region.code == "KUR"
    assert new.interactions.filter(kind=Interaction.Kind.CONTACT_FORM).count() == 1


def test_dismissing_deletes_what_was_typed_and_a_second_step_is_refused(
    client, kurzeme_coordinator
):
    CaseFactory(returnee=ReturneeFactory(email=EMAIL))
    contact = contact_for(client)

    contact_submission_dismiss(submission=contact, actor=kurzeme_coordinator)

    contact.refresh_from_db()
    assert (contact.status, contact.data) == ("dismissed", {})
    with pytest.raises(DomainError) as refused:
        contact_submission_link(submission=contact, actor=kurzeme_coordinator)
    assert refused.value.message == NOT_TO_CHECK


def test_the_list_shows_the_region_contacts_and_the_link_button_works(client, kurzeme_coordinator):
    existing = CaseFactory(
        returnee=ReturneeFactory(email=EMAIL), planning_region=planning_region("KUR")
    )
    contact = contact_for(client)
    client.force_login(kurzeme_coordinator)

    page = client.get(reverse("workspace:contact_list")).content.decode()
    assert "Vēl viens jautājums." in page

    response = client.post(reverse("workspace:contact_link", args=[contact.pk]))
    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.needs_attention is True
    assert (
        "Vēl viens jautājums." not in client.get(reverse("workspace:contact_list")).content.decode()
    )


def test_erasure_deletes_contacts_sent_with_the_person_address(client):
    existing = CaseFactory(returnee=ReturneeFactory(email=EMAIL))
    contact_for(client)

    returnee_erase(returnee=existing.returnee)

    assert not ContactSubmission.objects.filter(status="to_check").exists()
