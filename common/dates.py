"""Dates as the portal writes them into files, e-mails and exports: dd.mm.yyyy, local time.

Templates and forms get the same from the format modules in common/formats.
"""

from django.utils import timezone

DATE = "%d.%m.%Y"


def date_text(value):
    """dd.mm.yyyy of a date, or of the local day of an aware datetime."""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return value.strftime(DATE)


def datetime_text(value, *, seconds=False):
    """dd.mm.yyyy HH:MM (or HH:MM:SS) of an aware datetime, in local time."""
    return timezone.localtime(value).strftime(f"{DATE} %H:%M:%S" if seconds else f"{DATE} %H:%M")
