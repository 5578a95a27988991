"""Imported history counts in the reports exactly as the same history made in the portal.

One five-year story (2019–2023: a few dozen cases across the statuses, offers in one or two
versions, households, contacts) is imported into Kurzeme from a file, and made again in
Zemgale through the workspace services (case_create_by_hand, case_transition, the offer
services, interaction_log) run at the story's dates with time-machine. The report of each
year (`reports.figures.report.report_build`, what the report page shows) must be the same
for both regions.
"""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from coordinators.models import Case, Returnee
from coordinators.services.cases import case_create_by_hand
from coordinators.services.interactions import interaction_log
from coordinators.services.pipeline import case_transition
from imports.models import ImportJob
from offers.services import offer_item_update, offer_send
from reports.figures.filters import ReportFilters
from reports.figures.report import report_build
from tests import factories
from tests.factories import offer_draft_with_sections
from tests.import_files import csv_bytes

pytestmark = pytest.mark.django_db
S = Case.Status
YEARS = range(2019, 2024)
# (days after the first contact): the ways the cases of the story go.
PATHS = [
    [],  # still new
    [("contacted", 7), ("closed", 40, "no_response")],
    [("contacted", 5), ("needs_assessed", 20), ("offer_prepared", 35)],  # a draft
    [("contacted", 3), ("offer_prepared", 30), ("offer_sent", 36), ("decided_to_return", 60),
     ("returned", 150)],
    [("contacted", 10), ("needs_assessed", 25), ("offer_prepared", 40), ("offer_sent", 45),
     ("offer_prepared", 70), ("offer_sent", 80), ("decided_to_return", 200)],
    [("contacted", 2), ("returned", 100), ("closed", 300, "other")],
    [("contacted", 14), ("decided_to_return", 30), ("closed", 90, "not_returning")],
]  # fmt: skip
HOUSEHOLDS = [[], [("partner", 1984)], [("partner", 1980), ("child", 2012), ("child", 2016)]]
SOURCES = ["contact_form", "email", "phone", "event", "other"]


def story():
    """36 cases, first contacts spread over 2019–2023, some histories crossing a new year."""
    cases = []
    for number in range(36):
        year = 2019 + number % 5
        created = datetime.date(year, 1 + (number * 7) % 12, 1 + (number * 3) % 27)
        steps = [(name, created + datetime.timedelta(days=days), *rest)
                 for name, days, *rest in PATHS[number % len(PATHS)]]  # fmt: skip
        contacts = [(created + datetime.timedelta(days=1), "phone", "Pirmā saruna")]
        if number % 3 == 0:
            contacts.append((created + datetime.timedelta(days=12), "email", ""))
        cases.append({
            "number": number, "created": created, "steps": steps, "contacts": contacts,
            "household": HOUSEHOLDS[number % 3], "source": SOURCES[number % 5],
            "needs": ["housing", "work"][: 1 + number % 2],
        })  # fmt: skip
    return cases


def dotted(day):
    return day.strftime("%d.%m.%Y")


def file_rows(cases):
    rows = []
    for case in cases:
        row = {
            "first_name": "Imants", "last_name": f"Importētais{case['number']}",
            "email": f"imported{case['number']}@example.com", "country": "IE",
            "legacy_reference": f"K-{case['number']}", "municipality": "Liepājas valstspilsēta",
            "source": case["source"], "needs": ", ".join(case["needs"]),
            "created": dotted(case["created"]),
            "household": "; ".join(f"{relation} {year}" for relation, year in case["household"]),
            "contacts": "; ".join(f"{dotted(day)} {kind}" + (f": {text}" if text else "")
                                  for day, kind, text in case["contacts"]),
        }  # fmt: skip
        for name, day, *rest in case["steps"]:
            row[name] = f"{row[name]}; {dotted(day)}" if name in row else dotted(day)
            if rest:
                row["closed_reason"] = rest[0]
        rows.append(row)
    return rows


def at(day, minutes=0):
    """The moment the import gives a date: 09:00 Riga time, a minute per step of the day."""
    local = datetime.datetime.combine(day, datetime.time(9, 0))
    return timezone.make_aware(local) + datetime.timedelta(minutes=minutes)


def make_by_hand(cases, coordinator):
    """The same story, in Zemgale, through the services a coordinator uses, on its dates."""
    jelgava = factories.municipality("Jelgavas valstspilsēta")
    for spec in cases:
        with time_machine.travel(at(spec["created"]), tick=False):
            number = spec["number"]
            returnee = Returnee(first_name="Roberts", last_name=f"Rokām{number}",
                                email=f"by-hand{number}@example.com", country="IE")  # fmt: skip
            case = case_create_by_hand(
                returnee=returnee,
                case=Case(
                    planning_region=coordinator.planning_region,
                    municipality=jelgava,
                    source=spec["source"],
                ),  # fmt: skip
                needs=[factories.need(code) for code in spec["needs"]],
                household=spec["household"],
                actor=coordinator,
            )
        events = [(day, name, rest) for name, day, *rest in spec["steps"]]
        events += [(day, "contact", (kind, text)) for day, kind, text in spec["contacts"]]
        offer = None
        for minutes, (day, name, rest) in enumerate(sorted(events, key=lambda e: e[0]), 1):
            with time_machine.travel(at(day, minutes), tick=False):
                case.refresh_from_db()
                offer = step_by_hand(case, coordinator, name, rest, day, offer)


def step_by_hand(case, coordinator, name, rest, day, offer):
    if name == "contact":
        kind, text = rest
        interaction_log(case=case, kind=kind, occurred_on=day, summary=text or "Importēts",
                        author=coordinator)  # fmt: skip
    elif name == "offer_prepared":
        offer = offer_draft_with_sections(case=case, actor=coordinator)
        for item in offer.items.all():  # one section per need, to be written before sending
            offer_item_update(item=item, title=item.title, text="Dzīvoklis.", contact="")
    elif name == "offer_sent":
        offer_send(offer=offer, actor=coordinator)
    else:
        case_transition(case=case, to_status=name, actor=coordinator,
                        closed_reason=rest[0] if rest else "")  # fmt: skip
    return offer


def report(code, year):
    filters = ReportFilters(
        date_from=datetime.date(year, 1, 1),
        date_to=datetime.date(year, 12, 31),
        regions=(factories.region(code),),
    )
    built = report_build(filters)
    return {
        "headline": built.headline,
        "sources": built.sources,
        "closed_by_reason": built.closed_by_reason,
        "funnel": built.funnel,
        "trend": [{**point, "month": point["month"]} for point in built.trend],
    }


def test_five_years_imported_count_as_the_same_five_years_made_in_the_portal(
    client, django_capture_on_commit_callbacks, kurzeme_coordinator, zemgale_coordinator
):
    cases = story()
    client.force_login(kurzeme_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        upload = SimpleUploadedFile("kurzeme.csv", csv_bytes(file_rows(cases)))
        client.post(reverse("imports:upload"), {"file": upload})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.READY, job.problems
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:start", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    make_by_hand(cases, zemgale_coordinator)

    for year in YEARS:
        imported, by_hand = report("KUR", year), report("ZEM", year)
        assert imported == by_hand, year
    # The figures compared are real ones, not zeros on both sides.
    totals = {key: sum(report("KUR", year)["headline"][key] for year in YEARS)
              for key in ("new_contacts", "offers_prepared", "offers_sent", "wish_to_return",
                          "returned", "household_returned")}  # fmt: skip
    assert totals == {"new_contacts": 36, "offers_prepared": 20, "offers_sent": 15,
                      "wish_to_return": 15, "returned": 10, "household_returned": 12}  # fmt: skip
