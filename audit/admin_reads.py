"""Reads of personal data in the admin, each written to the audit trail.

One mixin for every ModelAdmin that shows a person's data: opening a record (its change or
history page) records the object; a list page records that it was shown, whether it was a
search and how many rows it held, never the words searched for (they are personal data).
"""

from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import SEARCH_VAR
from django.http import HttpRequest, HttpResponse

from .models import AuditEntry
from .services import audit_record


def admin_read_record(*, request: HttpRequest, obj=None, detail: str = "") -> None:
    """Record that the request's user read `obj` (or a list: `detail`) in the admin."""
    audit_record(action=AuditEntry.Action.VIEW, request=request, obj=obj, detail=detail)


def admin_list_detail(*, label: str, request: HttpRequest, rows: int) -> str:
    """What a list read records: the model, list or search, the number of rows."""
    searched = bool(request.GET.get(SEARCH_VAR, "").strip())
    return f"admin {label}: {'search' if searched else 'list'}, {rows} rows"


def page_shown(response: HttpResponse) -> bool:
    """A page with the data was rendered (not a redirect, a refusal or a file)."""
    return response.status_code == 200 and hasattr(response, "context_data")


class AuditedReadsMixin:
    """A ModelAdmin whose change and history pages are audited; with `audit_changelist` its
    list page too. Only pages actually shown are recorded (a refused or missing record is
    not a read)."""

    audit_changelist = False

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if self.audit_changelist and changelist is not None and page_shown(response):
            detail = admin_list_detail(
                label=self.model._meta.label_lower, request=request, rows=changelist.result_count
            )
            admin_read_record(request=request, detail=detail)
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        self.object_read_record(request, object_id, response, "admin change page")
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        self.object_read_record(request, object_id, response, "admin history")
        return response

    def object_read_record(self, request, object_id, response, detail):
        if page_shown(response):
            obj = self.get_object(request, unquote(object_id))
            if obj is not None:
                admin_read_record(request=request, obj=obj, detail=detail)
