"""The vocative of Latvian first names for the offer's greeting."""

import pytest

from common.names import vocative


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Jānis", "Jāni"),
        ("Ģirts", "Ģirt"),
        ("Anna", "Anna"),
        ("Kārlis", "Kārli"),
        ("Ilze", "Ilze"),
        ("Pēteris", "Pēteri"),
        ("Mārtiņš", "Mārtiņ"),
        ("Mikus", "Miku"),
        ("Edgars", "Edgar"),
        ("Roberts", "Robert"),
        ("Jānis Pēteris", "Jāni Pēteri"),
        ("Anna-Marija", "Anna-Marija"),
        ("  Ģirts ", "Ģirt"),
        ("Ross", "Ross"),
        ("Thomas", "Thomas"),
        ("Is", "Is"),
        ("", ""),
    ],
)
def test_vocative_of_a_first_name(name, expected):
    assert vocative(name) == expected
