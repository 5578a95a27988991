"""The contact form's mails: the confirmation to the person, in their language, and the
notice to the region's coordinators, in Latvian, with no personal data beyond the reference
(they read the rest in the portal, linked on PORTAL_URL). Templates in
`templates/intake/email/`."""

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from common.urls import absolute_url
from coordinators.models import Case, Language, User
from outbox.models import Email
from outbox.services import email_enqueue

# We have no Russian texts yet: a person who prefers Russian gets the English e-mail.
MAIL_LANGUAGES = {Language.LATVIAN: "lv", Language.ENGLISH: "en", Language.RUSSIAN: "en"}
CONFIRMATION_SUBJECT = _("We have received your message – %(reference)s")
NEW_CASE_SUBJECT = _("New contact form case %(reference)s")
NEW_MESSAGE_SUBJECT = _("New message on case %(reference)s")


def confirmation_enqueue(*, case: Case, data: dict[str, Any], is_new_case: bool) -> None:
    """The person's confirmation, with the reference of their case and a link to the privacy
    notice they accepted, in their language."""
    with translation.override(MAIL_LANGUAGES[data["preferred_language"]]):
        context = {
            "case": case,
            "data": data,
            "is_new_case": is_new_case,
            "privacy_url": absolute_url(reverse("intake:privacy")),
        }
        email_enqueue(
            to=data["email"],
            subject=str(CONFIRMATION_SUBJECT % {"reference": case.reference}),
            body=render_to_string("intake/email/confirmation.txt", context),
            purpose=Email.Purpose.CONTACT_CONFIRMATION,
            case=case,
        )


def notification_enqueue(*, case: Case, data: dict[str, Any], is_new_case: bool) -> None:
    """The coordinators' notice of a new case or of a new message on an open one, with a
    link to the case page (behind the login)."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "case": case,
            "data": data,
            "is_new_case": is_new_case,
            "url": absolute_url(reverse("workspace:case_detail", args=[case.reference])),
        }
        subject = NEW_CASE_SUBJECT if is_new_case else NEW_MESSAGE_SUBJECT
        body = render_to_string("intake/email/notification.txt", context)
        for address in notification_recipients(case=case):
            email_enqueue(
                to=address,
                subject=str(subject % {"reference": case.reference}),
                body=body,
                purpose=Email.Purpose.CONTACT_NOTIFICATION,
                case=case,
            )


def notification_recipients(*, case: Case) -> list[str]:
    """Who hears about a contact form submission.

    The region's active coordinators (and the region's shared mailbox); for the national
    queue every active regional coordinator, since any of them may take the case. When no
    coordinator has an address, the national administrators, so nothing goes unseen.
    """
    coordinators = User.objects.filter(is_active=True, role=User.Role.REGIONAL_COORDINATOR).exclude(
        email=""
    )
    if case.planning_region_id:
        coordinators = coordinators.filter(planning_region_id=case.planning_region_id)
    addresses = list(coordinators.order_by("email").values_list("email", flat=True))
    if case.planning_region and case.planning_region.coordinator_email:
        addresses.append(case.planning_region.coordinator_email)
    if not addresses:
        addresses = list(
            User.objects.filter(is_active=True, role=User.Role.NATIONAL_ADMIN)
            .exclude(email="")
            .order_by("email")
            .values_list("email", flat=True)
        )
    return list(dict.fromkeys(address.lower() for address in addresses))
