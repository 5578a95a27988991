"""Russian pages write dates and numbers as the Latvian ones do: dd.mm.yyyy."""

from common.formats.lv.formats import (  # noqa: F401 - Django reads these names from here
    DATE_FORMAT,
    DATE_INPUT_FORMATS,
    DATETIME_FORMAT,
    DATETIME_INPUT_FORMATS,
    DECIMAL_SEPARATOR,
    FIRST_DAY_OF_WEEK,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
    THOUSAND_SEPARATOR,
)
