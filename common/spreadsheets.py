"""Spreadsheet safety shared by every export.

django-import-export's IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT strips only one leading "=",
so a cell that a person typed as "+cmd|..." or "@SUM(...)" would still run in Excel.
The OWASP advice is to prefix such cells with an apostrophe; we do it for every string.
"""

from django.utils.translation import gettext_lazy as _
from import_export import resources, widgets

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
UNKNOWN_VALUE = _("Unknown %(model)s “%(value)s”.")


def escape_formula(value):
    """Return value made inert for a spreadsheet: text starting like a formula gets a "'"."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class Echo:
    """A pseudo-buffer whose write returns the line, so csv.writer output can be streamed
    (Django's "Streaming large CSV files" recipe)."""

    def write(self, value):
        return value


def unescape_formula(value):
    """Undo escape_formula on import, so an exported file can be imported back unchanged."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


class SafeModelResource(resources.ModelResource):
    """A ModelResource whose exports escape formulae and whose imports validate every row."""

    def export_field(self, field, instance, **kwargs):
        return escape_formula(super().export_field(field, instance, **kwargs))

    def before_import_row(self, row, **kwargs):
        for key, value in list(row.items()):
            row[key] = unescape_formula(value)


class LookupWidget(widgets.ForeignKeyWidget):
    """A ForeignKeyWidget that reports an unknown value as a field error of its row
    ("Unknown municipality “Atlantīda”.") instead of a traceback."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row=row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(
                UNKNOWN_VALUE % {"model": self.model._meta.verbose_name, "value": value}
            ) from None


class StrictManyToManyWidget(widgets.ManyToManyWidget):
    """A ManyToManyWidget that refuses unknown codes instead of silently dropping them."""

    def clean(self, value, row=None, **kwargs):
        found = super().clean(value, row=row, **kwargs)
        if value and not isinstance(value, (int, float)):
            wanted = {part.strip() for part in str(value).split(self.separator) if part.strip()}
            missing = wanted - {str(getattr(obj, self.field)) for obj in found}
            if missing:
                raise ValueError(
                    UNKNOWN_VALUE
                    % {"model": self.model._meta.verbose_name, "value": ", ".join(sorted(missing))}
                )
        return found
