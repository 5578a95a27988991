"""The privacy notice says what the code does: the retention period is the setting the
retention job uses, sharing with a municipality needs the consent the form records, and the
controller's contact is the regions' address."""

import datetime
import re

import pytest
from django.utils import timezone, translation

from common.errors import DomainError
from coordinators.models import Case
from coordinators.services.requests import NO_SHARING_CONSENT, municipality_request_create
from privacy.services import retention_candidates
from tests.factories import CaseFactory, CoordinatorFactory, municipality, need
from tests.factories import region as planning_region

pytestmark = pytest.mark.django_db

EN_URL = "/en/let-us-know/privacy-notice/"


def notice(client, testid):
    page = client.get(EN_URL).content.decode()
    match = re.search(rf'data-testid="{testid}">(.*?)</(p|ul)>', page, flags=re.DOTALL)
    return match.group(1)


def test_the_retention_period_in_the_notice_is_the_one_the_retention_job_applies(client, settings):
    settings.RETENTION_MONTHS = 18
    settings.OUTBOX_RETENTION_DAYS = 45

    text = notice(client, "retention")
    assert "closed for 18 months" in text
    assert "45 days after sending" in client.get(EN_URL).content.decode()
    assert "three years" not in client.get(EN_URL).content.decode()

    # And the job does what the sentence says, with the same setting.
    now = timezone.now()
    old, recent = CaseFactory(), CaseFactory()
    for case, months in ((old, 19), (recent, 17)):
        Case.objects.filter(pk=case.pk).update(
            status="closed", closed_reason="no_response",
            status_changed_at=now - datetime.timedelta(days=months * 31),
        )  # fmt: skip
    candidates = set(retention_candidates(months=settings.RETENTION_MONTHS))
    assert candidates == {old.returnee}


def test_the_notice_in_latvian_uses_the_right_plural(client, settings):
    settings.RETENTION_MONTHS = 21
    with translation.override("lv"):
        page = client.get("/dod-zinu/privatuma-pazinojums/").content.decode()
    assert "slēgta 21 mēnesi" in page


def test_sharing_with_a_municipality_needs_the_consent_the_notice_promises(client):
    assert "only if you have ticked the box" in notice(client, "sharing")
    coordinator = CoordinatorFactory()
    case = CaseFactory(municipality=municipality("Liepājas valstspilsēta"))
    liepaja = municipality("Liepājas valstspilsēta")

    with pytest.raises(DomainError) as refused:
        municipality_request_create(
            case=case, municipality=liepaja, need=need("work"), question="Darbs?",
            share_contact_details=True, actor=coordinator,
        )  # fmt: skip
    assert refused.value.message == NO_SHARING_CONSENT
    request = municipality_request_create(
        case=case, municipality=liepaja, need=need("work"), question="Darbs?", actor=coordinator
    )
    assert request.share_contact_details is False

    case.returnee.sharing_consent_given_at = timezone.now()
    case.returnee.save()
    shared = municipality_request_create(
        case=case, municipality=liepaja, need=need("work"), question="Darbs?",
        share_contact_details=True, actor=coordinator,
    )  # fmt: skip
    assert shared.share_contact_details is True


def test_the_form_records_the_sharing_consent_only_when_ticked(client, settings):
    from tests.test_contact_form import submit

    settings.CONTACT_FORM_MIN_FILL_SECONDS = 0
    submit(client, email="yes@example.com", sharing_consent="on")
    submit(client, email="no@example.com")
    cases = {case.returnee.email: case.returnee for case in Case.objects.all()}
    assert cases["yes@example.com"].sharing_consent_given_at is not None
    assert cases["no@example.com"].sharing_consent_given_at is None


def test_the_notice_names_the_controller_contacts(client, settings):
    settings.DATA_PROTECTION_EMAIL = "dpo@example.lv"
    kurzeme = planning_region("KUR")
    controllers = notice(client, "controllers")
    assert kurzeme.name in controllers
    if kurzeme.coordinator_email:
        assert kurzeme.coordinator_email in controllers
    assert "dpo@example.lv" in client.get(EN_URL).content.decode()


def test_the_notice_says_how_long_unmatched_replies_and_forms_are_kept_as_the_jobs_do(
    client, settings
):
    from django.core.files.base import ContentFile

    from inbound.models import InboundAttachment, InboundMessage
    from inbound.services import inbound_messages_prune

    settings.INBOUND_RETENTION_DAYS = 60
    settings.CONTACT_SUBMISSION_RETENTION_DAYS = 20
    assert "deleted 60 days after it arrived" in notice(client, "reply-retention")
    assert "deleted 20 days after it reached us" in notice(client, "form-retention")
    with translation.override("ru"):
        page = client.get("/ru/let-us-know/privacy-notice/").content.decode()
    assert "через 60 дней после получения" in page

    now = timezone.now()
    ages = {"old-inbox": 61, "old-dismissed": 61, "recent-inbox": 59, "old-on-case": 400}
    case = CaseFactory()
    for name, days in ages.items():
        message = InboundMessage.objects.create(
            message_id=f"<{name}@x>",
            received_at=now - datetime.timedelta(days=days),
            status="dismissed"
            if "dismissed" in name
            else "on_case"
            if "case" in name
            else "unmatched",
            case=case if "case" in name else None,
        )
        attachment = InboundAttachment(
            message=message, filename="a.pdf", content_type="application/pdf", size=4
        )
        attachment.file.save("a.pdf", ContentFile(b"%PDF"))

    assert inbound_messages_prune(now=now) >= 2

    kept = set(InboundMessage.objects.values_list("message_id", flat=True))
    assert kept == {"<recent-inbox@x>", "<old-on-case@x>"}
    assert InboundAttachment.objects.count() == 2
