"""Reads for the coordinators' workspace (the staff UI above the domain core)."""

from .case_page import (
    TIMELINE_LIMIT,
    TIMELINE_MAX,
    CasePageReference,
    OpenTransfer,
    TimelineEntry,
    case_page_data,
    case_page_prefetch,
    case_page_queryset,
    case_questions,
    case_requests,
    case_timeline,
    timeline_limit_parse,
)
from .lists import (
    DEFAULT_SORT,
    MY_WORK_ANSWER_DAYS,
    SORT_FIELDS,
    case_list,
    case_page_rows,
    dashboard_counts,
    my_work_q,
    nav_badges,
)

__all__ = [
    "DEFAULT_SORT",
    "MY_WORK_ANSWER_DAYS",
    "SORT_FIELDS",
    "TIMELINE_LIMIT",
    "TIMELINE_MAX",
    "CasePageReference",
    "OpenTransfer",
    "TimelineEntry",
    "case_list",
    "case_page_data",
    "case_page_prefetch",
    "case_page_queryset",
    "case_page_rows",
    "case_questions",
    "case_requests",
    "case_timeline",
    "dashboard_counts",
    "my_work_q",
    "nav_badges",
    "timeline_limit_parse",
]
