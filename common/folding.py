"""Text as people type it when they search: without case, diacritics or script.

"Ķēniņš", "KENINS" and "kenins" fold to the same text, and so do "Иванов" and "ivanov": the
search compares folded text with folded text, stored once per person (the same in SQLite and
PostgreSQL, which lowercase and unaccent differently or not at all). Surnames are also cut
to their stem for the duplicate check, so that Kalniņš, Kalniņa and Kalniņu are one name.
"""

from __future__ import annotations

import re
import unicodedata

# Russian (and Ukrainian/Belarusian) letters, as a person who types Latin would spell them.
# One spelling per letter; "y" and "i" fold to one letter below, so Andrey/Andrei/Андрей,
# Yuri/Юрий meet.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "і": "i", "ї": "i", "є": "e", "ґ": "g", "ў": "u",
}  # fmt: skip
_TRANSLITERATION = str.maketrans(_CYRILLIC)
# Letters that NFKD does not take apart (and the Latin "y", see above).
_LATIN = str.maketrans({"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d", "y": "i"})
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower case, Cyrillic in Latin letters, no diacritics, single spaces."""
    text = unicodedata.normalize("NFC", text or "").casefold().translate(_TRANSLITERATION)
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SPACES.sub(" ", text.translate(_LATIN)).strip()


# Latvian surname endings, longest first: masculine -s/-š/-is/-us, feminine -a/-e, and the
# other cases a person may type the name in (Kalniņu, Kalniņam, Ozolam): Kalniņš, Kalniņa,
# Kalniņu → "kalnin"; Mednis, Medne → "medn"; Ozols, Ozola → "ozol"; Ivanovs, Ivanov,
# Ivanova (a Russian name written in Latvian or not) → "ivanov".
_SURNAME_ENDINGS = ("iem", "am", "ai", "ei", "is", "us", "s", "a", "e", "u", "i")


def surname_stem(surname: str) -> str:
    """The folded surname without its Latvian ending (each part of a double surname)."""
    return "-".join(_stem(part) for part in re.split(r"[\s-]+", fold(surname)) if part)


def _stem(part: str) -> str:
    for ending in _SURNAME_ENDINGS:
        # Keep three letters at least: "Sils" is "sil", but "Ose" stays itself.
        if part.endswith(ending) and len(part) - len(ending) >= 3:
            return part[: -len(ending)]
    return part


def email_local_key(email: str) -> str:
    """The part of an address before @ as the person would recognise it: no case, no dots,
    no "+tag" (janis.berzins+lv@… and JanisBerzins@… are the same person's habit)."""
    local = fold(email).partition("@")[0].partition("+")[0]
    return local.replace(".", "").replace("-", "").replace("_", "")
