import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from common.errors import DomainError
from coordinators.models import Case
from coordinators.services.pipeline import case_transition
from tests.factories import CaseFactory

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "lv" / "LC_MESSAGES" / "django.po"


def test_every_interface_text_has_a_latvian_translation():
    entries = CATALOGUE.read_text(encoding="utf-8").split("\n\n")[1:]  # after the header
    untranslated = [
        entry
        for entry in entries
        if re.search(r'^msgstr(\[\d\])? ""$', entry, flags=re.MULTILINE)
        and not re.search(r'^msgstr(\[\d\])? ""\n"', entry, flags=re.MULTILINE)
    ]
    fuzzy = [entry for entry in entries if "#, fuzzy" in entry]
    assert untranslated == [] and fuzzy == []


@pytest.mark.django_db
def test_pipeline_errors_speak_latvian_by_default_and_english_on_request(kurzeme_coordinator):
    case = CaseFactory()
    for language, expected in [("lv", "Lietu nevar pārvietot"), ("en", "A case cannot move")]:
        with translation.override(language), pytest.raises(DomainError) as error:
            case_transition(case=case, to_status=Case.Status.RETURNED, actor=kurzeme_coordinator)
        assert str(error.value.message).startswith(expected)


@pytest.mark.django_db
def test_admin_is_in_latvian_by_default(client, superuser):
    client.force_login(superuser)
    response = client.get(reverse("admin:index"))
    assert "Remigrācijas portāls" in response.text
    assert "Lietas" in response.text
