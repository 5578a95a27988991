"""The import/export admin of the back office, whose exports and record views are audited."""

from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX

from .models import AuditEntry
from .services import audit_record


class SpreadsheetAdmin(ImportExportModelAdmin):
    """Admin with CSV and XLSX import (dry-run preview first) and export, nothing else.
    Every export is written to the audit trail."""

    formats = [CSV, XLSX]

    # Set on admins of personal data: opening a record is then written to the audit trail.
    audit_views = False

    def get_export_data(self, file_format, request, queryset, **kwargs):
        audit_record(
            action=AuditEntry.Action.EXPORT,
            request=request,
            detail=f"{self.model._meta.label_lower}: {queryset.count()} rows",
        )
        return super().get_export_data(file_format, request, queryset, **kwargs)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if self.audit_views and request.method == "GET":
            obj = self.get_object(request, object_id)
            if obj is not None:
                audit_record(action=AuditEntry.Action.VIEW, request=request, obj=obj)
        return super().change_view(request, object_id, form_url, extra_context)
