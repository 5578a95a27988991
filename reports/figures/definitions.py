"""What each figure counts, and the tables that name the figures on the page and in exports."""

from django.utils.translation import gettext_lazy as _

# What each figure counts, shown on the page and in every export. Keep in step with the code.
DEFINITIONS = {
    "new_contacts": _(
        "New contacts: cases created within the period (the case's “created” event), "
        "by the source of the first contact."
    ),
    "active": _(
        "People in contact: cases created before the end of the period whose status at the "
        "end of the period (the last status in the case history up to then) was neither "
        "“returned” nor “closed”."
    ),
    "offers_prepared": _(
        "Individual offers prepared: offers created within the period; every new version of "
        "an offer counts."
    ),
    "offers_sent": _("Individual offers sent: offers whose sending date is within the period."),
    "wish_to_return": _(
        "Expressed the wish to return: cases whose status changed to “decided to return” "
        "within the period; a case counts once however often it changed."
    ),
    "returned": _(
        "Returned: cases whose status changed to “returned” within the period; a case counts once."
    ),
    "household_returned": _(
        "Household members who returned with them: for each returned case, the members of "
        "the returnee's household (partners, children, parents, other relatives), counted "
        "separately."
    ),
    "people_returned": _("People returned in total: returned cases plus their household members."),
    "closed": _(
        "Closed: cases whose status changed to “closed” within the period, by the reason "
        "given when they were closed (a case closed twice for different reasons counts "
        "under each)."
    ),
    "median_offer": _(
        "Median days to the first offer: for the cases whose first offer was created within "
        "the period, the median of the days from the case's creation to that offer."
    ),
    "median_return": _(
        "Median days to return: for the cases that returned within the period, the median of "
        "the days from the case's creation to its first “returned” status in the period."
    ),
    "funnel": _(
        "Funnel: the cases created within the period and how many of them reached each step "
        "(or a later one) by the end of the period. A person may return without an offer, so "
        "a later step also counts for the earlier ones."
    ),
    "case_export": _(
        "Case-level CSV: one row per case created up to the end of the period, in the chosen "
        "regions and municipality; no names, contact details or notes."
    ),
    "breakdowns": _(
        "Breakdowns use the case's current planning region, municipality of interest, the "
        "returnee's country of residence, the case's needs and planned timeframe. A case with "
        "several needs counts once under each of them."
    ),
}

# The case and offer figures of the headline totals, the breakdowns and the monthly trend.
FIGURE_KEYS = (
    "new_contacts",
    "offers_prepared",
    "offers_sent",
    "wish_to_return",
    "returned",
    "household_returned",
    "people_returned",
)

# The headline table, in the order the page and every export show it.
HEADLINES = (
    ("new_contacts", _("New contacts"), "new_contacts"),
    ("active", _("People in contact (active cases at the end of the period)"), "active"),
    ("offers_prepared", _("Individual offers prepared"), "offers_prepared"),
    ("offers_sent", _("Individual offers sent"), "offers_sent"),
    ("wish_to_return", _("Expressed the wish to return"), "wish_to_return"),
    ("returned", _("Returned (cases)"), "returned"),
    ("household_returned", _("Household members who returned with them"), "household_returned"),
    ("people_returned", _("People returned in total"), "people_returned"),
    ("median_offer", _("Median days from first contact to first offer"), "median_offer"),
    ("median_return", _("Median days from first contact to return"), "median_return"),
)

BREAKDOWN_COLUMNS = (
    ("new_contacts", _("New contacts")),
    ("offers_prepared", _("Offers prepared")),
    ("offers_sent", _("Offers sent")),
    ("wish_to_return", _("Wish to return")),
    ("returned", _("Returned")),
    ("household_returned", _("Household members")),
    ("people_returned", _("People returned")),
)
