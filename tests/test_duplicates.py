"""Probable duplicates: a Latvian-aware match when a case is created (the contact form, by
hand), flagged on both cases; a coordinator merges the two people within their scope, once,
or says they are different, which is remembered."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from common.errors import DomainError
from common.versions import StaleEdit
from coordinators.models import Case, CaseEvent, HouseholdMember, Interaction, Returnee
from duplicates.models import DuplicateCandidate
from duplicates.rules import match
from duplicates.services import (
    ALREADY_DECIDED,
    NOT_IN_SCOPE,
    candidate_version,
    duplicate_dismiss,
    duplicates_detect,
    returnee_merge,
)
from intake.services import case_create_from_contact_form
from offers.models import Offer
from privacy.models import Erasure
from tests.factories import (
    CaseFactory,
    CoordinatorFactory,
    InteractionFactory,
    OfferFactory,
    ReturneeFactory,
    municipality,
    need,
    region,
)

pytestmark = pytest.mark.django_db


def person(first, last, email="", phone=""):
    return Returnee(first_name=first, last_name=last, email=email, phone=phone).keys_fill()


@pytest.mark.parametrize(
    ("one", "other", "reasons"),
    [
        (("Jānis", "Kalniņš"), ("Janis", "Kalnins"), ("name",)),
        (("Anna", "Kalniņa"), ("Anna", "Kalniņu"), ("name",)),
        (("Jānis", "Bērziņš"), ("JĀNIS", "Bērziņa"), ("name",)),
        (("Pēteris", "Ozols"), ("Peteris", "Ozola"), ("name",)),
        (("Ilze", "Mednis"), ("Ilze", "Medne"), ("name",)),
        (("Сергей", "Иванов"), ("Sergei", "Ivanovs"), ("name",)),
        (("Kalniņš", "Jānis"), ("Jānis", "Kalniņš"), ("name",)),  # typed in the wrong boxes
        (("Jānis", "Bērziņš"), ("Jana", "Bērziņa"), ()),  # husband and wife
        (("Jānis", "Ozols"), ("Jānis", "Ozoliņš"), ()),
    ],
)
def test_names_match_whatever_the_diacritics_and_surname_ending(one, other, reasons):
    assert match(person(*one), person(*other)).reasons == reasons


@pytest.mark.parametrize(
    ("one", "other", "reasons", "probable"),
    [
        (
            ("Līga", "Liepa", "", "+37126123456"),
            ("Dace", "Liepa", "", "+37126123456"),
            ("phone",),
            False,  # a family's phone alone says nothing
        ),
        (
            ("Līga", "Liepa", "liga.liepa@gmail.com", ""),
            ("L", "L", "LigaLiepa+lv@inbox.lv", ""),
            ("email",),
            False,
        ),
        (
            ("Līga", "Liepa", "liga.liepa@gmail.com", "+37126123456"),
            ("L", "L", "ligaliepa@inbox.lv", "+37126123456"),
            ("phone", "email"),
            True,
        ),
        (
            ("Līga", "Liepa", "liga.liepa@gmail.com", "+37126123456"),
            ("Līga", "Liepiņa", "info@liepa.lv", "+37126123456"),
            ("phone",),
            False,
        ),
        (
            ("Līga", "Liepa", "info@a.lv", "+37126123456"),
            ("Liga", "Liepa", "info@b.lv", "+37126123456"),
            ("name", "phone"),  # "info" is too short to count
            True,
        ),
    ],
)
def test_phone_and_email_local_part_count_together(one, other, reasons, probable):
    result = match(person(*one), person(*other))
    assert (result.reasons, result.is_probable) == (reasons, probable)


def contact_data(**overrides):
    data = {
        "first_name": "Jānis",
        "last_name": "Bērziņš",
        "email": "janis.second@example.com",
        "phone": "",
        "country": "GB",
        "town": "",
        "preferred_language": "lv",
        "planning_region": region("KUR"),
        "municipality": None,
        "timeframe": "not_sure",
        "needs": [],
        "adults": 1,
        "children_ages": [],
        "message": "Sveiki",
    }
    return {**data, **overrides}


def test_a_contact_from_a_second_address_is_flagged_on_both_cases(client, kurzeme_coordinator):
    first = CaseFactory(returnee=ReturneeFactory(first_name="Jānis", last_name="Bērziņš"))

    second = case_create_from_contact_form(data=contact_data(last_name="Berzins"))

    candidate = DuplicateCandidate.objects.get()
    assert (candidate.case_a, candidate.case_b) == (first, second)
    assert candidate.reasons == ["name"]
    client.force_login(kurzeme_coordinator)
    for case in (first, second):
        page = client.get(reverse("workspace:case_detail", args=[case.reference]))
        assert page.context["duplicates"] == [(candidate, candidate.other_case(case))]
        assert "the same name" in page.content.decode() or "tas pats vārds" in (
            page.content.decode()
        )


def test_a_case_typed_in_by_hand_is_flagged_with_a_warning(client, kurzeme_coordinator):
    CaseFactory(returnee=ReturneeFactory(first_name="Anna", last_name="Kalniņa", phone=""))
    client.force_login(kurzeme_coordinator)

    response = client.post(
        reverse("workspace:case_create"),
        {"first_name": "Anna", "last_name": "Kalniņu", "preferred_language": "lv",
         "source": "phone", "municipality": municipality("Talsu novads").pk},
        follow=True,
    )  # fmt: skip

    assert DuplicateCandidate.objects.count() == 1
    assert response.context["duplicates"]
    assert len([m for m in response.context["messages"] if m.level_tag == "warning"]) == 1


def test_not_the_same_person_is_remembered(kurzeme_coordinator):
    CaseFactory(returnee=ReturneeFactory(first_name="Jānis", last_name="Bērziņš"))
    second = case_create_from_contact_form(data=contact_data())
    candidate = DuplicateCandidate.objects.get()

    duplicate_dismiss(candidate=candidate, actor=kurzeme_coordinator)
    third = CaseFactory(returnee=second.returnee)

    assert duplicates_detect(case=second) == []
    assert duplicates_detect(case=third) == []
    candidate.refresh_from_db()
    assert candidate.status == DuplicateCandidate.Status.DISMISSED
    with pytest.raises(DomainError) as error:
        duplicate_dismiss(candidate=candidate, actor=kurzeme_coordinator)
    assert error.value.message == ALREADY_DECIDED


@pytest.fixture
def pair(kurzeme_coordinator):
    """The same person twice in Kurzeme: an older record with a household, a contact and
    an offer; a newer one from the contact form with another address and a child."""
    earlier = timezone.now() - datetime.timedelta(days=30)
    first = CaseFactory(
        returnee=ReturneeFactory(
            first_name="Jānis", last_name="Bērziņš", email="janis@example.com", phone="",
            town="", consent_given_at=earlier, consent_version="2025-01",
        ),
        needs=[need("work")],
    )  # fmt: skip
    HouseholdMember.objects.create(returnee=first.returnee, relation="partner")
    InteractionFactory(case=first, summary="Zvanīju.")
    OfferFactory(case=first)
    second = case_create_from_contact_form(
        data=contact_data(
            email="berzins.j@example.org", phone="+447911765432", town="Leeds", adults=2,
            children_ages=[6],
        )
    )  # fmt: skip
    return first, second, DuplicateCandidate.objects.get()


def test_merge_keeps_everything_on_one_person(pair, kurzeme_coordinator):
    first, second, candidate = pair
    gone = second.returnee

    survivor = returnee_merge(
        candidate=candidate, survivor=first.returnee, actor=kurzeme_coordinator
    )

    assert set(survivor.cases.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert Interaction.objects.filter(case__returnee=survivor).count() == 2  # + the form's
    assert Offer.objects.filter(case__returnee=survivor).count() == 1
    # What the survivor's household lacks moves over (the form's second adult, the child).
    assert sorted(survivor.household.values_list("relation", "birth_year")) == [
        ("child", timezone.localdate().year - 6), ("other", None), ("partner", None),
    ]  # fmt: skip
    # An empty phone and town were filled from the other; the consent is the latest given.
    assert (survivor.email, survivor.phone, survivor.town) == (
        "janis@example.com", "+447911765432", "Leeds",
    )  # fmt: skip
    assert survivor.consent_given_at == gone.consent_given_at
    gone.refresh_from_db()
    assert Erasure.objects.get(returnee=gone).reason == Erasure.Reason.MERGE
    assert (gone.first_name, gone.email, gone.phone, gone.search_text) == ("—", "", "", "")
    assert not Returnee.objects.filter(email="berzins.j@example.org").exists()
    merged = CaseEvent.objects.filter(field="merged")
    assert {(event.case_id, event.to_value) for event in merged} == {
        (first.pk, second.reference),
        (second.pk, first.reference),
    }
    candidate.refresh_from_db()
    assert candidate.status == DuplicateCandidate.Status.MERGED
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.MERGE, reference=first.reference
    ).exists()
    # The merged person is found by the search, once.
    assert duplicates_detect(case=first) == []


def test_a_zemgale_coordinator_neither_sees_nor_merges_a_kurzeme_pair(
    client, pair, zemgale_coordinator
):
    first, _second, candidate = pair
    client.force_login(zemgale_coordinator)

    assert client.get(reverse("workspace:duplicate_list")).context["candidates"].count() == 0
    for name, method in (("duplicate_detail", "get"), ("duplicate_merge", "post"),
                         ("duplicate_dismiss", "post")):  # fmt: skip
        url = reverse(f"workspace:{name}", args=[candidate.pk])
        assert getattr(client, method)(url, {"survivor": first.returnee_id}).status_code == 404
    candidate.refresh_from_db()
    assert candidate.status == DuplicateCandidate.Status.OPEN


def test_a_person_with_a_case_in_another_region_is_merged_by_a_national_admin_only(
    pair, kurzeme_coordinator
):
    first, _second, candidate = pair
    CaseFactory(returnee=first.returnee, planning_region=region("ZEM"))

    with pytest.raises(DomainError) as error:
        returnee_merge(candidate=candidate, survivor=first.returnee, actor=kurzeme_coordinator)

    assert error.value.message == NOT_IN_SCOPE
    assert Case.objects.filter(returnee=first.returnee).count() == 2


def test_two_coordinators_cannot_merge_twice(client, pair, kurzeme_coordinator):
    first, second, candidate = pair
    other = CoordinatorFactory()
    url = reverse("workspace:duplicate_detail", args=[candidate.pk])
    late = Client()
    late.force_login(other)
    stale = late.get(url).context["merge_form"]["version"].value()
    client.force_login(kurzeme_coordinator)
    version = client.get(url).context["merge_form"]["version"].value()

    done = client.post(
        reverse("workspace:duplicate_merge", args=[candidate.pk]),
        {"survivor": second.returnee_id, "confirm": "on", "version": version},
    )
    again = late.post(
        reverse("workspace:duplicate_merge", args=[candidate.pk]),
        {"survivor": first.returnee_id, "confirm": "on", "version": stale},
        follow=True,
    )

    assert done["Location"] == reverse("workspace:case_detail", args=[second.reference])
    assert again.redirect_chain[-1][0] == url
    assert [m.level_tag for m in again.context["messages"]] == ["error"]
    assert Erasure.objects.get().returnee_id == first.returnee_id  # merged once, into second


def test_the_merge_asks_first_and_keeps_the_choice(client, pair, kurzeme_coordinator):
    first, second, candidate = pair
    client.force_login(kurzeme_coordinator)

    response = client.post(
        reverse("workspace:duplicate_merge", args=[candidate.pk]),
        {"survivor": second.returnee_id},
    )

    assert response.status_code == 200
    assert "confirm" in response.context["merge_form"].errors
    assert response.context["merge_form"]["survivor"].value() == str(second.returnee_id)
    assert DuplicateCandidate.objects.get().status == DuplicateCandidate.Status.OPEN


def test_dismiss_through_the_page(client, pair, kurzeme_coordinator):
    _first, _second, candidate = pair
    client.force_login(kurzeme_coordinator)
    page = client.get(reverse("workspace:duplicate_detail", args=[candidate.pk]))

    response = client.post(
        reverse("workspace:duplicate_dismiss", args=[candidate.pk]),
        {"version": page.context["dismiss_form"]["version"].value()},
    )

    assert response["Location"] == reverse("workspace:duplicate_list")
    candidate.refresh_from_db()
    assert candidate.status == DuplicateCandidate.Status.DISMISSED


def test_a_merge_over_a_newer_change_of_either_person_is_refused(pair, kurzeme_coordinator):
    first, second, candidate = pair
    version = candidate_version(candidate)
    other = second.returnee
    other.town = "York"
    other.save()  # someone corrected the other record meanwhile

    with pytest.raises(StaleEdit):
        returnee_merge(candidate=candidate, survivor=first.returnee, actor=kurzeme_coordinator,
                       version=version)  # fmt: skip

    assert not Erasure.objects.exists()
    assert DuplicateCandidate.objects.get().status == DuplicateCandidate.Status.OPEN


def test_the_merged_away_persons_address_and_phone_are_nowhere(pair, kurzeme_coordinator):
    """As an erasure: the other record's own identifiers stay in no text column."""
    from tests.test_erasure_everywhere import copies_left

    first, second, candidate = pair
    Returnee.objects.filter(pk=first.returnee_id).update(phone="+37126000000")

    returnee_merge(candidate=candidate, survivor=first.returnee, actor=kurzeme_coordinator)

    left = copies_left(identifiers=("berzins.j@example.org", "+447911765432"))
    assert left == []
