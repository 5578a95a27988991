"""Reads for the report page and its exports: every figure is a database aggregate.

Figures count from the append-only CaseEvent history and the Offer rows' own dates, so a
report for a past period gives the same numbers later, however the cases move on.
A fixed number of grouped queries (18) gives every figure whatever the number of cases;
Python only adds up already aggregated rows (roll-ups of a few groups), never cases.
The scope of every report is `scope.report_scope(user)`, there and nowhere else.

One module per figure family; callers import from the module itself:

- `scope`: which planning regions a user may report on;
- `filters`: `ReportFilters`, a validated report request, and `PROGRAMME_START`;
- `definitions`: what each figure counts and the label tables of the page and the exports;
- `rows`: the rows the figures count from, shared by the families below, and their sums;
- `headline`: the headline numbers (active cases and the medians), contacts by source,
  closings by reason;
- `breakdowns`: the figures grouped by case attributes and their roll-ups per dimension;
- `trend`: the monthly trend;
- `funnel`: the funnel of the cases created in the period;
- `export`: the case-level export rows;
- `report`: `Report` and `report_build(filters)`, every figure of one report.
"""
