"""An offer in the person's language, all of it: catalogue entries are copied in the offer's
language, and what is still in another language (an entry with no translation, a section
copied before the language changed, a need heading with no name in it) is named before
sending, never sent silently in Latvian or English."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from coordinators.models import Language
from municipalities.models import MunicipalService, NeedCategory

if TYPE_CHECKING:
    from .models import Offer, OfferItem

ITEM_NOT_TRANSLATED = _(
    "The section “%(title)s” is still the catalogue's text in another language: write it in "
    "%(language)s (or add the translation to the catalogue and add the service again)."
)
HEADING_NOT_TRANSLATED = _(
    "The need “%(need)s” has no name in %(language)s for the offer's heading: add it to the "
    "need category in the administration."
)
LANGUAGES = (Language.LATVIAN, Language.ENGLISH, Language.RUSSIAN)


def service_texts(*, service: MunicipalService, language: str) -> tuple[str, str]:
    """The title and description to copy into an offer in `language`: the translation, or
    the Latvian entry when there is none (`offer_language_problems` then names it)."""
    return service.texts_in(language) or (service.title, service.description)


def _in_another_language(item: OfferItem, language: str) -> bool:
    service = item.service
    if service is None:
        return False
    own = service.texts_in(language)
    for other in (code for code in LANGUAGES if code != language):
        texts = service.texts_in(other)
        if texts is None or texts == own:
            continue
        title, description = texts
        if item.title == title or (description.strip() and item.text == description):
            return True
    return False


def offer_language_problems(
    *, offer: Offer, items: list[OfferItem], needs: list[NeedCategory]
) -> list[str]:
    """What of the offer is not in its language yet: sections still holding a catalogue text
    of another language, and the headings (`needs`) with no name in it."""
    language = offer.language
    name = str(Language(language).label)
    problems = [
        str(ITEM_NOT_TRANSLATED % {"title": item.title, "language": name})
        for item in items
        if _in_another_language(item, language)
    ]
    problems += [
        str(HEADING_NOT_TRANSLATED % {"need": need.name, "language": name})
        for need in needs
        if not need.name_in(language)
    ]
    return problems
