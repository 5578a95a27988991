"""The portal's own error pages, in Latvian and (under /en/) in English, as a production
server (DEBUG off, which is how the tests run) shows them: 400, 403, 404, 500 and the page
for a form whose CSRF token is missing or stale."""

import pytest
from django.template import loader
from django.test import Client

from tests.factories import CaseFactory, SpecialistFactory

pytestmark = pytest.mark.django_db

TITLES = {
    400: {"lv": "Nepareizs pieprasījums", "en": "Bad request"},
    403: {"lv": "Piekļuve liegta", "en": "Access denied"},
    404: {"lv": "Lapa nav atrasta", "en": "Page not found"},
    500: {"lv": "Radās kļūda", "en": "Something went wrong"},
}
PREFIX = {"lv": "", "en": "/en"}


def assert_page(response, status, language):
    assert response.status_code == status
    assert f'<html lang="{language}">' in response.text
    assert f"<h1>{TITLES[status][language]}</h1>" in response.text
    other = "en" if language == "lv" else "lv"
    assert TITLES[status][other] not in response.text


@pytest.mark.parametrize("language", ["lv", "en"])
def test_page_not_found(client, language):
    response = client.get(f"{PREFIX[language]}/no-such-page/")

    assert_page(response, 404, language)
    assert 'href="/"' in response.text or 'href="/en/"' in response.text


@pytest.mark.parametrize("language", ["lv", "en"])
def test_access_denied(client, language):
    """A municipal specialist does not work cases: a case page is a 403 for them."""
    client.force_login(SpecialistFactory())
    case = CaseFactory()

    response = client.get(f"{PREFIX[language]}/cases/{case.reference}/")

    assert_page(response, 403, language)


@pytest.mark.urls("tests.error_urls")
@pytest.mark.parametrize("language", ["lv", "en"])
def test_bad_request(client, language):
    response = client.get(f"{PREFIX[language]}/suspicious/")

    assert_page(response, 400, language)


@pytest.mark.parametrize("language", ["lv", "en"])
def test_bad_request_for_a_host_name_not_served(client, language):
    response = client.get(f"{PREFIX[language]}/dod-zinu/", HTTP_HOST="evil.example")

    assert_page(response, 400, language)


@pytest.mark.urls("tests.error_urls")
@pytest.mark.parametrize("language", ["lv", "en"])
def test_server_error(client, language):
    client.raise_request_exception = False

    response = client.get(f"{PREFIX[language]}/boom/")

    assert_page(response, 500, language)
    assert "Traceback" not in response.text and "girts" not in response.text
    assert f'href="{PREFIX[language]}/"' in response.text


def test_server_error_page_needs_no_request_database_or_static_manifest(
    settings, tmp_path, django_assert_num_queries
):
    """Django renders 500.html with an empty context; the error may be that the database or
    the static files manifest is gone, so the page must not need either."""
    settings.STATIC_ROOT = tmp_path  # no manifest there: {% static %} would raise
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with django_assert_num_queries(0):
        html = loader.get_template("500.html").render()

    assert "<h1>Radās kļūda</h1>" in html
    with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
        loader.get_template("404.html").render()  # base.html does need it


@pytest.mark.parametrize(
    ("language", "url", "title", "advice"),
    [
        ("lv", "/dod-zinu/", "Veidlapu nevarēja nosūtīt", "jūsu teksts, iespējams, joprojām"),
        ("en", "/en/let-us-know/", "The form could not be sent", "your text may still be in"),
    ],
)
def test_csrf_failure_says_what_happened_and_offers_the_page_again(language, url, title, advice):
    client = Client(enforce_csrf_checks=True)

    response = client.post(url, {"first_name": "Ģirts", "message": "Gribam atgriezties."})

    assert response.status_code == 403
    assert f'<html lang="{language}">' in response.text
    assert f"<h1>{title}</h1>" in response.text
    assert advice in response.text
    assert f'href="{url}"' in response.text  # open the form again, with a fresh token
    assert "CSRF" not in response.text  # Django's reason is for developers


@pytest.mark.parametrize(
    ("referer", "again"),
    [
        ("http://testserver/cases/KUR-2026-00001/", "http://testserver/cases/KUR-2026-00001/"),
        ("https://evil.example/phish/", "/logout/"),  # not ours: the address posted to
    ],
)
def test_csrf_failure_links_back_to_the_page_the_form_was_on(referer, again):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/logout/", HTTP_REFERER=referer)

    assert response.status_code == 403
    assert f'href="{again}"' in response.text
