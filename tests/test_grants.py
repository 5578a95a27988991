"""The grant competition: applying, the deadline, the maximum, scoring with conflicts of
interest, the chair's decision within the budget, reports back and the exports."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from common.dates import datetime_text
from common.errors import DomainError
from grants import documents, services
from grants.models import Application, Call, CallExport, ConflictDeclaration
from grants.selectors import call_results
from tests.factories import (
    AnalystFactory,
    CoordinatorFactory,
    SpecialistFactory,
    grant_application,
    grant_call,
    municipality,
    region,
)

pytestmark = pytest.mark.django_db


def close(call):
    """The deadline has passed (the committee's work starts)."""
    Call.objects.filter(pk=call.pk).update(deadline=timezone.now() - datetime.timedelta(hours=1))
    call.refresh_from_db()


@pytest.fixture
def people():
    chair = CoordinatorFactory(first_name="Ilze", last_name="Priekšsēdētāja")
    member = AnalystFactory(first_name="Jānis", last_name="Vērtētājs")
    return {
        "chair": chair,
        "member": member,
        "liepaja": SpecialistFactory(),
        "ventspils": SpecialistFactory(municipality=municipality("Ventspils valstspilsēta")),
        "outsider": AnalystFactory(),
    }


@pytest.fixture
def call(people):
    return grant_call(members=[people["chair"], people["member"]], chair=people["chair"])


def test_specialist_drafts_and_submits_an_application_in_decimal_euros(client, call, people):
    client.force_login(people["liepaja"])

    response = client.post(reverse("grants:apply", args=[call.pk]), {"title": "Sēta"})
    application = Application.objects.get()
    assert response.url == reverse("grants:application_detail", args=[application.pk])
    client.post(
        reverse("grants:activity_add", args=[application.pk]),
        {
            "kind": "seminars", "title": "Seminārs Dublinā", "planned_start": "01.03.2026",
            "planned_end": "02.03.2026", "expected_reach": "40",
            "lines-TOTAL_FORMS": "3", "lines-INITIAL_FORMS": "0",
            "lines-0-description": "Telpu īre", "lines-0-amount": "1200.10",
            "lines-1-description": "Ceļš", "lines-1-amount": "0.20",
        },
    )  # fmt: skip
    response = client.post(reverse("grants:submit", args=[application.pk]), follow=True)

    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.requested_total() == Decimal("1200.30")
    assert "Pieteikums iesniegts vērtēšanas komisijai." in response.content.decode()


def test_costs_above_the_maximum_are_refused_by_the_service(call, people):
    application = grant_application(call=call, specialist=people["liepaja"], submit=False)

    with pytest.raises(DomainError) as refused:
        services.activity_add(
            application=application, kind="visits", title="Vizīte", expected_reach=5,
            planned_start=datetime.date(2026, 4, 1), planned_end=datetime.date(2026, 4, 2),
            budget_lines=[("Ceļš", Decimal("100.01"))],
        )  # fmt: skip

    assert refused.value.message == services.OVER_MAXIMUM % {
        "total": services.money_text(Decimal("10000.01")),
        "maximum": services.money_text(Decimal("10000.00")),
    }
    assert application.requested_total() == Decimal("9900.00")


def test_an_activity_form_with_a_bad_date_keeps_what_was_typed(client, call, people):
    application = grant_application(call=call, specialist=people["liepaja"], submit=False)
    client.force_login(people["liepaja"])

    response = client.post(
        reverse("grants:activity_add", args=[application.pk]),
        {"kind": "seminars", "title": "Seminārs Korkā", "planned_start": "31.02.2026",
         "planned_end": "01.03.2026", "expected_reach": "x",
         "lines-TOTAL_FORMS": "3", "lines-INITIAL_FORMS": "0",
         "lines-0-description": "Telpas", "lines-0-amount": "-5"},
    )  # fmt: skip

    assert response.status_code == 200
    page = response.content.decode()
    assert "Seminārs Korkā" in page and "31.02.2026" in page
    assert response.context["budget_formset"].forms[0].errors["amount"]
    assert application.activities.count() == 1


def test_after_the_deadline_the_form_refuses_a_new_application(client, call, people):
    close(call)
    client.force_login(people["liepaja"])

    response = client.post(reverse("grants:apply", args=[call.pk]), {"title": "Par vēlu"})

    closed = services.CALL_CLOSED % {"deadline": datetime_text(call.deadline)}
    assert response.status_code == 200
    assert closed in response.content.decode()
    assert not Application.objects.exists()
    with pytest.raises(DomainError) as refused:
        services.application_create(call=call, actor=people["liepaja"], title="Par vēlu")
    assert refused.value.message == closed


def test_a_draft_cannot_be_submitted_after_the_deadline(call, people):
    application = grant_application(call=call, specialist=people["liepaja"], submit=False)
    close(call)

    with pytest.raises(DomainError) as refused:
        services.application_submit(application=application)
    assert refused.value.message == services.CALL_CLOSED % {
        "deadline": datetime_text(call.deadline)
    }


def test_a_municipality_sees_only_its_own_applications(client, call, people):
    liepaja = grant_application(call=call, specialist=people["liepaja"])
    ventspils = grant_application(call=call, specialist=people["ventspils"], costs=["500"])
    client.force_login(people["ventspils"])

    assert client.get(reverse("grants:application_detail", args=[liepaja.pk])).status_code == 404
    page = client.get(reverse("grants:call_detail", args=[call.pk])).content.decode()
    assert reverse("grants:application_detail", args=[ventspils.pk]) in page
    assert reverse("grants:application_detail", args=[liepaja.pk]) not in page
    assert list(Application.objects.visible_to(people["ventspils"])) == [ventspils]


def test_a_committee_member_sees_only_the_calls_they_sit_on(client, call, people):
    other = grant_call(
        region_code="ZEM", members=[CoordinatorFactory(planning_region=region("ZEM"))]
    )

    assert list(Call.objects.visible_to(people["member"])) == [call]
    assert not Call.objects.visible_to(people["outsider"]).exists()
    client.force_login(people["member"])
    assert client.get(reverse("grants:call_detail", args=[other.pk])).status_code == 404


def test_a_member_who_declares_a_conflict_cannot_score_and_it_is_recorded(client, call, people):
    application = grant_application(call=call, specialist=people["liepaja"])
    client.force_login(people["member"])

    client.post(reverse("grants:conflict", args=[application.pk]), {"note": "Radinieks"})
    response = client.post(
        reverse("grants:score", args=[application.pk]),
        {f"criterion_{criterion.pk}": "5" for criterion in call.criteria.all()},
    )

    declaration = ConflictDeclaration.objects.get()
    assert (declaration.member, declaration.note) == (people["member"], "Radinieks")
    assert str(services.CONFLICT_DECLARED) in response.content.decode()
    assert not application.scores.exists()


def test_a_score_outside_the_criterion_range_is_a_field_error(client, call, people):
    application = grant_application(call=call, specialist=people["liepaja"])
    client.force_login(people["chair"])
    first, *others = call.criteria.all()

    response = client.post(
        reverse("grants:score", args=[application.pk]),
        {f"criterion_{first.pk}": "6"} | {f"criterion_{c.pk}": "3" for c in others},
    )

    assert response.status_code == 200
    assert response.context["form"].errors[f"criterion_{first.pk}"]
    assert not application.scores.exists()


def test_the_chair_sees_weighted_totals_and_averages(call, people, django_assert_max_num_queries):
    one = grant_application(call=call, specialist=people["liepaja"])
    two = grant_application(call=call, specialist=people["ventspils"], costs=["3000"])
    weights = {criterion.pk: criterion for criterion in call.criteria.all()}
    scores = dict(zip(weights, (5, 4, 3), strict=True))  # 3×5 + 2×4 + 1×3 = 26
    services.score_record(application=one, member=people["chair"], scores=scores)
    services.score_record(
        application=one, member=people["member"], scores=dict.fromkeys(weights, 2)
    )
    services.conflict_declare(application=two, member=people["member"])

    with django_assert_max_num_queries(6):
        results = call_results(call=call)

    assert [result.application for result in results] == [one, two]
    assert results[0].average == 19  # (26 + 12) / 2 of 30
    assert results[0].percent == 63.3
    assert [sheet.conflict for sheet in results[1].members] == [False, True]
    assert results[1].average is None


def decide(call, people, awards, **kwargs):
    return services.call_decide(
        call=call, actor=people["chair"], awards=awards, version=None, **kwargs
    )


def test_the_decision_keeps_each_award_within_what_was_asked_and_the_maximum(call, people):
    application = grant_application(call=call, specialist=people["liepaja"])
    close(call)

    with pytest.raises(DomainError) as refused:
        decide(call, people, {application.pk: Decimal("9900.01")})
    assert refused.value.message == services.AWARD_OVER_REQUESTED % {
        "municipality": "Liepājas valstspilsēta",
        "requested": services.money_text(Decimal("9900.00")),
    }
    with pytest.raises(DomainError, match=str(services.NOT_THE_CHAIR)):
        services.call_decide(
            call=call, actor=people["member"], awards={application.pk: 1}, version=None
        )


def test_the_awards_together_stay_within_the_budget(call, people):
    Call.objects.filter(pk=call.pk).update(total_budget=Decimal("12000"))
    one = grant_application(call=call, specialist=people["liepaja"])
    two = grant_application(call=call, specialist=people["ventspils"], costs=["3000"])
    close(call)

    with pytest.raises(DomainError) as refused:
        decide(call, people, {one.pk: Decimal("9900"), two.pk: Decimal("3000")})
    assert refused.value.message == services.AWARDS_OVER_BUDGET % {
        "total": services.money_text(Decimal("12900.00")),
        "budget": services.money_text(Decimal("12000.00")),
    }
    decide(call, people, {one.pk: Decimal("9900"), two.pk: Decimal("0")})

    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.status, one.awarded_amount) == ("awarded", Decimal("9900.00"))
    assert (two.status, two.awarded_amount) == ("rejected", Decimal("0.00"))


def test_no_decision_before_the_deadline(call, people):
    application = grant_application(call=call, specialist=people["liepaja"])

    with pytest.raises(DomainError, match=str(services.DECIDE_AFTER_DEADLINE)):
        decide(call, people, {application.pk: Decimal("100")})


def test_the_municipality_sees_its_result_only_after_the_decision(client, call, people):
    application = grant_application(call=call, specialist=people["liepaja"])
    close(call)
    client.force_login(people["liepaja"])
    url = reverse("grants:application_detail", args=[application.pk])
    assert "application-award" not in client.get(url).content.decode()

    decide(call, people, {application.pk: Decimal("9900")})

    page = client.get(url).content.decode()
    assert "application-award" in page and "9900,00" in page


def test_a_decision_over_a_newer_one_is_refused_with_what_was_typed(client, call, people):
    application = grant_application(call=call, specialist=people["liepaja"])
    close(call)
    client.force_login(people["chair"])
    url = reverse("grants:decision", args=[call.pk])
    form = client.get(url).context["form"]
    decide(call, people, {application.pk: Decimal("5000")})

    response = client.post(
        url,
        {
            f"award_{application.pk}": "9900",
            "note": "Atbalstīt",
            "version": form.initial["version"],
        },
    )

    assert response.context["form"].non_field_errors()
    application.refresh_from_db()
    assert application.awarded_amount == Decimal("5000.00")


def test_a_funded_activity_reports_back(client, call, people):
    application = grant_application(call=call, specialist=people["liepaja"])
    close(call)
    decide(call, people, {application.pk: Decimal("9900")})
    activity = application.activities.get()
    client.force_login(people["liepaja"])

    client.post(
        reverse("grants:activity_report", args=[application.pk, activity.pk]),
        {"done": "on", "spent": "9850.50", "people_reached": "130", "events_held": "6",
         "reported_events": "Semināri Dublinā, Londonā"},
    )  # fmt: skip

    activity.refresh_from_db()
    assert (activity.done, activity.spent, activity.events_held) == (True, Decimal("9850.50"), 6)


def test_an_unfunded_activity_has_no_report_page(client, call, people):
    application = grant_application(call=call, specialist=people["liepaja"])
    activity = application.activities.get()
    client.force_login(people["liepaja"])

    url = reverse("grants:activity_report", args=[application.pk, activity.pk])
    assert client.get(url).status_code == 404


def test_the_xlsx_export_escapes_typed_formulae(client, call, people):
    application = grant_application(call=call, specialist=people["liepaja"])
    Application.objects.filter(pk=application.pk).update(title='=HYPERLINK("http://x")')
    client.force_login(people["chair"])

    response = client.get(reverse("grants:export_xlsx", args=[call.pk]))

    sheet = load_workbook(io.BytesIO(response.content))["Pieteikumi"]
    assert sheet["B2"].value == '\'=HYPERLINK("http://x")'
    assert sheet["E2"].value == 9900


def test_the_pdf_is_made_by_the_worker_for_the_chair_who_asked(
    client, call, people, django_capture_on_commit_callbacks
):
    grant_application(call=call, specialist=people["liepaja"])
    client.force_login(people["chair"])

    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("grants:export_pdf", args=[call.pk]))
    export = CallExport.objects.get()
    assert export.status == "pending" and export.content == b""  # nothing made in the request
    assert documents.call_pdf_build(export_id=str(export.pk)) is True

    url = reverse("grants:pdf_download", args=[call.pk, export.pk])
    assert client.get(url).content.startswith(b"%PDF")
    client.force_login(people["member"])
    assert client.get(url).status_code == 404
    assert client.post(reverse("grants:export_pdf", args=[call.pk])).status_code == 404


def test_a_coordinator_opens_a_call_for_their_own_region_only(client, people):
    coordinator = CoordinatorFactory()
    client.force_login(coordinator)
    data = {
        "title": "Konkurss 2027", "planning_region": region("ZEM").pk, "total_budget": "40000",
        "maximum_per_municipality": "10000", "deadline_date": "31.01.2027",
        "deadline_time": "17:00", "activity_kinds": ["seminars", "visits"],
        "criteria": "Atbilstība; 3; 5", "members": [people["chair"].pk],
        "chair": people["chair"].pk,
    }  # fmt: skip

    refused = client.post(reverse("grants:call_create"), data)
    created = client.post(
        reverse("grants:call_create"), data | {"planning_region": region("KUR").pk}
    )

    assert refused.context["form"].errors["planning_region"]
    call = Call.objects.get()
    assert created.url == reverse("grants:call_detail", args=[call.pk])
    assert timezone.localtime(call.deadline).strftime("%d.%m.%Y %H:%M") == "31.01.2027 17:00"
    assert call.chair() == people["chair"]


def test_after_the_decision_no_score_or_declaration_changes_it(call, people):
    application = grant_application(call=call, specialist=people["liepaja"])
    scores = {criterion.pk: 3 for criterion in call.criteria.all()}
    services.score_record(application=application, member=people["chair"], scores=scores)
    close(call)
    decide(call, people, {application.pk: Decimal("9900")})
    application.refresh_from_db()

    for change in (
        lambda: services.score_record(
            application=application, member=people["member"], scores=scores
        ),
        lambda: services.conflict_declare(application=application, member=people["member"]),
    ):
        with pytest.raises(DomainError, match=str(services.ALREADY_DECIDED)):
            change()
    assert application.scores.count() == len(scores) and not application.conflicts.exists()
