"""Fixes found trying the workspace as a coordinator: the language switch both ways, no
Python reprs in texts, the confirm step of a final status, the page opening at the form
with the error, the flash message's markup."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from coordinators.models import Case, CaseEvent
from municipalities.models import NeedCategory
from tests.factories import CaseFactory, InteractionFactory
from workspace.forms import FINAL_STEP_UNCONFIRMED

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_client(client, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)
    return client


@pytest.mark.parametrize(
    ("next_url", "language", "expected"),
    [
        ("/en/cases/", "lv", "/cases/"),
        ("/cases/", "en", "/en/cases/"),
        ("/en/let-us-know/", "lv", "/dod-zinu/"),
        ("/dod-zinu/", "en", "/en/let-us-know/"),
    ],
)
def test_language_switch_goes_both_ways(coordinator_client, next_url, language, expected):
    response = coordinator_client.post(
        reverse("set_language"), {"language": language, "next": next_url}
    )

    assert response.status_code == 302
    assert response["Location"] == expected


def test_submission_details_show_needs_and_ages_as_words_not_reprs():
    needs = NeedCategory.objects.filter(code__in=["family", "housing"])
    data = {
        "first_name": "Ģirts", "last_name": "Ķēniņš", "phone": "", "town": "",
        "planning_region": None, "municipality": None, "adults": 2,
        "children_ages": [4, 9], "needs": needs,
    }  # fmt: skip

    text = render_to_string(
        "intake/email/submission_details.txt",
        {"data": data, "country": "Lielbritānija", "timeframe": "drīz"},
    )

    assert "QuerySet" not in text and "[4, 9]" not in text
    assert "4, 9" in text
    assert ", ".join(str(need) for need in needs) in text


def test_every_timeline_entry_kind_reads_without_python_reprs(coordinator_client):
    case = CaseFactory()
    for kind in CaseEvent.Kind.values:
        CaseEvent.objects.create(
            case=case, kind=kind, field="needs" if kind == "details_changed" else "",
            from_value="family" if kind == "details_changed" else "new",
            to_value="family, housing" if kind == "details_changed" else "contacted",
        )  # fmt: skip
    InteractionFactory(case=case)

    response = coordinator_client.get(reverse("workspace:case_detail", args=[case.reference]))

    timeline = response.text.split('id="timeline"', 1)[1]
    for repr_mark in ("QuerySet", "None", "[<", "<NeedCategory", "[]"):
        assert repr_mark not in timeline
    assert "Ģimene → Ģimene, Mājoklis" in timeline or "→" in timeline


@pytest.mark.parametrize("to_status", ["returned", "closed"])
def test_a_final_status_asks_for_confirmation(coordinator_client, to_status):
    case = CaseFactory()
    Case.objects.filter(pk=case.pk).update(status="contacted")
    url = reverse("workspace:case_status", args=[case.reference])
    data = {"status-to_status": to_status, "status-expected_status": "contacted",
            "status-closed_reason": "other", "status-note": "Piezīme"}  # fmt: skip

    response = coordinator_client.post(url, data)

    assert response.status_code == 200
    assert str(FINAL_STEP_UNCONFIRMED) in response.text
    assert "Piezīme" in response.text  # what was typed is kept
    case.refresh_from_db()
    assert case.status == "contacted"
    coordinator_client.post(url, {**data, "status-confirm_final": "on"})
    case.refresh_from_db()
    assert case.status == to_status


def test_the_page_opens_at_the_field_with_the_error(coordinator_client):
    case = CaseFactory()
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)

    response = coordinator_client.post(
        reverse("workspace:case_interaction", args=[case.reference]),
        {"interaction-kind": "phone", "interaction-summary": "Zvans",
         "interaction-occurred_on": f"{tomorrow:%d.%m.%Y}"},
    )  # fmt: skip

    field = re.search(r"<input[^>]*name=\"interaction-occurred_on\"[^>]*>", response.text)
    assert "autofocus" in field.group(0)
    assert response.text.count("autofocus") == 1


def test_a_flash_message_is_a_list_inside_a_status_region(coordinator_client):
    case = CaseFactory()
    coordinator_client.post(reverse("workspace:case_attention", args=[case.reference]))

    response = coordinator_client.get(reverse("workspace:case_detail", args=[case.reference]))

    assert re.search(r'<div role="status">\s*<ul class="messages">\s*<li', response.text)
    assert not re.search(r"<ul[^>]*role=", response.text)


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "Jāsazinās: 1 lieta"),
        (2, "Jāsazinās: 2 lietas"),
        (10, "Jāsazinās: 10 lietas"),
        (0, "Jāsazinās: 0 lietu"),
        (21, "Jāsazinās: 21 lieta"),
    ],
)
def test_the_digest_subject_has_the_three_latvian_plural_forms(count, expected):
    from django.utils import translation

    from coordinators.emails import DIGEST_SUBJECT

    with translation.override("lv"):
        assert str(DIGEST_SUBJECT % {"count": count}) == expected
