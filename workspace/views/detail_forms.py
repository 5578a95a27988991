"""The unbound correction forms of the case page, each with the version it shows."""

from django.conf import settings

from common.forms import choices_fetched
from coordinators.services.versions import RETURNEE_VALUES, case_version

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
    """The case page's transfer form (unbound); its open proposal is in `case_page_data`."""
    version = case_version(case=case, fields=("planning_region",))
    return {
        "transfer_form": TransferProposeForm(
            case=case, user=user, prefix="transfer", initial={"version": version}
        ),
    }


def choices_share(forms, *, case, reference):
    """The page's forms offer the same need categories, municipalities and regions: draw
    them all from one read of each (`CasePageReference`), bound forms with errors too.
    Each list is what the field's queryset holds (a submitted value is checked by it)."""
    region_id = case.planning_region_id
    lists = {
        ("needs_form", "needs"): reference.needs,
        ("request_form", "need"): reference.needs,
        ("request_form", "municipalities"): lambda: reference.municipalities_of_region(region_id),
        ("details_form", "municipality"): lambda: reference.municipalities_of_region(region_id),
        ("transfer_form", "to_region"): lambda: [
            region for region in reference.regions() if region.pk != region_id
        ],
        ("assign_form", "coordinator"): lambda: reference.coordinators_read(
            forms["assign_form"].fields["coordinator"].queryset
        ),
    }
    for (form_name, field_name), objects in lists.items():
        form = forms.get(form_name)
        if form is not None and field_name in form.fields:
            choices_fetched(form.fields[field_name], objects())
