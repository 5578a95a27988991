"""The report page and its exports. All of them read the same query string through ReportForm,
so an export always has exactly the figures of the page it was downloaded from. XLSX and CSV
are made at once (they are quick); the PDF is asked for here and made by the worker.

Municipal specialists get 403 Forbidden: the report page exists for everybody, it is the
role that may not use it (unlike a case of another region, nothing is hidden by a 404).
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from audit.services import audit_export
from common.dates import date_text

from . import exports
from .case_export import case_csv_stream
from .charts import report_charts
from .figures.definitions import BREAKDOWN_COLUMNS, DEFINITIONS, HEADLINES
from .figures.scope import reports_allowed
from .figures.stored import scope_key
from .forms import PRESETS, ClosePeriodForm, ReopenPeriodForm, ReportForm
from .selectors import (
    closed_period_being_closed,
    closed_period_for_reopening,
    closed_periods,
    closed_periods_working,
    report_export_for_download,
    report_exports_recent,
    report_for,
)
from .services import (
    closed_period_create,
    closed_period_reopen,
    report_export_download,
    report_export_request,
)

NO_REPORTS_FOR_ROLE = _("Reports are for planning-region staff and national administrators.")
EXPORT_REFUSED = _("The export was not made: correct the filters first.")
CASE_EXPORT_FOR_ADMINS = _("The case-level export is for national administrators only.")
CLOSE_FOR_ADMINS = _("Only a national administrator may close or reopen a reporting period.")
PDF_REQUESTED = _(
    "The PDF is being prepared. Reload this page in a minute to download it from the list "
    "below; it stays available for 24 hours."
)
PERIOD_CLOSING = _(
    "Closing %(period)s: the figures are being stored; this page shows when it is done."
)
PERIOD_REOPENED = _("The period %(period)s is reopened: its report shows live figures again.")
CLOSED_PERIODS_PER_PAGE = 20


def _form(request):
    if not reports_allowed(request.user):
        raise PermissionDenied(NO_REPORTS_FOR_ROLE)
    return ReportForm(request.GET, user=request.user)


def _resolved_query(form):
    """The query string of a valid form with the preset turned into dates, for export links."""
    data = form.cleaned_data
    query = [
        ("date_from", date_text(data["date_from"])),
        ("date_to", date_text(data["date_to"])),
    ]
    query += [("region", region.code) for region in data["region"]]
    if data["municipality"]:
        query.append(("municipality", data["municipality"].pk))
    return urlencode(query)


def _preset_links(request):
    keep = [(key, value) for key, value in request.GET.lists() if key in ("region", "municipality")]
    links = []
    for value, label in PRESETS:
        query = [("period", value)] + [(key, item) for key, items in keep for item in items]
        links.append({"label": label, "query": urlencode(query)})
    return links


@login_required
def report_page(request):
    form = _form(request)
    context = {
        "form": form,
        "presets": _preset_links(request),
        "headlines": HEADLINES,
        "columns": BREAKDOWN_COLUMNS,
        "definitions": DEFINITIONS,
        "exports": report_exports_recent(user=request.user),
    }
    if form.is_valid():
        report = report_for(form.report_filters())
        being_closed = _being_closed(report)
        context.update(
            report=report,
            charts=report_charts(report),
            export_query=_resolved_query(form),
            being_closed=being_closed,
            can_close=being_closed is None and _can_close(request.user, report),
        )
    return render(request, "reports/report.html", context)


def _being_closed(report):
    """The closing under way of the report's period, when its scope is one the closing will
    store (the country, one region): the page says its live figures are not stored yet."""
    if report.closing is not None or scope_key(report.filters) is None:
        return None
    return closed_period_being_closed(report.filters)


def _can_close(user, report):
    """Offer "Close this period" on a national report of an ended period not yet closed."""
    filters = report.filters
    return (
        user.is_national_admin
        and report.closing is None
        and filters.include_national_queue
        and filters.date_to < timezone.localdate()
    )


def _export(request, build, kind):
    form = _form(request)
    if not form.is_valid():
        messages.error(request, EXPORT_REFUSED)
        return redirect(f"{reverse('reports:report')}?{request.GET.urlencode()}")
    filters = form.report_filters()
    audit_export(request=request, what=f"reports: {kind} {_period(filters)}")
    return build(report_for(filters))


def _period(filters):
    return f"{filters.date_from:%d.%m.%Y}-{filters.date_to:%d.%m.%Y}"


def _download(content, filename, content_type):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def report_xlsx(request):
    return _export(
        request,
        lambda report: _download(
            exports.report_xlsx(report),
            exports.filename(report, "xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        "XLSX",
    )


@login_required
def report_csv(request):
    return _export(
        request,
        lambda report: _download(
            exports.report_csv(report),
            exports.filename(report, "csv"),
            "text/csv; charset=utf-8",
        ),
        "CSV",
    )


@login_required
@require_POST
def report_pdf_prepare(request):
    """Ask the worker for the PDF of the report with the query string of the form's action."""
    form = _form(request)
    back = f"{reverse('reports:report')}?{request.GET.urlencode()}"
    if not form.is_valid():
        messages.error(request, EXPORT_REFUSED)
        return redirect(back)
    report_export_request(user=request.user, query=_resolved_query(form), language=get_language())
    audit_export(request=request, what=f"reports: PDF asked {_period(form.report_filters())}")
    messages.success(request, PDF_REQUESTED)
    return redirect(back)


@login_required
def report_pdf_download(request, export_id):
    """A PDF the worker made, for the user who asked for it only."""
    if not reports_allowed(request.user):
        raise PermissionDenied(NO_REPORTS_FOR_ROLE)
    export = report_export_for_download(user=request.user, export_id=export_id)
    content = report_export_download(export=export, request=request)
    response = _download(content, export.filename, "application/pdf")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def case_export_csv(request):
    """One row per case, streamed: 100,000 rows never sit in memory at once."""
    if not request.user.is_national_admin:
        raise PermissionDenied(CASE_EXPORT_FOR_ADMINS)
    form = _form(request)
    if not form.is_valid():
        messages.error(request, EXPORT_REFUSED)
        return redirect(f"{reverse('reports:report')}?{request.GET.urlencode()}")
    filters = form.report_filters()
    # One row per case is data about people: the export goes into the audit trail.
    audit_export(request=request, what=f"reports: case-level CSV {_period(filters)}")
    response = StreamingHttpResponse(
        case_csv_stream(filters), content_type="text/csv; charset=utf-8"
    )
    name = f"remigration-cases-{filters.date_to:%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def closed_period_list(request):
    """The closed reporting periods (every report user reads them); a national administrator
    closes a period here (the dates come typed, or from the report page's link): the period
    is stored pending and the worker stores its figures; this page shows when it is done."""
    if not reports_allowed(request.user):
        raise PermissionDenied(NO_REPORTS_FOR_ROLE)
    if request.method == "POST" and not request.user.is_national_admin:
        raise PermissionDenied(CLOSE_FOR_ADMINS)
    if request.method == "POST":
        form = ClosePeriodForm(request.POST)
    else:  # the report page's link brings the dates: shown, not yet checked
        form = ClosePeriodForm(initial={k: request.GET.get(k) for k in ("date_from", "date_to")})
    if request.method == "POST" and form.is_valid():
        try:
            period = closed_period_create(**form.cleaned_data, actor=request.user, request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, PERIOD_CLOSING % {"period": period.period})
            return redirect("reports:periods")
    return _periods_page(request, form)


def _periods_page(request, form):
    page = Paginator(closed_periods(), CLOSED_PERIODS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page,
        "paginator": page.paginator,
        # Reload while the worker stores figures; not over a form just sent back with errors.
        "reload": request.method == "GET" and closed_periods_working(),
    }
    return render(request, "reports/periods.html", context)


def _period_query(period):
    return urlencode(
        {"date_from": date_text(period.date_from), "date_to": date_text(period.date_to)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def closed_period_reopen_view(request, period_id):
    """Reopen a closed period, with the reason (national administrators only)."""
    if not request.user.is_national_admin:
        raise PermissionDenied(CLOSE_FOR_ADMINS)
    period = closed_period_for_reopening(period_id=period_id)
    form = ReopenPeriodForm(request.POST or None)
    if form.is_valid():
        try:
            closed_period_reopen(
                period=period,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, PERIOD_REOPENED % {"period": period.period})
            return redirect(f"{reverse('reports:report')}?{_period_query(period)}")
    return render(request, "reports/period_reopen.html", {"form": form, "period": period})
