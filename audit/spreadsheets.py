"""The spreadsheet admins of the back office, whose exports are audited.

Personal data (returnees, cases) is exported only: a history import is the workspace's
(the `imports` app). Reference data (municipalities, their services) is imported here too.
"""

from django.contrib import admin
from import_export.admin import ExportMixin, ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX

from .admin_reads import AuditedReadsMixin
from .models import AuditEntry
from .services import audit_record


class AuditedExportMixin:
    """CSV and XLSX only; every export is written to the audit trail."""

    formats = [CSV, XLSX]

    def get_export_data(self, file_format, request, queryset, **kwargs):
        audit_record(
            action=AuditEntry.Action.EXPORT,
            request=request,
            detail=f"{self.model._meta.label_lower}: {queryset.count()} rows",
        )
        return super().get_export_data(file_format, request, queryset, **kwargs)


class PersonalDataExportAdmin(AuditedExportMixin, AuditedReadsMixin, ExportMixin, admin.ModelAdmin):
    """Admin of personal data: audited export, audited record and list reads, no import."""

    audit_changelist = True


class SpreadsheetAdmin(AuditedExportMixin, ImportExportModelAdmin):
    """Admin of reference data with CSV and XLSX import (dry-run preview first) and export."""
