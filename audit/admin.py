import csv

from django.contrib import admin
from django.http import StreamingHttpResponse
from django.utils.translation import gettext_lazy as _

from common.admin import ReadOnlyAdminMixin
from common.dates import datetime_text
from common.spreadsheets import Echo, escape_formula

from .models import AuditEntry
from .services import audit_record


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only for everyone, superusers included; national administrators only."""

    list_display = ["created_at", "username", "action", "object_type", "reference", "ip_address"]
    list_filter = ["action", "object_type", "created_at"]
    search_fields = ["username", "reference", "object_id", "ip_address"]
    date_hierarchy = "created_at"
    actions = ["export_csv"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_national_admin

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    @admin.action(description=_("Export the selected entries (CSV)"))
    def export_csv(self, request, queryset):
        audit_record(action=AuditEntry.Action.EXPORT, request=request, detail="audit trail")
        fields = ["created_at", "username", "action", "object_type", "object_id", "reference",
                  "ip_address", "detail"]  # fmt: skip
        writer = csv.writer(Echo())
        rows = (
            writer.writerow(
                [datetime_text(row[0], seconds=True)]
                + [escape_formula(str(value or "")) for value in row[1:]]
            )
            for row in queryset.order_by("created_at").values_list(*fields).iterator()
        )
        header = writer.writerow(fields)
        response = StreamingHttpResponse(
            (line for part in ([header], rows) for line in part), content_type="text/csv"
        )
        response["Content-Disposition"] = 'attachment; filename="audit-trail.csv"'
        return response
