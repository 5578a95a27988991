"""Dates as the portal writes them into files, e-mails and exports: dd.mm.yyyy, local time;
and the first moment of a local day, which every "from this day" filter starts at.

Templates and forms get the same from the format modules in common/formats.
"""

import datetime

from django.utils import timezone

DATE = "%d.%m.%Y"


def date_text(value: datetime.date) -> str:
    """dd.mm.yyyy of a date, or of the local day of an aware datetime."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return value.strftime(DATE)


def datetime_text(value: datetime.datetime, *, seconds: bool = False) -> str:
    """dd.mm.yyyy HH:MM (or HH:MM:SS) of an aware datetime, in local time."""
    return timezone.localtime(value).strftime(f"{DATE} %H:%M:%S" if seconds else f"{DATE} %H:%M")


def start_of_day(day: datetime.date) -> datetime.datetime:
    """The first moment of `day` in the current time zone, as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
