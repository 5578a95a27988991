"""People's names in a letter: the vocative of a Latvian first name, for the greeting."""

import re

# Endings of Latvian masculine first names and their vocative: Jānis → Jāni, Pēteris →
# Pēteri, Ģirts → Ģirt, Mārtiņš → Mārtiņ, Mikus → Miku. Feminine names (-a, -e: Anna,
# Ilze) and anything else keep their form, which is always correct, if plainer.
_VOCATIVE_ENDINGS = (("is", "i"), ("us", "u"), ("s", ""), ("š", ""))
_LETTERS = re.compile(r"[^\W\d_]+")


def vocative(first_name: str) -> str:
    """The Latvian vocative of a first name (each part of a double name: Anna-Marija,
    Jānis Pēteris); a name that is too short or does not look Latvian is left as it is."""
    return re.sub(r"[^\s-]+", lambda part: _part_vocative(part.group(0)), first_name.strip())


def _part_vocative(name: str) -> str:
    if len(name) < 3 or not _LETTERS.fullmatch(name):
        return name
    for ending, replacement in _VOCATIVE_ENDINGS:
        if name.endswith(ending):
            # "-ss", "-iss" are not Latvian endings (Ross, Kriss): leave such names alone.
            if ending == "s" and name[-2] in "sšaeiouāēīū":
                return name
            return name[: -len(ending)] + replacement
    return name
