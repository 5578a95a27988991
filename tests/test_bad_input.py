"""Never a 500: the public and staff forms meet superscript digits, NUL bytes, very long
strings and dates past 9999 with a form error (or a refusal), and a NUL byte in a path is
a 404. The test client re-raises a view's exception, so a 500 fails the test."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from coordinators.models import Case, HouseholdMember, Interaction
from intake.forms import timestamp_token
from tests.factories import (
    CaseFactory,
    HouseholdMemberFactory,
    InteractionFactory,
    OfferFactory,
    OfferItemFactory,
    municipality,
    need,
)
from tests.test_contact_form import form_data

pytestmark = pytest.mark.django_db

BAD_VALUES = {
    "superscript": "²⁰¹⁵",
    "superscript_list": "², ³",
    "nul": "Ģirts\x00Ķ",
    "long": "ā" * 5000,
    "date_past_9999": "31.12.99999",
    "date_9999": "31.12.9999",
}


@pytest.fixture(autouse=True)
def contact_settings(settings):
    settings.CONTACT_FORM_MIN_FILL_SECONDS = 0
    settings.CONTACT_FORM_RATE_LIMIT = 10_000
    cache.clear()
    with translation.override("lv"):
        yield
    cache.clear()


def contact_form(case):
    """The valid "Dod ziņu!" form of the contact-form tests, one field spoiled at a time."""
    return "/dod-zinu/", form_data()


def case_create(case):
    return reverse("workspace:case_create"), {
        "first_name": "Ģirts",
        "last_name": "Ķēniņš",
        "email": "girts@example.com",
        "phone": "+371 20000000",
        "country": "GB",
        "town": "Londona",
        "preferred_language": "lv",
        "source": "phone",
        "municipality": str(municipality("Liepājas valstspilsēta").pk),
        "timeframe": Case.Timeframe.MONTHS_6_12,
        "children_birth_years": "2015, 2019",
        "needs": [str(need("family").pk)],
    }


def case_post(name, data):
    def build(case):
        return reverse(f"workspace:{name}", args=[case.reference]), dict(data)

    return build


def contact_edit(case):
    return reverse("workspace:case_contact", args=[case.reference]), {
        "contact-first_name": "Ģirts",
        "contact-last_name": "Ķēniņš",
        "contact-email": "girts2@example.com",
        "contact-phone": "+371 20000000",
        "contact-country": "GB",
        "contact-town": "Londona",
        "contact-preferred_language": "lv",
    }


def household_edit(case):
    member = HouseholdMemberFactory(returnee=case.returnee)
    url = reverse("workspace:case_household_member", args=[case.reference, member.pk])
    prefix = f"member-{member.pk}"
    return url, {
        f"{prefix}-relation": HouseholdMember.Relation.CHILD,
        f"{prefix}-birth_year": "2015",
    }


def interaction_edit(case):
    interaction = InteractionFactory(case=case)
    url = reverse("workspace:case_interaction_edit", args=[case.reference, interaction.pk])
    return url, {
        "edit-kind": Interaction.Kind.EMAIL,
        "edit-occurred_on": "01.02.2026",
        "edit-summary": "Labots",
    }


def offer_item(case):
    offer = OfferFactory(case=case)
    item = OfferItemFactory(offer=offer)
    url = reverse("offers:item_update", args=[case.reference, offer.version, item.pk])
    return url, {f"item-{item.pk}-title": "Bērnudārzs", f"item-{item.pk}-text": "Teksts"}


FORMS = {
    "contact_form": contact_form,
    "case_create": case_create,
    "interaction": case_post(
        "case_interaction",
        {
            "interaction-kind": "phone",
            "interaction-occurred_on": "01.02.2026",
            "interaction-summary": "Zvans",
            "interaction-follow_up_on": "01.03.2026",
        },
    ),
    "status": case_post(
        "case_status", {"status-to_status": "contacted", "status-expected_status": "new"}
    ),
    "assign": case_post("case_assign", {"assign-coordinator": ""}),
    "request": case_post("case_request", {"request-question": "Vai ir vieta?"}),
    "search": lambda case: (reverse("workspace:case_search"), {"q": "Ķēniņš", "next": "/"}),
    "details": case_post(
        "case_details", {"details-timeframe": "not_sure", "details-municipality": ""}
    ),
    "contact_edit": contact_edit,
    "household_add": case_post(
        "case_household", {"member-relation": "child", "member-birth_year": "2015"}
    ),
    "household_edit": household_edit,
    "interaction_edit": interaction_edit,
    "offer_item": offer_item,
}


@pytest.mark.parametrize("bad", BAD_VALUES)
@pytest.mark.parametrize("form", FORMS)
def test_bad_input_in_every_field_is_never_a_500(client, kurzeme_coordinator, form, bad):
    client.force_login(kurzeme_coordinator)
    case = CaseFactory()
    url, data = FORMS[form](case)
    if form == "contact_form":
        client.logout()
    for field in [name for name in data if name not in ("started", "homepage", "consent")]:
        if form == "contact_form":
            data["started"] = timestamp_token()
        response = client.post(url, {**data, field: BAD_VALUES[bad]})
        assert response.status_code in (200, 302, 400), (field, response.status_code)


@pytest.mark.parametrize("bad", BAD_VALUES)
def test_bad_values_in_the_case_list_filters_are_ignored(client, kurzeme_coordinator, bad):
    client.force_login(kurzeme_coordinator)
    CaseFactory()
    for name in ("status", "municipality", "need", "country", "coordinator", "created_to",
                 "sort", "page", "follow_up"):  # fmt: skip
        response = client.get(reverse("workspace:case_list"), {name: BAD_VALUES[bad]})
        assert response.status_code == 200


def test_superscript_children_ages_are_a_form_error(client):
    url, data = contact_form(None)
    response = client.post(url, {**data, "children_ages": "²"})

    assert response.status_code == 200
    assert "children_ages" in response.context["form"].errors
    assert not Case.objects.exists()


def test_superscript_birth_years_in_new_case_are_a_form_error(client, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)
    url, data = case_create(None)
    response = client.post(url, {**data, "children_birth_years": "²⁰¹⁵"})

    assert response.status_code == 200
    assert "children_birth_years" in response.context["form"].errors
    assert "²⁰¹⁵" in response.text  # what was typed is kept


@pytest.mark.parametrize(
    "path",
    [
        "/cases/%00/",
        "/en/cases/%00/",
        "/cases/%00/status/",
        "/cases/KUR-2026-%0000001/",
        "/cases/%00/offers/1/",
        "/dod-zinu/%00",
        "/requests/%00/",
        "/admin/coordinators/case/%00/change/",
    ],
)
def test_a_nul_byte_in_a_path_is_a_404(client, national_admin, path):
    client.force_login(national_admin)

    assert client.get(path).status_code == 404
    assert client.post(path).status_code in (403, 404)  # CSRF may answer first


def test_a_nul_byte_in_the_query_string_is_not_a_500(client, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)

    assert client.get("/cases/?q=%00&status=%00").status_code == 200
