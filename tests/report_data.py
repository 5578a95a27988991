"""A dataset for the report tests whose figures are known in advance.

Cases are created through `case_create` and move through
`coordinators.services.history.history_append`, which writes the status events
`case_transition` would have written on the chosen days. The expected figures below are
worked out by hand from the story of each case, not computed by the code under test.
"""

import datetime

from django.utils import timezone

from coordinators.models import Case, HouseholdMember
from coordinators.services.history import Step, history_append
from offers.history import offer_version_build
from tests import factories

S = Case.Status
LIEPAJA = "Liepājas valstspilsēta"
VENTSPILS = "Ventspils valstspilsēta"
JELGAVA = "Jelgavas valstspilsēta"


def at(year, month, day):
    """Noon of a day in Riga time."""
    return timezone.make_aware(datetime.datetime(year, month, day, 12, 0))


def make_case(
    when,
    *,
    region="KUR",
    municipality=None,
    country="GB",
    source="contact_form",
    needs=(),
    timeframe=Case.Timeframe.WITHIN_6_MONTHS,
    household=(),
):
    """A case created on the day `when` through the service, with its person and household."""
    returnee = factories.ReturneeFactory(country=country)
    for relation in household:
        HouseholdMember.objects.create(returnee=returnee, relation=relation, birth_year=2015)
    return factories.CaseFactory(
        returnee=returnee,
        planning_region=factories.region(region) if region else None,
        municipality=factories.municipality(municipality) if municipality else None,
        source=source,
        timeframe=timeframe,
        needs=[factories.need(code) for code in needs],
        created_at=at(*when),
    )


def move(case, status, when, *, actor=None, reason=""):
    """Change the status on the day `when`, as `case_transition` would have then."""
    history_append(case=case, steps=[Step(status, at(*when), reason, actor)])


def offer(case, version, created, sent=None):
    """Offer version `version` of the case, prepared on `created` and sent on `sent` (or a
    draft)."""
    version_offer = offer_version_build(
        case=case, version=version, created_at=at(*created), sent_at=at(*sent) if sent else None
    )
    version_offer.save()
    return version_offer


def build():
    """Kurzeme, Zemgale and the national queue across 2020-2023; returns the cases by name."""
    c = {}
    # K1: came in 2021, wished (Feb 2022) and returned (May 2022) with a partner and a child.
    c["K1"] = k1 = make_case(
        (2021, 11, 10),
        municipality=LIEPAJA,
        country="GB",
        source="email",
        needs=["housing"],
        household=["partner", "child"],
    )
    move(k1, S.CONTACTED, (2021, 12, 1))
    offer(k1, 1, (2021, 12, 15), (2021, 12, 20))
    move(k1, S.DECIDED_TO_RETURN, (2022, 2, 10))
    move(k1, S.RETURNED, (2022, 5, 5))
    # K2: 2022, two offer versions, decided twice (back to offer preparation between).
    c["K2"] = k2 = make_case(
        (2022, 1, 20),
        municipality=LIEPAJA,
        country="IE",
        needs=["family", "work"],
        household=["child"],
    )
    move(k2, S.CONTACTED, (2022, 1, 25))
    move(k2, S.OFFER_PREPARATION, (2022, 2, 1))
    offer(k2, 1, (2022, 2, 3), (2022, 2, 10))
    move(k2, S.OFFER_SENT, (2022, 2, 10))
    move(k2, S.DECIDED_TO_RETURN, (2022, 3, 1))
    move(k2, S.OFFER_PREPARATION, (2022, 3, 15))
    offer(k2, 2, (2022, 3, 20), (2022, 4, 1))
    move(k2, S.OFFER_SENT, (2022, 4, 1))
    move(k2, S.DECIDED_TO_RETURN, (2022, 4, 10))
    move(k2, S.RETURNED, (2022, 6, 15))
    # K3: closed in July 2022 for no response, reopened in September: open at the end.
    c["K3"] = k3 = make_case(
        (2022, 3, 5), municipality=VENTSPILS, country="DE", source="event", needs=["work"]
    )
    move(k3, S.CONTACTED, (2022, 3, 10))
    move(k3, S.CLOSED, (2022, 7, 1), reason="no_response")
    move(k3, S.CONTACTED, (2022, 9, 1))
    # K4: closed, not returning.
    c["K4"] = k4 = make_case(
        (2022, 6, 1), municipality=VENTSPILS, country="NO", timeframe=Case.Timeframe.YEARS_1_2
    )
    move(k4, S.CONTACTED, (2022, 6, 10))
    move(k4, S.CLOSED, (2022, 10, 1), reason="not_returning")
    # K5: a phone call in December 2022, still new.
    c["K5"] = make_case((2022, 12, 20), municipality=LIEPAJA, country="GB", source="phone")
    # K6: all in 2023.
    c["K6"] = k6 = make_case((2023, 1, 15), municipality=LIEPAJA, country="GB")
    move(k6, S.CONTACTED, (2023, 2, 1))
    move(k6, S.RETURNED, (2023, 3, 1))
    # K7: closed before 2022.
    c["K7"] = k7 = make_case((2020, 5, 1), municipality=LIEPAJA)
    move(k7, S.CLOSED, (2021, 1, 10), reason="no_response")
    # K8: returned in 2021, the case closed in August 2022.
    c["K8"] = k8 = make_case((2021, 6, 1), municipality=LIEPAJA)
    move(k8, S.CONTACTED, (2021, 6, 10))
    move(k8, S.RETURNED, (2021, 9, 1))
    move(k8, S.CLOSED, (2022, 8, 1), reason="other")
    # Zemgale.
    c["Z1"] = z1 = make_case(
        (2022, 4, 1), region="ZEM", municipality=JELGAVA, household=["partner", "child", "child"]
    )
    move(z1, S.CONTACTED, (2022, 4, 5))
    move(z1, S.DECIDED_TO_RETURN, (2022, 5, 1))
    move(z1, S.RETURNED, (2022, 8, 1))
    c["Z2"] = z2 = make_case((2022, 5, 1), region="ZEM", municipality=JELGAVA, country="IE")
    offer(z2, 1, (2022, 5, 10))
    # The national queue: not yet given to a region.
    c["Q1"] = make_case((2022, 7, 7), region=None, country="GB")
    return c


# Kurzeme, 01.01.2022-31.12.2022, worked out by hand.
KURZEME_2022 = {
    "new_contacts": 4,  # K2, K3, K4, K5
    "active": 2,  # K3 (reopened), K5 (new)
    "offers_prepared": 2,  # K2 v1, v2
    "offers_sent": 2,
    "wish_to_return": 2,  # K1, K2 (twice, counted once)
    "returned": 2,  # K1, K2
    "household_returned": 3,  # K1: 2, K2: 1
    "people_returned": 5,
    "median_offer": 14.0,  # K2: 20.01 -> 03.02
    "median_return": 161.0,  # K1: 176 days, K2: 146 days (less an hour of summer time)
}
KURZEME_2022_SOURCES = {"contact_form": 2, "email": 0, "phone": 1, "event": 1, "other": 0}
# K3 was closed for no response in July and reopened in September: it still counts as a
# closing of the period, by the reason given then.
KURZEME_2022_CLOSED = {"no_response": 1, "not_returning": 1, "other": 1}
KURZEME_2022_FUNNEL = [4, 1, 1, 1, 1]
# All regions and the national queue, 2022.
NATIONAL_2022 = {
    "active": 4,  # K3, K5, Z2, Q1
    "new_contacts": 7,
    "offers_prepared": 3,
    "offers_sent": 2,
    "wish_to_return": 3,
    "returned": 3,
    "household_returned": 6,
    "people_returned": 9,
}
ZEMGALE_2022 = {"new_contacts": 2, "offers_prepared": 1, "returned": 1, "people_returned": 4}
