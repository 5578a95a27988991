"""The upload form of the history import. The form checks the file's size and kind; the
worker reads and checks what is inside."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from municipalities.models import PlanningRegion

from .reading import MAX_BYTES

FILE_TOO_LARGE = _("The file is larger than %(limit)s MB. Split it into smaller files.")
FILE_KIND = _("Upload an XLSX workbook or a CSV file (.xlsx or .csv).")
EXTENSIONS = (".xlsx", ".csv", ".txt")


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("History file"),
        help_text=_("XLSX or CSV (UTF-8, UTF-16 or Windows-1257; “,” or “;”), at most 20 MB."),
    )
    default_region = forms.ModelChoiceField(
        label=_("Default planning region"),
        queryset=PlanningRegion.objects.order_by("name"),
        required=False,
        help_text=_("For rows whose planning_region column is empty."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.is_national_admin:
            del self.fields["default_region"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(FILE_TOO_LARGE % {"limit": MAX_BYTES // (1024 * 1024)})
        if not upload.name.lower().endswith(EXTENSIONS):
            raise forms.ValidationError(FILE_KIND)
        return upload
