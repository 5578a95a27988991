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
from coordinators.models import Case, ContactSubmission, Language, Returnee, User
from coordinators.services.links import personal_link_url
from municipalities.models import PlanningRegion
from outbox.models import Email
from outbox.services import email_enqueue

MAIL_LANGUAGES = {Language.LATVIAN: "lv", Language.ENGLISH: "en", Language.RUSSIAN: "ru"}
CONFIRMATION_SUBJECT = _("We have received your message – %(reference)s")
CONFIRMATION_KNOWN_SUBJECT = _("We have received your message")
NEW_CASE_SUBJECT = _("New contact form case %(reference)s")
TO_CHECK_SUBJECT = _("A contact form to check: the e-mail address is already registered")


def confirmation_enqueue(*, case: Case | None, data: dict[str, Any]) -> None:
    """The person's confirmation in their language, with a link to the privacy notice: the
    new case's reference, or, for an address already registered (the mail goes to that
    address, never to the page), no reference until a coordinator has checked."""
    # In the worker: the mail goes to the address typed, so its owner (a new case's person,
    # or the person already registered with it) gets their personal link, nobody else.
    returnee = case.returnee if case else Returnee.objects.filter(email=data["email"]).first()
    with translation.override(MAIL_LANGUAGES[data["preferred_language"]]):
        context = {
            "case": case,
            "data": data,
            "privacy_url": absolute_url(reverse("intake:privacy")),
            "personal_url": personal_link_url(returnee=returnee) if returnee else "",
            # A reply reaches the case only through its Reply-To (the inbound app).
            "replies": bool(settings.INBOUND_REPLY_ADDRESS) and case is not None,
        }
        subject = (
            CONFIRMATION_SUBJECT % {"reference": case.reference}
            if case
            else CONFIRMATION_KNOWN_SUBJECT
        )
        email_enqueue(
            to=data["email"],
            subject=str(subject),
            body=render_to_string("intake/email/confirmation.txt", context),
            purpose=Email.Purpose.CONTACT_CONFIRMATION,
            case=case,
        )


def notification_enqueue(*, case: Case, data: dict[str, Any]) -> None:
    """The coordinators' notice of a new case, with a link to the case page (behind the
    login)."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "case": case,
            "data": data,
            "url": absolute_url(reverse("workspace:case_detail", args=[case.reference])),
        }
        body = render_to_string("intake/email/notification.txt", context)
        for address in notification_recipients(region=case.planning_region):
            email_enqueue(
                to=address,
                subject=str(NEW_CASE_SUBJECT % {"reference": case.reference}),
                body=body,
                purpose=Email.Purpose.CONTACT_NOTIFICATION,
                case=case,
            )


def check_notification_enqueue(*, submission: ContactSubmission) -> None:
    """The coordinators' notice of a contact to check; no name or case in the mail."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {"url": absolute_url(reverse("workspace:contact_list"))}
        body = render_to_string("intake/email/check_notification.txt", context)
        for address in notification_recipients(region=submission.planning_region):
            email_enqueue(
                to=address,
                subject=str(TO_CHECK_SUBJECT),
                body=body,
                purpose=Email.Purpose.CONTACT_NOTIFICATION,
            )


def notification_recipients(*, region: PlanningRegion | None) -> list[str]:
    """Who hears about a contact form submission.

    The region's active coordinators (and the region's shared mailbox); for the national
    queue every active regional coordinator, since any of them may take the case. When no
    coordinator has an address, the national administrators, so nothing goes unseen.
    """
    coordinators = User.objects.filter(is_active=True, role=User.Role.REGIONAL_COORDINATOR).exclude(
        email=""
    )
    if region is not None:
        coordinators = coordinators.filter(planning_region_id=region.pk)
    addresses = list(coordinators.order_by("email").values_list("email", flat=True))
    if region is not None and region.coordinator_email:
        addresses.append(region.coordinator_email)
    if not addresses:
        addresses = list(
            User.objects.filter(is_active=True, role=User.Role.NATIONAL_ADMIN)
            .exclude(email="")
            .order_by("email")
            .values_list("email", flat=True)
        )
    return list(dict.fromkeys(address.lower() for address in addresses))
