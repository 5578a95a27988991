"""Russian for the person abroad: the public form, the thank-you and privacy pages, the
mails to the person and the offer (locale/ru); the offer's language follows the person."""

import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from coordinators.models import Case, Language
from offers import services as offers
from outbox.models import Email
from tests.factories import CaseFactory, ReturneeFactory
from tests.test_contact_form import submit

pytestmark = pytest.mark.django_db

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "ru" / "LC_MESSAGES" / "django.po"


@pytest.fixture(autouse=True)
def contact_settings(settings):
    settings.CONTACT_FORM_MIN_FILL_SECONDS = 0
    cache.clear()
    with translation.override("lv"):
        yield


def ru(name):
    with translation.override("ru"):
        return reverse(name)


def test_the_public_pages_speak_russian(client):
    form = client.get(ru("intake:contact")).content.decode()
    assert "Дайте нам знать!" in form and "Имя" in form and "До 3000 знаков." in form
    assert "Let us know!" not in form and "First name" not in form
    privacy = client.get(ru("intake:privacy")).content.decode()
    assert "Уведомление о конфиденциальности" in privacy and "Who sees it" not in privacy

    response = submit(client, url=ru("intake:contact"), preferred_language="ru")
    thanks = client.get(response["Location"]).content.decode()
    assert "Спасибо!" in thanks and "Thank you!" not in thanks


def test_the_confirmation_to_a_russian_speaker_is_in_russian(client):
    submit(client, preferred_language="ru")
    confirmation = Email.objects.get(purpose="contact_confirmation")
    assert confirmation.subject.startswith("Мы получили ваше сообщение")
    assert confirmation.body.startswith("Здравствуйте, Ģirts!")


def test_a_russian_speaker_offer_defaults_to_russian_and_reads_russian(kurzeme_coordinator):
    case = CaseFactory(
        returnee=ReturneeFactory(preferred_language=Language.RUSSIAN),
        coordinator=kurzeme_coordinator,
    )
    Case.objects.filter(pk=case.pk).update(status="needs_assessed")
    offer = offers.offer_create_draft(case=case, actor=kurzeme_coordinator)
    assert offer.language == Language.RUSSIAN
    assert offers.offer_default_language(case) == Language.RUSSIAN


def test_every_russian_entry_is_translated_and_keeps_its_placeholders():
    entries = CATALOGUE.read_text(encoding="utf-8").split("\n\n")[1:]
    assert len(entries) > 100
    for entry in entries:
        source = " ".join(re.findall(r'^msgid(?:_plural)? "(.*)"$', entry, flags=re.MULTILINE))
        for text in re.findall(r'^msgstr(?:\[\d\])? "(.*)"$', entry, flags=re.MULTILINE):
            assert text, entry
            assert set(re.findall(r"%\(\w+\)s", text)) == set(re.findall(r"%\(\w+\)s", source))
