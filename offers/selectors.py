"""Reads for individual offers. Every lookup starts from `Case.objects.visible_to(user)`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from common.names import vocative
from coordinators.models import Case, Language, MunicipalityRequest, User
from municipalities.models import Municipality, MunicipalService, NeedCategory

from .models import ANSWER_WITHIN, Offer, OfferItem

# One need of an offer and its sections, in need order.
Section = tuple[NeedCategory, list[OfferItem]]


def case_get_for_offers(*, user: User, reference: str) -> Case:
    """The case the user may see, or 404 (the same for another region and for no case)."""
    return get_object_or_404(
        Case.objects.visible_to(user).select_related(
            "returnee", "planning_region", "municipality", "coordinator"
        ),
        reference=reference,
    )


def offer_get(*, case: Case, version: int) -> Offer:
    """One version of the case's offer, or 404."""
    return get_object_or_404(case.offers.select_related("created_by"), version=version)


def offer_list_for_case(*, case: Case) -> QuerySet[Offer]:
    """All versions of the case's offer, newest first."""
    return case.offers.select_related("created_by").order_by("-version")


def offer_items(*, offer: Offer) -> list[OfferItem]:
    return list(
        offer.items.select_related("need", "service__municipality").order_by("position", "id")
    )


def offer_sections(
    *, offer: Offer, items: list[OfferItem] | None = None, needs: Iterable[NeedCategory] = ()
) -> list[Section]:
    """The offer's items grouped by need, in need order: [(need, [items])].

    `needs` adds empty sections (the builder shows one per need of the case).
    """
    items = offer_items(offer=offer) if items is None else items
    by_need: dict[NeedCategory, list[OfferItem]] = {}
    for need in needs:
        by_need.setdefault(need, [])
    for item in items:
        by_need.setdefault(item.need, []).append(item)
    return sorted(by_need.items(), key=lambda pair: (pair[0].position, pair[0].code))


def offer_municipalities(
    *, offer: Offer, items: list[OfferItem] | None = None
) -> list[Municipality]:
    """Municipalities whose contacts the offer names: the case's and those of its services."""
    items = offer_items(offer=offer) if items is None else items
    ids = {item.service.municipality_id for item in items if item.service is not None}
    if offer.case.municipality_id:
        ids.add(offer.case.municipality_id)
    return list(Municipality.objects.filter(pk__in=ids).order_by("name"))


def catalogue_municipalities(*, case: Case) -> QuerySet[Municipality]:
    """Where the person considers living: the case's municipality, or else all of the
    region's municipalities while that is undecided."""
    if case.municipality_id:
        return Municipality.objects.filter(pk=case.municipality_id)
    if case.planning_region_id:
        return Municipality.objects.filter(planning_region_id=case.planning_region_id)
    return Municipality.objects.none()


def catalogue_for_case(*, case: Case) -> dict[int, list[MunicipalService]]:
    """Available catalogue services for the case, by need category id: {need_id: [service]}."""
    services = (
        catalogue_services_for_case(case=case)
        .select_related("municipality", "category")
        .order_by("municipality__name", "title")
    )
    grouped: dict[int, list[MunicipalService]] = {}
    for service in services:
        grouped.setdefault(service.category_id, []).append(service)
    return grouped


def answered_requests_for_case(*, case: Case, user: User) -> dict[int, list[MunicipalityRequest]]:
    """Municipalities' answers to the coordinator's questions on the case, by need id."""
    requests = (
        answered_requests_queryset(case=case, user=user)
        .exclude(answer="")
        .select_related("municipality", "need")
        .order_by("-answered_at", "-id")
    )
    grouped: dict[int, list[MunicipalityRequest]] = {}
    for request in requests:
        grouped.setdefault(request.need_id, []).append(request)
    return grouped


def offer_document_context(*, offer: Offer) -> dict[str, Any]:
    """What the PDF, the HTML preview and the e-mail show: one place, so they agree."""
    case = Case.objects.select_related(
        "returnee", "planning_region", "municipality", "coordinator"
    ).get(pk=offer.case_id)
    offer.case = case
    items = offer_items(offer=offer)
    coordinator = case.coordinator or offer.created_by
    sections = offer_sections(offer=offer, items=items)
    covered = {need.pk for need, _items in sections}
    first_name = case.returnee.first_name
    return {
        # The letter's greeting: "Labdien, Ģirt!" in Latvian, the plain first name otherwise.
        "greeting_name": vocative(first_name) if offer.language == Language.LATVIAN else first_name,
        # Needs of the case with no section yet: "we are still finding out", never empty.
        "open_needs": [need for need in case.needs.all() if need.pk not in covered],
        "answer_by": offer.answer_by or timezone.localdate() + ANSWER_WITHIN,
        "offer": offer,
        "case": case,
        "returnee": case.returnee,
        "planning_region": case.planning_region,
        "coordinator": coordinator,
        "sections": sections,
        "municipalities": offer_municipalities(offer=offer, items=items),
        "document_date": timezone.localtime(offer.sent_at or timezone.now()).date(),
    }


def catalogue_services_for_case(*, case: Case) -> QuerySet[MunicipalService]:
    """The queryset a builder may pick from: available services where the person may live."""
    return MunicipalService.objects.available().filter(
        municipality__in=catalogue_municipalities(case=case)
    )


def answered_requests_queryset(*, case: Case, user: User) -> QuerySet[MunicipalityRequest]:
    return MunicipalityRequest.objects.visible_to(user).filter(
        case=case, status=MunicipalityRequest.Status.ANSWERED
    )


def offer_builder_sections(*, offer: Offer, case: Case, user: User) -> list[dict[str, Any]]:
    """The builder's sections, one per need of the offer (for a draft, of the case too):
    its items and, for a draft, the catalogue's services and the municipalities' answers."""
    items = offer_items(offer=offer)
    is_draft = offer.status == offer.Status.DRAFT
    needs = list(case.needs.all()) if is_draft else []
    catalogue = catalogue_for_case(case=case) if is_draft else {}
    answers = answered_requests_for_case(case=case, user=user) if is_draft else {}
    return [
        {
            "need": need,
            "items": need_items,
            "services": catalogue.get(need.pk, []),
            "answers": answers.get(need.pk, []),
        }
        for need, need_items in offer_sections(offer=offer, items=items, needs=needs)
    ]
