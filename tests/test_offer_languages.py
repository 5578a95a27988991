"""Catalogue entries and need headings have a text per language; an offer takes the one of
its language, and what is still in another language is named before sending, never sent."""

import pytest

from coordinators.models import Case, Language
from municipalities.models import NeedCategory
from offers import services
from offers.languages import HEADING_NOT_TRANSLATED, ITEM_NOT_TRANSLATED
from offers.models import Offer
from tests.factories import (
    CaseFactory,
    MunicipalServiceFactory,
    ReturneeFactory,
    municipality,
    need,
)
from tests.test_offers import move

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(kurzeme_coordinator):
    returnee = ReturneeFactory(email="anna@example.org", preferred_language=Language.ENGLISH)
    case = CaseFactory(
        returnee=returnee,
        municipality=municipality("Liepājas valstspilsēta"),
        coordinator=kurzeme_coordinator,
        needs=[need("family")],
    )
    return move(case, Case.Status.CONTACTED, Case.Status.NEEDS_ASSESSED)


def draft(case, actor, language):
    offer = services.offer_create_draft(case=case, actor=actor)
    offer.language = language
    offer.save()
    return offer


def problems(offer):
    return services.offer_send_problems(offer=Offer.objects.get(pk=offer.pk))


def translated_service():
    return MunicipalServiceFactory(
        title_en="A kindergarten place", description_en="In turn; returnee families first.",
        title_ru="Место в детском саду", description_ru="В порядке очереди.",
    )  # fmt: skip


def test_need_categories_have_their_russian_names():
    assert NeedCategory.objects.get(code="housing").name_ru == "Жильё"
    assert not NeedCategory.objects.filter(name_ru="").exists()


@pytest.mark.parametrize(
    ("language", "title"),
    [("lv", "Vieta pirmsskolas izglītības iestādē"), ("en", "A kindergarten place"),
     ("ru", "Место в детском саду")],
)  # fmt: skip
def test_a_catalogue_entry_is_copied_in_the_offers_language(
    case, kurzeme_coordinator, language, title
):
    offer = draft(case, kurzeme_coordinator, language)

    item = services.offer_item_add_from_service(offer=offer, service=translated_service())

    assert item.title == title
    assert problems(offer) == []


def test_an_entry_without_a_translation_is_named_before_sending(case, kurzeme_coordinator):
    offer = draft(case, kurzeme_coordinator, Language.ENGLISH)
    item = services.offer_item_add_from_service(offer=offer, service=MunicipalServiceFactory())

    found = problems(offer)

    assert found == [str(ITEM_NOT_TRANSLATED % {"title": item.title, "language": "angļu"})]
    with pytest.raises(services.DomainError):
        services.offer_send(offer=offer, actor=kurzeme_coordinator)
    # The coordinator writes the section in English: nothing stops it any more.
    services.offer_item_update(item=item, title="Kindergarten", text="A place.", contact="")
    assert problems(offer) == []


def test_a_section_copied_before_the_language_changed_is_named(case, kurzeme_coordinator):
    offer = draft(case, kurzeme_coordinator, Language.LATVIAN)
    services.offer_item_add_from_service(offer=offer, service=translated_service())

    services.offer_update(offer=offer, actor=kurzeme_coordinator, language=Language.RUSSIAN)

    assert len(problems(offer)) == 1


def test_a_heading_without_a_name_in_the_offers_language_is_named(case, kurzeme_coordinator):
    NeedCategory.objects.filter(code="family").update(name_ru="")
    offer = draft(case, kurzeme_coordinator, Language.RUSSIAN)
    services.offer_item_add(offer=offer, need=need("family"), title="Садик", text="Есть место.")

    family = NeedCategory.objects.get(code="family")
    assert problems(offer) == [
        str(HEADING_NOT_TRANSLATED % {"need": family.name, "language": "krievu"})
    ]
