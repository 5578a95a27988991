"""The mail of a transfer: the target region's coordinators are told of a proposal. Staff
mail in Latvian, naming the case by its reference only."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from common.urls import absolute_url
from coordinators.models import User
from outbox.models import Email
from outbox.services import email_enqueue

from .models import CaseTransfer

PROPOSED_SUBJECT = _("Remigration: %(region)s proposes case %(reference)s to your region")


def transfer_proposed_enqueue(*, transfer: CaseTransfer) -> None:
    """Tell the target region's active coordinators (or its shared address) of a proposal."""
    region = transfer.to_region
    recipients = set(
        User.objects.filter(
            role=User.Role.REGIONAL_COORDINATOR, planning_region=region, is_active=True
        )
        .exclude(email="")
        .values_list("email", flat=True)
    ) or ({region.coordinator_email} if region.coordinator_email else set())
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "transfer": transfer,
            "url": absolute_url(reverse("workspace:transfer_detail", args=[transfer.pk])),
        }
        subject = str(
            PROPOSED_SUBJECT
            % {"region": transfer.from_region.name, "reference": transfer.case.reference}
        )
        body = render_to_string("transfers/email/transfer_proposed.txt", context)
        for address in sorted(recipients):
            email_enqueue(
                to=address,
                subject=subject,
                body=body,
                purpose=Email.Purpose.TRANSFER_PROPOSED,
                case=transfer.case,
            )
