"""A person's GDPR rights: everything we hold on them, and erasure; plus retention.

An access request is answered in two steps: the page asks (`data_export_request`, a row and
a task, nothing built), the worker builds the ZIP and stores it (`data_export_build`, which
writes the access request into the audit trail); the requester downloads it for 24 hours.

Erasure removes what identifies the person (name, e-mail, phone, town, the texts written
about them, their mail) and keeps the case skeleton (region, municipality, dates, statuses,
needs, country, household relations and birth years) so the programme's figures stay the same.
"""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from datetime import timedelta
from typing import Any

from auditlog.context import disable_auditlog
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from audit.services import audit_record
from common.dates import date_text, datetime_text
from common.errors import DomainError
from common.net import client_ip
from common.tasks import task_enqueue_on_commit
from coordinators.models import (
    Case,
    CaseEvent,
    ContactSubmission,
    Interaction,
    MunicipalityRequest,
    Returnee,
    User,
)
from offers.models import Offer, OfferItem
from offers.pdf import offer_pdf, offer_pdf_filename
from outbox.models import Attachment, Email
from transfers.models import CaseTransfer

from . import erasure
from .erasure import ERASED
from .models import DataExport, Erasure
from .signals import returnee_erased

ALREADY_ERASED = _("This person's data has already been erased.")
OTHER_REGION_CASES = _(
    "This person also has a case in another planning region. Ask a national administrator, "
    "who sees all of the person's cases, to answer the request."
)
BAD_RETENTION_PERIOD = _("The retention period must be between 1 and 600 months.")
DATA_EXPORT_LIFETIME = timedelta(hours=24)
# A request still pending after this long lost its task (a worker that died): ask anew.
DATA_EXPORT_STALE = timedelta(minutes=10)


def is_erased(returnee: Returnee) -> bool:
    return Erasure.objects.filter(returnee=returnee).exists()


def _check_whole_person_in_scope(*, returnee: Returnee, actor: User | None) -> None:
    """A data request or erasure covers every case of the person, so the user must be
    allowed to see every one of them (the system itself, actor None, always is)."""
    if actor is None:
        return
    hidden = Case.objects.filter(returnee=returnee).exclude(
        pk__in=Case.objects.visible_to(actor).values("pk")
    )
    if hidden.exists():
        raise DomainError(OTHER_REGION_CASES)


@transaction.atomic
def returnee_erase(
    *,
    returnee: Returnee,
    actor: User | None = None,
    request: HttpRequest | None = None,
    reason: str = Erasure.Reason.REQUEST,
) -> Returnee:
    """Erase the person's identifying data everywhere we keep it. Irreversible. Apps above
    privacy forget their own copies on `privacy.signals.returnee_erased`, sent before the
    commit with `identifiers`: the full name, names, e-mail and phone as they were (a tuple
    of non-empty strings, longest first), so a failing receiver undoes the whole erasure."""
    returnee = Returnee.objects.select_for_update().get(pk=returnee.pk)
    _check_whole_person_in_scope(returnee=returnee, actor=actor)
    if is_erased(returnee):
        raise DomainError(ALREADY_ERASED)
    identifiers = erasure.Identifiers.of(returnee)
    objects = erasure.person_objects(returnee)  # before the person's unsent mail is deleted
    cases = Case.objects.filter(returnee=returnee)
    with disable_auditlog():  # the erasure must not copy the old values into the history
        Returnee.objects.filter(pk=returnee.pk).update(
            first_name=ERASED, last_name=ERASED, email="", phone="", town="",
            search_text="", name_key="", email_key="", updated_at=timezone.now(),
        )  # fmt: skip
        Interaction.objects.filter(case__in=cases).update(summary=ERASED)
        MunicipalityRequest.objects.filter(case__in=cases).update(question=ERASED)
        MunicipalityRequest.objects.filter(case__in=cases).exclude(answer="").update(answer=ERASED)
        CaseEvent.objects.filter(case__in=cases).update(note="")
        MunicipalityRequest.objects.filter(case__in=cases).update(withdrawn_note="")
        CaseTransfer.objects.filter(case__in=cases).update(note=ERASED, decision_note="")
        OfferItem.objects.filter(offer__case__in=cases).update(text="", contact="")
        erasure.own_texts_scrub(cases=cases, identifiers=identifiers)
        erasure.outbox_scrub(cases=cases, identifiers=identifiers)
        cases.update(needs_attention=False)
    DataExport.objects.filter(case__returnee=returnee).delete()
    # Contact forms sent with the person's address and not yet checked: what was typed.
    ContactSubmission.objects.filter(existing_returnee=returnee).delete()
    # … and forms the worker failed on (still as received), sent with the person's address.
    if identifiers.email:
        ContactSubmission.objects.filter(
            status=ContactSubmission.Status.RECEIVED, data__email__iexact=identifiers.email
        ).delete()
    erasure.admin_log_scrub(objects=objects, identifiers=identifiers)
    erasure.history_scrub(objects=objects, identifiers=identifiers)
    Erasure.objects.create(returnee=returnee, reason=reason, erased_by=actor)
    audit_record(
        action=AuditEntry.Action.ERASURE, request=request, actor=actor, obj=returnee,
        reference=cases.values_list("reference", flat=True).first() or "", detail=reason,
    )  # fmt: skip
    returnee.refresh_from_db()
    returnee_erased.send(sender=Returnee, returnee=returnee, identifiers=identifiers.all())
    return returnee


def data_export_request(
    *, case: Case, actor: User, request: HttpRequest | None = None
) -> DataExport:
    """Ask the worker for everything held on the case's person, as a ZIP. Refused at once
    when the person has a case the user may not see; a request of the same user for the same
    case that is still being prepared is not made twice."""
    _check_whole_person_in_scope(returnee=case.returnee, actor=actor)
    now = timezone.now()
    pending = DataExport.objects.filter(
        case=case,
        requested_by=actor,
        status=DataExport.Status.PENDING,
        created_at__gt=now - DATA_EXPORT_STALE,
    ).first()
    if pending is not None:
        return pending
    export = DataExport.objects.create(
        case=case,
        requested_by=actor,
        requested_from=client_ip(request),
        created_at=now,
        expires_at=now + DATA_EXPORT_LIFETIME,
    )
    task_enqueue_on_commit("privacy.tasks.data_export_build_task", export_id=str(export.pk))
    return export


def data_export_build(*, export_id: str) -> bool:
    """In the worker: build a pending export's ZIP and store it; the access request goes into
    the audit trail as the ZIP is stored. False when there is nothing (left) to build: built
    already, expired, or deleted by an erasure meanwhile. A failure marks the export failed
    and is raised again, so the task is recorded as failed."""
    export = (
        DataExport.objects.current()
        .pending(export_id)
        .select_related("case__returnee", "requested_by")
        .first()
    )
    if export is None:
        return False
    returnee = export.case.returnee
    pending = DataExport.objects.pending(export.pk)
    try:
        _check_whole_person_in_scope(returnee=returnee, actor=export.requested_by)
        content, reference = returnee_data_archive(returnee=returnee)
    except Exception:
        pending.update(status=DataExport.Status.FAILED, finished_at=timezone.now())
        raise
    with transaction.atomic():
        stored = pending.update(
            status=DataExport.Status.READY, content=content, finished_at=timezone.now()
        )
        if stored:
            audit_record(
                action=AuditEntry.Action.ACCESS_REQUEST, actor=export.requested_by,
                obj=returnee, reference=reference, ip_address=export.requested_from,
            )  # fmt: skip
    return bool(stored)


def data_export_download(*, export: DataExport, request: HttpRequest) -> bytes:
    """The ZIP for its requester (or a national administrator), written to the audit trail."""
    audit_record(
        action=AuditEntry.Action.DOWNLOAD, request=request, obj=export.case.returnee,
        reference=export.case.reference, detail="personal data (ZIP)",
    )  # fmt: skip
    return bytes(export.content)


def data_exports_prune(*, now: datetime.datetime | None = None) -> int:
    """Delete exports past their 24 hours (daily job): a person's data is not kept twice."""
    return DataExport.objects.prune(now)


def returnee_data_archive(*, returnee: Returnee) -> tuple[bytes, str]:
    """Everything the portal holds on a person, as a ZIP of JSON (and offer PDFs), and the
    reference of their first case (for the audit trail)."""
    cases = list(
        Case.objects.filter(returnee=returnee)
        .select_related("planning_region", "municipality", "coordinator")
        .prefetch_related(
            "needs", "events", "interactions", "municipality_requests__municipality",
            "municipality_requests__need", "offers__items__need", "emails",
        )
    )  # fmt: skip
    data = {
        "generated_at": _date(timezone.now()),
        "person": {
            "first_name": returnee.first_name,
            "last_name": returnee.last_name,
            "email": returnee.email,
            "phone": returnee.phone,
            "country_of_residence": returnee.country.code,
            "town_of_residence": returnee.town,
            "preferred_language": returnee.preferred_language,
            "consent_given_at": _date(returnee.consent_given_at),
            "consent_text_version": returnee.consent_version,
            "created_at": _date(returnee.created_at),
        },
        "household": [
            {"relation": member.relation, "birth_year": member.birth_year}
            for member in returnee.household.all()
        ],
        "cases": [_case_data(case) for case in cases],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "personal-data.json", json.dumps(data, ensure_ascii=False, indent=2, default=str)
        )
        for name, content in _offer_pdfs(cases):
            archive.writestr(name, content)
    return buffer.getvalue(), cases[0].reference if cases else ""


def _case_data(case: Case) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "planning_region": str(case.planning_region or ""),
        "municipality": str(case.municipality or ""),
        "coordinator": str(case.coordinator or ""),
        "status": case.status,
        "closed_reason": case.closed_reason,
        "source": case.source,
        "needs": [need.code for need in case.needs.all()],
        "planned_timeframe": case.timeframe,
        "next_follow_up": _date(case.next_follow_up),
        "created_at": _date(case.created_at),
        "history": [
            {"at": _date(event.created_at), "kind": event.kind, "from": event.from_value,
             "to": event.to_value, "note": event.note}
            for event in case.events.all()
        ],
        "contacts": [
            {"date": _date(item.occurred_on), "kind": item.kind, "summary": item.summary,
             "follow_up": _date(item.follow_up_on)}
            for item in case.interactions.all()
        ],
        "municipality_requests": [
            {"municipality": str(item.municipality), "need": item.need.code,
             "question": item.question, "answer": item.answer, "status": item.status}
            for item in case.municipality_requests.all()
        ],
        "offers": [
            {"version": offer.version, "language": offer.language, "status": offer.status,
             "sent_at": _date(offer.sent_at),
             "sections": [{"need": item.need.code, "title": item.title, "text": item.text,
                           "contact": item.contact} for item in offer.items.all()]}
            for offer in case.offers.all()
        ],
        "emails": [
            {"to": mail.to, "subject": mail.subject, "text": mail.body, "status": mail.status,
             "sent_at": _date(mail.sent_at)}
            for mail in case.emails.all()
        ],
    }  # fmt: skip


def _offer_pdfs(cases: Iterable[Case]) -> Iterator[tuple[str, bytes]]:
    """The offers as the family received them: (file name, PDF bytes) per sent version; an
    imported version has no document (its dates are in the JSON)."""
    for case in cases:
        for offer in case.offers.all():
            if offer.status != Offer.Status.DRAFT and offer.has_document:
                yield f"offers/{offer_pdf_filename(offer)}", offer_pdf(offer=offer)


def _date(value: datetime.date | None) -> str | None:
    if value is None:
        return None
    return datetime_text(value) if isinstance(value, datetime.datetime) else date_text(value)


def retention_candidates(
    *, months: int, now: datetime.datetime | None = None
) -> QuerySet[Returnee]:
    """Returnees not yet erased whose every case was closed more than `months` ago."""
    if not 1 <= months <= 600:
        raise DomainError(BAD_RETENTION_PERIOD)
    cutoff = (now or timezone.now()) - timedelta(days=round(months * 30.44))
    recent_or_open = Case.objects.filter(returnee=OuterRef("pk")).filter(
        ~Q(status=Case.Status.CLOSED) | Q(status_changed_at__gte=cutoff)
    )
    return (
        Returnee.objects.filter(cases__isnull=False, erasure__isnull=True)
        .exclude(Exists(recent_or_open))
        .distinct()
        .order_by("pk")
    )


def retention_mail_candidates(
    *, days: int, now: datetime.datetime | None = None
) -> QuerySet[Email]:
    """Sent e-mail older than `days` whose text is still stored."""
    cutoff = (now or timezone.now()) - timedelta(days=days)
    return Email.objects.filter(status=Email.Status.SENT, sent_at__lt=cutoff).exclude(
        body="", html_body=""
    )


@transaction.atomic
def retention_apply(
    *,
    months: int | None = None,
    mail_days: int | None = None,
    now: datetime.datetime | None = None,
) -> tuple[int, int]:
    """Erase people past the retention period and empty old sent mail. Returns the counts."""
    months = settings.RETENTION_MONTHS if months is None else months
    mail_days = settings.OUTBOX_RETENTION_DAYS if mail_days is None else mail_days
    people = list(retention_candidates(months=months, now=now))
    for returnee in people:
        returnee_erase(returnee=returnee, reason=Erasure.Reason.RETENTION)
    mails = retention_mail_candidates(days=mail_days, now=now)
    Attachment.objects.filter(email__in=mails).delete()
    mail_count = mails.update(body="", html_body="")
    return len(people), mail_count
