"""Out-of-range dates are a form error, never a 500: the list filter, the report's period,
the follow-up date, and every date field of the portal's forms."""

import inspect
from importlib import import_module

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils.module_loading import module_has_submodule

from common.fields import DATE_OUT_OF_RANGE, FIRST_YEAR, LAST_YEAR, DateField
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = ["31.12.9999", "01.01.0001", "31.12.1899", "01.01.2101"]
MESSAGE = str(DATE_OUT_OF_RANGE % {"first": FIRST_YEAR, "last": LAST_YEAR})


def portal_forms():
    """Every form class defined in the `forms` module of the portal's own apps."""
    for config in apps.get_app_configs():
        if not str(config.path).startswith(str(settings.BASE_DIR)) or ".venv" in str(config.path):
            continue
        if not module_has_submodule(config.module, "forms"):
            continue
        module = import_module(f"{config.name}.forms")
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                yield value


def test_every_date_field_of_the_portals_forms_is_the_shared_one():
    date_fields = [
        (form.__name__, name, type(field))
        for form in portal_forms()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.DateField)
    ]
    assert len(date_fields) >= 6  # the list filter, the report period, the contact's dates
    assert [item for item in date_fields if item[2] is not DateField] == []


@pytest.mark.parametrize("value", OUT_OF_RANGE)
@pytest.mark.parametrize("name", ["created_from", "created_to"])
def test_case_list_filter_with_an_impossible_date_says_so(client, kurzeme_coordinator, name, value):
    CaseFactory()
    client.force_login(kurzeme_coordinator)

    response = client.get(reverse("workspace:case_list"), {name: value})

    assert response.status_code == 200
    # The filter is ignored with a message naming it; what was typed stays in the field.
    label = str(response.context["filter_form"].fields[name].label)
    (message,) = [str(message) for message in response.context["messages"]]
    assert label in message and "netika ņemts vērā" in message
    assert f'value="{value}"' in response.text


@pytest.mark.parametrize("value", OUT_OF_RANGE)
@pytest.mark.parametrize("name", ["date_from", "date_to"])
def test_report_period_with_an_impossible_date_says_so(client, kurzeme_coordinator, name, value):
    client.force_login(kurzeme_coordinator)
    query = {"date_from": "01.01.2024", "date_to": "31.12.2024", name: value}

    for url in ("reports:report", "reports:export_xlsx", "reports:export_csv"):
        response = client.get(reverse(url), query, follow=True)
        assert response.status_code == 200, url
        assert MESSAGE in response.text or "01.01.1900" in response.text, url


@pytest.mark.parametrize("value", ["31.12.9999", "01.01.0001"])
def test_follow_up_date_out_of_range_is_a_form_error(client, kurzeme_coordinator, value):
    case = CaseFactory(coordinator=kurzeme_coordinator)
    client.force_login(kurzeme_coordinator)

    response = client.post(
        reverse("workspace:case_interaction", args=[case.reference]),
        {
            "interaction-kind": "call",
            "interaction-occurred_on": "01.02.2025",
            "interaction-summary": "Zvanīju.",
            "interaction-follow_up_on": value,
        },
    )

    assert response.status_code == 200
    assert "01.01.1900" in response.text
    assert f'value="{value}"' in response.text
    assert not case.interactions.exists()
