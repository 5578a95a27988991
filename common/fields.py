"""Form fields shared by the portal's forms."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Every date the portal meets lies in these years (birth years, contacts, follow-ups,
# report periods); a year outside them is a typing slip, and 9999 or 0001 would overflow
# the date arithmetic after the form (the day after 31.12.9999 does not exist).
FIRST_YEAR, LAST_YEAR = 1900, 2100
DATE_OUT_OF_RANGE = _("Enter a date between 01.01.%(first)s and 31.12.%(last)s.")


def validate_date_in_range(value: datetime.date | None) -> None:
    """A date in the years FIRST_YEAR to LAST_YEAR (a form error, never an overflow)."""
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            DATE_OUT_OF_RANGE,
            code="date_out_of_range",
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )


class DateField(forms.DateField):
    """Django's DateField (dd.mm.yyyy through the format modules), limited to the years the
    portal can work with. Every date input of the portal's forms is one of these
    (tests/test_dates.py walks them)."""

    default_validators = [validate_date_in_range]
