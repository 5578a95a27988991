"""No silent overwrite: for each thing a page edits, two users load the same page and both
save; the second is told what changed and by whom, what they typed is shown again, and
nothing of the first's change is lost. Saving again (the page now carries the new version)
is a decision and goes through."""

import html
import re

import pytest
from django.urls import reverse

from common.versions import StaleEdit, version_changed_fields, version_check, version_token
from coordinators.models import CaseEvent, HouseholdMember, Interaction
from tests.factories import (
    CaseFactory,
    CoordinatorFactory,
    HouseholdMemberFactory,
    InteractionFactory,
    NationalAdminFactory,
    OfferFactory,
    OfferItemFactory,
    municipality,
    need,
)

pytestmark = pytest.mark.django_db

STALE_WORDS = "Kamēr jūs labojāt"  # the start of STALE_EDIT in Latvian


def version_in(response, name):
    match = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', response.text)
    assert match, f"no {name} on the page"
    return html.unescape(match.group(1))


@pytest.fixture
def two(client, kurzeme_coordinator):
    """Two coordinators of Kurzeme, each in a browser of their own."""
    from django.test import Client

    other = CoordinatorFactory(username="otra", first_name="Ilze", last_name="Bērziņa")
    first, second = client, Client()
    first.force_login(other)
    second.force_login(kurzeme_coordinator)
    return first, second


def load_both(two, url, name):
    first, second = two
    return version_in(first.get(url), name), version_in(second.get(url), name)


def assert_told(response, *words):
    assert response.status_code in (200, 400)
    assert STALE_WORDS in response.text
    assert "Ilze Bērziņa" in response.text  # by whom
    for word in words:
        assert word in response.text  # what the second user typed is still there


def test_version_names_exactly_the_fields_that_changed():
    token = version_token({"a": 1, "b": [1, 2]})

    assert version_changed_fields(token, {"a": 1, "b": [1, 2]}) == []
    assert version_changed_fields(token, {"a": 2, "b": [1, 2]}) == ["a"]
    assert version_changed_fields("garbage", {"a": 1}) == ["a"]
    version_check(version=None, values={"a": 3})  # no version: no check (bulk actions)
    with pytest.raises(StaleEdit) as error:
        version_check(version=token, values={"a": 1, "b": []}, labels={"b": "bērni"})
    assert error.value.fields == ["b"] and "bērni" in str(error.value.message)


def test_needs_two_users_both_save(two):
    case = CaseFactory(needs=[need("family")])
    url = reverse("workspace:case_needs", args=[case.reference])
    page = reverse("workspace:case_detail", args=[case.reference])
    v1, v2 = load_both(two, page, "needs-version")

    two[0].post(url, {"needs-needs": [need("family").pk, need("housing").pk], "needs-version": v1})
    response = two[1].post(url, {"needs-needs": [need("work").pk], "needs-version": v2})

    assert_told(response)
    assert set(case.needs.values_list("code", flat=True)) == {"family", "housing"}
    # The second user's choice is still ticked on the page.
    assert re.search(rf'value="{need("work").pk}"[^>]*checked', response.text)
    again = two[1].post(
        url,
        {"needs-needs": [need("work").pk], "needs-version": version_in(response, "needs-version")},
    )
    assert again.status_code == 302
    assert set(case.needs.values_list("code", flat=True)) == {"work"}
    event = CaseEvent.objects.filter(kind="details_changed", field="needs").first()
    assert (event.from_value, event.to_value) == ("family, housing", "work")


def test_assignment_two_users_both_save(two, kurzeme_coordinator):
    case = CaseFactory()
    third = CoordinatorFactory(username="tresais")
    page = reverse("workspace:case_detail", args=[case.reference])
    url = reverse("workspace:case_assign", args=[case.reference])
    v1, v2 = load_both(two, page, "assign-version")

    two[0].post(url, {"assign-coordinator": third.pk, "assign-version": v1})
    response = two[1].post(
        url, {"assign-coordinator": kurzeme_coordinator.pk, "assign-version": v2}
    )

    assert_told(response)
    case.refresh_from_db()
    assert case.coordinator == third
    events = CaseEvent.objects.filter(case=case, kind="assigned")
    assert list(events.values_list("from_value", "to_value")) == [("", "tresais")]


def test_follow_up_two_users_both_save(two):
    case = CaseFactory()
    page = reverse("workspace:case_detail", args=[case.reference])
    url = reverse("workspace:case_interaction", args=[case.reference])
    v1, v2 = load_both(two, page, "interaction-version")
    data = {"interaction-kind": "phone", "interaction-occurred_on": "01.11.2026"}

    first = {"interaction-summary": "Zvans", "interaction-follow_up_on": "15.12.2026"}
    two[0].post(url, {**data, **first, "interaction-version": v1})
    response = two[1].post(
        url, {**data, "interaction-summary": "Mana piezīme", "interaction-version": v2}
    )

    assert_told(response, "Mana piezīme")
    case.refresh_from_db()
    assert case.next_follow_up.isoformat() == "2026-12-15"  # the plan is not cleared
    assert Interaction.objects.filter(case=case).count() == 1


def test_contact_details_two_users_both_save(two):
    case = CaseFactory()
    page = reverse("workspace:case_detail", args=[case.reference])
    url = reverse("workspace:case_contact", args=[case.reference])
    v1, v2 = load_both(two, page, "contact-version")
    data = {"contact-first_name": "Ģirts", "contact-last_name": "Ķēniņš",
            "contact-email": case.returnee.email, "contact-country": "GB",
            "contact-town": "London", "contact-preferred_language": "lv"}  # fmt: skip

    two[0].post(url, {**data, "contact-phone": "+371 20000001", "contact-version": v1})
    response = two[1].post(url, {**data, "contact-phone": "+371 29999999", "contact-version": v2})

    assert_told(response, "+371 29999999")
    case.returnee.refresh_from_db()
    assert case.returnee.phone == "+37120000001"
    # The timeline names the field, never the number.
    event = CaseEvent.objects.get(kind="details_changed", field="phone")
    assert (event.from_value, event.to_value) == ("", "")


def test_municipality_and_timeframe_two_users_both_save(two):
    case = CaseFactory()
    page = reverse("workspace:case_detail", args=[case.reference])
    url = reverse("workspace:case_details", args=[case.reference])
    v1, v2 = load_both(two, page, "details-version")
    liepaja = municipality("Liepājas valstspilsēta")

    two[0].post(url, {"details-municipality": liepaja.pk, "details-timeframe": "not_sure",
                      "details-version": v1})  # fmt: skip
    response = two[1].post(url, {"details-municipality": "", "details-timeframe": "1_2_years",
                                 "details-version": v2})  # fmt: skip

    assert_told(response)
    case.refresh_from_db()
    assert (case.municipality, case.timeframe) == (liepaja, "not_sure")
    timeline = two[0].get(page).text
    assert "Plānotais laiks" in timeline or "plānotais laiks" in timeline.lower()


def test_household_two_users_both_save(two):
    case = CaseFactory()
    member = HouseholdMemberFactory(returnee=case.returnee, relation="other", birth_year=1980)
    page = reverse("workspace:case_detail", args=[case.reference])
    url = reverse("workspace:case_household_member", args=[case.reference, member.pk])
    prefix = f"member-{member.pk}"
    v1, v2 = load_both(two, page, f"{prefix}-version")

    two[0].post(url, {f"{prefix}-relation": "partner", f"{prefix}-birth_year": "1980",
                      f"{prefix}-version": v1})  # fmt: skip
    response = two[1].post(url, {f"{prefix}-relation": "parent", f"{prefix}-birth_year": "1955",
                                 f"{prefix}-version": v2})  # fmt: skip

    assert_told(response, 'value="1955"')
    member.refresh_from_db()
    assert (member.relation, member.birth_year) == ("partner", 1980)


def test_household_member_is_added_and_removed_on_the_timeline(two):
    case = CaseFactory()
    page = reverse("workspace:case_detail", args=[case.reference])
    version = version_in(two[0].get(page), "member-version")

    response = two[0].post(
        reverse("workspace:case_household", args=[case.reference]),
        {"member-relation": "child", "member-birth_year": "2015", "member-version": version},
    )
    assert response.status_code == 302
    member = HouseholdMember.objects.get(returnee=case.returnee)
    version = version_in(two[0].get(page), f"member-{member.pk}-version")
    two[0].post(
        reverse("workspace:case_household_member", args=[case.reference, member.pk]),
        {f"member-{member.pk}-relation": "child", f"member-{member.pk}-remove": "1",
         f"member-{member.pk}-version": version},
    )  # fmt: skip

    assert not HouseholdMember.objects.filter(returnee=case.returnee).exists()
    assert CaseEvent.objects.filter(case=case, field="household").count() == 2


def test_logged_contact_correction_two_users_both_save(two):
    case = CaseFactory()
    interaction = InteractionFactory(case=case, summary="Pirmais teksts")
    url = reverse("workspace:case_interaction_edit", args=[case.reference, interaction.pk])
    v1, v2 = load_both(two, url, "edit-version")
    data = {"edit-kind": "email", "edit-occurred_on": "01.11.2026"}

    assert (
        two[0].post(url, {**data, "edit-summary": "Labots", "edit-version": v1}).status_code == 302
    )
    response = two[1].post(url, {**data, "edit-summary": "Mans labojums", "edit-version": v2})

    assert_told(response, "Mans labojums")
    interaction.refresh_from_db()
    assert interaction.summary == "Labots"


def test_offer_section_text_two_users_both_save(two):
    case = CaseFactory()
    offer = OfferFactory(case=case)
    item = OfferItemFactory(offer=offer, text="Sākums")
    page = reverse("offers:detail", args=[case.reference, offer.version])
    url = reverse("offers:item_update", args=[case.reference, offer.version, item.pk])
    prefix = f"item-{item.pk}"
    v1, v2 = load_both(two, page, f"{prefix}-version")
    data = {f"{prefix}-title": item.title, f"{prefix}-contact": ""}

    two[0].post(url, {**data, f"{prefix}-text": "Pirmā teksts", f"{prefix}-version": v1})
    response = two[1].post(url, {**data, f"{prefix}-text": "Otrā teksts", f"{prefix}-version": v2})

    assert response.status_code == 400
    assert STALE_WORDS in response.text and "Otrā teksts" in response.text
    item.refresh_from_db()
    assert item.text == "Pirmā teksts"


def test_admin_change_form_two_admins_both_save(client):
    from django.test import Client

    first_admin = NationalAdminFactory(username="adm1", first_name="Ilze", last_name="Bērziņa")
    second_admin = NationalAdminFactory(username="adm2")
    case = CaseFactory()
    returnee = case.returnee
    url = reverse("admin:coordinators_returnee_change", args=[returnee.pk])
    first, second = client, Client()
    first.force_login(first_admin)
    second.force_login(second_admin)
    v1, v2 = version_in(first.get(url), "_version"), version_in(second.get(url), "_version")
    data = {"first_name": returnee.first_name, "last_name": returnee.last_name,
            "email": returnee.email, "country": "GB", "town": "London",
            "preferred_language": "lv",
            "household-TOTAL_FORMS": "0", "household-INITIAL_FORMS": "0"}  # fmt: skip

    saved = first.post(url, {**data, "phone": "+371 20000001", "_version": v1})
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    response = second.post(url, {**data, "phone": "+371 29999999", "_version": v2})

    assert response.status_code == 200
    assert STALE_WORDS in response.text and "Ilze Bērziņa" in response.text
    assert "+371 29999999" in response.text
    returnee.refresh_from_db()
    assert returnee.phone == "+371 20000001"
