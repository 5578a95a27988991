"""Validators shared by models and forms."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PHONE_INVALID = _("Enter the phone number in international format, e.g. +371 20000000.")


def normalise_phone(value):
    """Return the number in E.164 (+37120000000) or raise ValidationError."""
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(PHONE_INVALID, code="invalid_phone") from error
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(PHONE_INVALID, code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_phone(value):
    """Model-field validator: an empty value is fine, anything else must be a real number."""
    if value:
        normalise_phone(value)
