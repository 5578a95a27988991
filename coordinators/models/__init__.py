"""Staff users, returnees and their households, cases and everything that happens on a case.

One module per concern; the names are imported here, as Django and the rest of the
portal expect them (`from coordinators.models import Case`).
"""

from .cases import (
    CLOSED_NEEDS_REASON,
    MUNICIPALITY_OUTSIDE_REGION,
    Case,
    CaseQuerySet,
    ReferenceSequence,
)
from .contacts import ContactSubmission, ContactSubmissionQuerySet
from .interactions import Interaction
from .links import PersonalLink, PersonalLinkQuerySet
from .people import HouseholdMember, Language, Returnee, ReturneeQuerySet, returnee_name_keys
from .pipeline import ALLOWED_TRANSITIONS, CaseEvent, case_event_snapshots_fill
from .requests import MunicipalityRequest, MunicipalityRequestQuerySet
from .users import ROLE_NEEDS_MUNICIPALITY, ROLE_NEEDS_REGION, User

__all__ = [
    "ALLOWED_TRANSITIONS",
    "CLOSED_NEEDS_REASON",
    "MUNICIPALITY_OUTSIDE_REGION",
    "ROLE_NEEDS_MUNICIPALITY",
    "ROLE_NEEDS_REGION",
    "Case",
    "CaseEvent",
    "CaseQuerySet",
    "ContactSubmission",
    "ContactSubmissionQuerySet",
    "HouseholdMember",
    "Interaction",
    "Language",
    "MunicipalityRequest",
    "MunicipalityRequestQuerySet",
    "PersonalLink",
    "PersonalLinkQuerySet",
    "ReferenceSequence",
    "Returnee",
    "ReturneeQuerySet",
    "User",
    "case_event_snapshots_fill",
    "returnee_name_keys",
]
