"""The events in the reports: each event of the report's period and scope with its funnel
(registrations → checked in → cases → offers sent → returned), for whoever may read the
reports (their scope: reports.figures.scope), beside the staff report's own figures."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from audit.services import audit_list_viewed
from reports.figures.scope import reports_allowed
from reports.forms import ReportForm

from ..selectors import event_funnel, events_in_report, funnel_totals


@login_required
def events_report(request):
    if not reports_allowed(request.user):
        raise PermissionDenied
    form = ReportForm(request.GET, user=request.user)
    context = {"form": form}
    if form.is_valid():
        filters = form.report_filters()
        rows = event_funnel(events=events_in_report(filters=filters))
        audit_list_viewed(request=request, what="events report", rows=len(rows))
        context.update(filters=filters, rows=rows, totals=funnel_totals(rows))
    return render(request, "events/report.html", context)
