"""Personal pages are never stored by a browser or a proxy: every answer to a logged-in
user without caching of its own says `Cache-Control: no-store` (common.middleware)."""

import pytest
from django.urls import reverse

from tests.factories import CaseFactory, OfferItemFactory

pytestmark = pytest.mark.django_db


def assert_not_stored(response):
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_case_page_is_not_stored(client, kurzeme_coordinator):
    case = CaseFactory()
    client.force_login(kurzeme_coordinator)
    assert_not_stored(client.get(reverse("workspace:case_detail", args=[case.reference])))


def test_offer_pdf_download_is_not_stored(client, kurzeme_coordinator):
    case = CaseFactory()
    OfferItemFactory(offer__case=case)
    client.force_login(kurzeme_coordinator)

    response = client.get(reverse("offers:pdf", args=[case.reference, 1]))

    assert response["Content-Type"] == "application/pdf"
    assert_not_stored(response)


def test_two_factor_key_page_is_not_stored(client, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)
    response = client.get(reverse("accounts:two_factor_setup"))
    assert "<svg" in response.text
    assert_not_stored(response)


def test_a_view_that_sets_its_own_caching_keeps_it(client, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)
    response = client.get(reverse("healthz"))  # never_cache of its own
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_public_pages_for_visitors_are_left_alone(client):
    response = client.get(reverse("intake:privacy"))
    assert response.status_code == 200
    assert not response.has_header("Cache-Control")
