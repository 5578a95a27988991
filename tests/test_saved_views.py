"""Saved views of the case list: a name and the filters, per user."""

import pytest
from django.urls import reverse

from common.errors import DomainError
from savedviews.models import SavedView
from savedviews.services import NAME_REQUIRED, saved_view_save
from tests.factories import CaseFactory, CoordinatorFactory, region
from workspace.forms import CaseFilterForm

pytestmark = pytest.mark.django_db
ALLOWED = CaseFilterForm.base_fields


def test_a_view_keeps_the_filters_only(kurzeme_coordinator):
    view, created = saved_view_save(
        user=kurzeme_coordinator, name=" Jaunās ", allowed=ALLOWED,
        query="status=new&page=3&search=on&evil=1&work=all",
    )  # fmt: skip
    assert created and view.name == "Jaunās"
    assert view.query == "status=new&work=all"


def test_the_same_name_replaces_the_filters(kurzeme_coordinator):
    saved_view_save(user=kurzeme_coordinator, name="A", query="status=new", allowed=ALLOWED)
    view, created = saved_view_save(
        user=kurzeme_coordinator, name="A", query="status=contacted", allowed=ALLOWED
    )
    assert not created and view.query == "status=contacted"
    assert SavedView.objects.count() == 1


def test_a_view_needs_a_name(kurzeme_coordinator):
    with pytest.raises(DomainError) as error:
        saved_view_save(user=kurzeme_coordinator, name=" ", query="", allowed=ALLOWED)
    assert error.value.message == NAME_REQUIRED


def test_saved_view_through_the_list(client, kurzeme_coordinator):
    CaseFactory(status="contacted")
    client.force_login(kurzeme_coordinator)
    response = client.post(
        reverse("workspace:saved_view_create"),
        {"name": "Sazinātās", "query": "work=all&status=contacted"},
        follow=True,
    )
    assert "Sazinātās" in str(list(response.context["messages"])[0])
    assert [view.name for view in response.context["saved_views"]] == ["Sazinātās"]
    assert response.context["filter_form"]["status"].value() == "contacted"
    assert len(response.context["cases"]) == 1


def test_another_users_view_cannot_be_deleted(client, kurzeme_coordinator):
    view, _created = saved_view_save(
        user=kurzeme_coordinator, name="Mans", query="", allowed=ALLOWED
    )
    other = CoordinatorFactory(planning_region=region("ZEM"))
    client.force_login(other)
    response = client.post(reverse("workspace:saved_view_delete", args=[view.pk]))
    assert response.status_code == 404
    assert SavedView.objects.filter(pk=view.pk).exists()
    assert client.get(reverse("workspace:case_list")).context["saved_views"] == []

    client.force_login(kurzeme_coordinator)
    client.post(reverse("workspace:saved_view_delete", args=[view.pk]))
    assert not SavedView.objects.exists()
