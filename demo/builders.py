"""Builders for demo and benchmark data: history dated in the past and made in bulk, written
the way the domain services would have written it at the time.

The history builders live in the domain, where the history import uses them too:
`coordinators.services.history` (Step, history_events, history_append, cases_bulk_create,
pipeline_path, interaction_build) and `offers.services` (offer_version_build,
offers_from_history); they are named here as well so demo code keeps one import. What is
left here is for demo, benchmark and test data only: municipality requests and staff logins.
"""

from datetime import datetime
from typing import Any

from coordinators.models import Case, MunicipalityRequest, User
from coordinators.services.history import (
    MAIN_PATH,
    NOT_A_NEW_CASE,
    Step,
    cases_bulk_create,
    history_append,
    history_events,
    interaction_build,
    pipeline_path,
)
from municipalities.models import Municipality, NeedCategory, PlanningRegion
from offers.history import offer_version_build, offers_from_history

__all__ = [
    "MAIN_PATH",
    "NOT_A_NEW_CASE",
    "Step",
    "cases_bulk_create",
    "history_append",
    "history_events",
    "interaction_build",
    "municipality_request_build",
    "offer_version_build",
    "offers_from_history",
    "pipeline_path",
    "regional_coordinators_ensure",
    "staff_user_ensure",
]


def municipality_request_build(
    *,
    case: Case,
    need: NeedCategory,
    question: str,
    asked_at: datetime,
    created_by: User | None = None,
    answer: str = "",
    answered_at: datetime | None = None,
    municipality: Municipality | None = None,
) -> MunicipalityRequest:
    """An unsaved question to the case's municipality (or `municipality`), answered at
    `answered_at` or still open."""
    return MunicipalityRequest(
        case=case,
        municipality=municipality or case.municipality,
        need=need,
        question=question,
        status=(
            MunicipalityRequest.Status.ANSWERED if answered_at else MunicipalityRequest.Status.OPEN
        ),
        answer=answer,
        answered_at=answered_at,
        created_by=created_by,
        created_at=asked_at,
    )


def staff_user_ensure(
    *, username: str, role: str, password: str | None = None, **fields: Any
) -> User:
    """The staff user `username` with this role and these fields, created or updated; without
    a password the user cannot log in with one. Whether they reach the admin follows from the
    role (`User.save`)."""
    user, _created = User.objects.update_or_create(
        username=username, defaults={"role": role, **fields}
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save(update_fields=["password"])
    return user


def regional_coordinators_ensure(
    *, username_prefix: str = "bench", per_region: int = 1
) -> dict[tuple[str, int], User]:
    """`per_region` regional coordinators in each planning region, keyed by (region code,
    number): `bench-kur-0`, `bench-kur-1`, ... with an example.lv address."""
    coordinators = {}
    for region in PlanningRegion.objects.order_by("code"):
        for number in range(per_region):
            username = f"{username_prefix}-{region.code.lower()}-{number}"
            coordinators[(region.code, number)] = staff_user_ensure(
                username=username,
                role=User.Role.REGIONAL_COORDINATOR,
                planning_region=region,
                email=f"{username}@example.lv",
            )
    return coordinators
