"""The mail with a new personal link, asked for by the person on the page that a wrong or
expired link shows. Template: `templates/returnee/email/personal_link.txt`."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from coordinators.models import Case, Returnee
from coordinators.services.links import personal_link_url
from outbox.models import Email
from outbox.services import email_enqueue

PERSONAL_LINK_SUBJECT = _("Your personal page")


def personal_link_enqueue(*, returnee: Returnee) -> Email:
    """A fresh link to the person's address, in their language."""
    case = Case.objects.filter(returnee=returnee).order_by("-created_at").first()
    with translation.override(returnee.preferred_language):
        context = {
            "returnee": returnee,
            "url": personal_link_url(returnee=returnee),
            "link_days": settings.PERSONAL_LINK_DAYS,
        }
        return email_enqueue(
            to=returnee.email,
            subject=str(PERSONAL_LINK_SUBJECT),
            body=render_to_string("returnee/email/personal_link.txt", context),
            purpose=Email.Purpose.PERSONAL_LINK,
            case=case,
        )
