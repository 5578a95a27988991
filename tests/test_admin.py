import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from coordinators.models import Case, CaseEvent
from tests.factories import (
    CaseFactory,
    InteractionFactory,
    MunicipalServiceFactory,
    OfferItemFactory,
    ReturneeFactory,
    region,
)

pytestmark = pytest.mark.django_db

MODELS = list(admin.site._registry)


def admin_url(model, action):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}")


@pytest.fixture
def some_data():
    case = CaseFactory()
    InteractionFactory(case=case)
    OfferItemFactory(offer__case=case)
    MunicipalServiceFactory()
    return case


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_every_changelist_answers_a_superuser(client, superuser, some_data, model):
    client.force_login(superuser)
    assert client.get(admin_url(model, "changelist")).status_code == 200
    # The search box and every filter render with data too.
    assert client.get(admin_url(model, "changelist"), {"q": "Ķēniņš"}).status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_every_add_page_answers_a_superuser(client, superuser, model):
    client.force_login(superuser)
    response = client.get(admin_url(model, "add"))
    can_add = admin.site._registry[model].has_add_permission(response.wsgi_request)
    assert response.status_code == (200 if can_add else 403)


def test_case_change_page_shows_events_and_interactions_inline(client, superuser, some_data):
    client.force_login(superuser)
    response = client.get(reverse("admin:coordinators_case_change", args=[some_data.pk]))
    assert response.status_code == 200
    assert "Runājām par bērnudārzu." in response.text
    assert some_data.reference in response.text


def test_case_added_in_admin_gets_reference_and_created_event(client, superuser):
    client.force_login(superuser)
    returnee = ReturneeFactory()
    kurzeme = region("KUR")
    response = client.post(
        reverse("admin:coordinators_case_add"),
        {
            "returnee": returnee.pk,
            "planning_region": kurzeme.pk,
            "municipality": kurzeme.municipalities.first().pk,
            "source": "phone",
            "timeframe": "not_sure",
            "needs": [],
            "created_at_0": "20.11.2026",
            "created_at_1": "14:30:00",
            **inline_management("interactions"),
            **inline_management("municipality_requests"),
            **inline_management("events"),
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    case = Case.objects.get(source="phone")
    assert case.reference == "KUR-2026-00001"
    assert timezone.localtime(case.created_at).strftime("%d.%m.%Y %H:%M") == "20.11.2026 14:30"
    assert case.events.get().kind == CaseEvent.Kind.CREATED
    assert case.events.get().actor == superuser


def inline_management(prefix):
    return {
        f"{prefix}-TOTAL_FORMS": "0",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_case_events_cannot_be_edited_or_deleted_in_admin(client, superuser, some_data):
    client.force_login(superuser)
    event = some_data.events.get()
    change = reverse("admin:coordinators_caseevent_change", args=[event.pk])
    delete = reverse("admin:coordinators_caseevent_delete", args=[event.pk])
    assert client.post(change, {"note": "rewritten"}).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert CaseEvent.objects.get(pk=event.pk).note == ""


def test_admin_case_list_of_a_coordinator_shows_only_their_region(client, zemgale_coordinator):
    zemgale_coordinator.user_permissions.add(
        Permission.objects.get(codename="view_case"),
        Permission.objects.get(codename="change_case"),
    )
    kurzeme_case = CaseFactory()
    zemgale_case = CaseFactory(planning_region=region("ZEM"))
    client.force_login(zemgale_coordinator)

    response = client.get(admin_url(Case, "changelist"))
    assert zemgale_case.reference in response.text
    assert kurzeme_case.reference not in response.text
    other = client.get(reverse("admin:coordinators_case_change", args=[kurzeme_case.pk]))
    assert other.status_code == 302  # the admin's "does not exist" redirect, no data shown
    assert kurzeme_case.returnee.last_name not in client.get(other.url).text
