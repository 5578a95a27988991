"""The unbound correction forms of the case page, each with the version it shows."""

from coordinators.services.versions import RETURNEE_VALUES, case_version

from ..edit_forms import CaseDetailsForm, ContactDetailsForm, HouseholdMemberForm


def detail_forms(case):
    """Contact details, municipality and timeframe, one form per household member and one
    to add a member."""
    returnee = case.returnee
    household_version = case_version(case=case, fields=("household",))
    contact = {name: getattr(returnee, name) for name in RETURNEE_VALUES}
    return {
        "contact_form": ContactDetailsForm(
            prefix="contact",
            initial={**contact, "version": case_version(case=case, fields=RETURNEE_VALUES)},
        ),
        "details_form": CaseDetailsForm(
            case=case,
            prefix="details",
            initial={
                "municipality": case.municipality_id,
                "timeframe": case.timeframe,
                "version": case_version(case=case, fields=("municipality", "timeframe")),
            },
        ),
        "household_forms": [
            (
                member,
                HouseholdMemberForm(
                    prefix=f"member-{member.pk}",
                    initial={
                        "relation": member.relation,
                        "birth_year": member.birth_year,
                        "version": household_version,
                    },
                ),
            )
            for member in returnee.household.all()
        ],
        "member_add_form": HouseholdMemberForm(
            prefix="member", initial={"version": household_version}
        ),
    }
