"""What each figure counts, and the tables that name the figures on the page and in exports."""

from django.utils.translation import gettext_lazy as _

# What each figure counts, shown on the page and in every export. Keep in step with the code.
# Every figure counts rows that keep the case as it was when they happened: the planning
# region and municipality of the event or the offer, the household at the return.
DEFINITIONS = {
    "new_contacts": _(
        "New contacts: cases created within the period (the case's “created” event), "
        "by the source of the first contact, for the region the case was in then."
    ),
    "active": _(
        "Intending to return: people still in contact at the end of the period — cases "
        "created before the end of the period whose status then (the last status in the case "
        "history up to then) was neither “returned” nor “closed”, in the region the case was "
        "in at that moment."
    ),
    "offers_prepared": _(
        "Individual offers prepared: offers created within the period; every new version of "
        "an offer counts, for the region the case was in when it was prepared."
    ),
    "offers_sent": _(
        "Individual offers sent: offers whose sending date is within the period, for the "
        "region the case was in when it was sent."
    ),
    "wish_to_return": _(
        "Expressed the wish to return: cases whose status changed to “decided to return” "
        "within the period; a case counts once however often it changed, in the month and "
        "the region of its first change."
    ),
    "returned": _(
        "Returned (cases): cases whose status changed to “returned” within the period; a case "
        "counts once, in the month and the region of its first return."
    ),
    "household_returned": _(
        "Household members who returned with them: for each returned case, the members of "
        "the returnee's household (partners, children, parents, other relatives) at the moment "
        "of the return, counted separately; a member added later does not count."
    ),
    "people_returned": _(
        "Returned (people): the returned cases plus the household members who returned "
        "with them — the number of people the regions report as returned."
    ),
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
        "Breakdowns use the planning region, the municipality, the returnee's country of "
        "residence and the planned timeframe as they were when each counted event happened "
        "(a case moved to another region later still counts where it was); offers count by "
        "the region and municipality of their case when they were prepared or sent, and by "
        "its current country and timeframe. Needs are the case's current ones; a case with "
        "several needs counts once under each of them."
    ),
    "trend": _(
        "Trend: the same figures per month; per quarter for periods longer than 24 months, "
        "per year for periods longer than 60 months. The points add up to the figures of the "
        "period."
    ),
}

# The case and offer figures of the headline totals, the breakdowns and the trend.
FIGURE_KEYS = (
    "new_contacts",
    "offers_prepared",
    "offers_sent",
    "wish_to_return",
    "returned",
    "household_returned",
    "people_returned",
)

# The figures the planning regions report to the ministry, in the words they use, first.
MINISTRY_FIGURES = (
    "people_returned",
    "wish_to_return",
    "active",
    "offers_prepared",
    "offers_sent",
)

# The headline table, in the order the page and every export show it.
HEADLINES = (
    ("people_returned", _("Returned"), "people_returned"),
    ("wish_to_return", _("Expressed the wish to return"), "wish_to_return"),
    ("active", _("Intending to return"), "active"),
    ("offers_prepared", _("Individual offers prepared"), "offers_prepared"),
    ("offers_sent", _("Individual offers sent"), "offers_sent"),
    ("new_contacts", _("New contacts"), "new_contacts"),
    ("returned", _("Returned (cases)"), "returned"),
    ("household_returned", _("Household members who returned with them"), "household_returned"),
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
