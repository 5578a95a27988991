"""The unbound correction forms of the case page, each with the version it shows."""

from django.conf import settings

from coordinators.services.versions import RETURNEE_VALUES, case_version
from transfers.models import CaseTransfer

from ..edit_forms import (
    CaseDetailsForm,
    ContactDetailsForm,
    FinalStepUndoForm,
    HouseholdMemberForm,
)
from ..transfer_forms import TransferProposeForm


def detail_forms(case):
    """Contact details, municipality and timeframe, and the household's forms."""
    contact = {name: getattr(case.returnee, name) for name in RETURNEE_VALUES}
    details = {"municipality": case.municipality_id, "timeframe": case.timeframe}
    return {
        "contact_form": ContactDetailsForm(
            prefix="contact",
            initial={**contact, "version": case_version(case=case, fields=RETURNEE_VALUES)},
        ),
        "details_form": CaseDetailsForm(
            case=case,
            prefix="details",
            initial={**details, "version": case_version(case=case, fields=tuple(details))},
        ),
        **household_forms(case),
        "undo_form": FinalStepUndoForm(prefix="undo", initial={"expected_status": case.status}),
        "undo_days": settings.FINAL_STEP_UNDO_DAYS,
    }


def household_forms(case):
    """One form per household member and one to add a member, all of the same version."""
    version = case_version(case=case, fields=("household",))
    members = [
        (member, HouseholdMemberForm(prefix=f"member-{member.pk}", initial={
            "relation": member.relation, "birth_year": member.birth_year, "version": version,
        }))
        for member in case.returnee.household.all()
    ]  # fmt: skip
    return {
        "household_forms": members,
        "member_add_form": HouseholdMemberForm(prefix="member", initial={"version": version}),
    }


def transfer_forms(case, user):
    """The case page's transfer form (unbound) and the case's open proposal, if any."""
    version = case_version(case=case, fields=("planning_region",))
    return {
        "transfer_form": TransferProposeForm(
            case=case, user=user, prefix="transfer", initial={"version": version}
        ),
        "open_transfer": CaseTransfer.objects.filter(
            case=case, status=CaseTransfer.Status.PROPOSED
        ).select_related("to_region").first(),
    }  # fmt: skip
