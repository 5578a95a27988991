"""Admin pieces shared by the apps."""

from auditlog.models import LogEntry
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from .versions import StaleEdit, version_check, version_token


class ReadOnlyAdminMixin:
    """A history the admin shows but never lets anyone add to, change or delete."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class VersionCheckedAdminMixin:
    """No silent overwrite in the admin either (common.versions): the change form carries
    the version of the values it shows (`_version`, drawn by templates/admin/change_form.html)
    and a save over a change made meanwhile is a form error with what was typed kept; the
    page then carries the new version, so saving again is a decision."""

    def version_values(self, obj, form_class):
        """The current database values of the fields the change form edits."""
        fresh = type(obj)._default_manager.get(pk=obj.pk)
        values = {}
        for name in form_class.base_fields:
            try:
                field = type(obj)._meta.get_field(name)
            except FieldDoesNotExist:  # a form-only field (a password, a version): not data
                continue
            if isinstance(field, models.ManyToManyField):
                values[name] = sorted(getattr(fresh, name).values_list("pk", flat=True))
            elif field.concrete:
                values[name] = field.value_from_object(fresh)
        return values

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if obj is None or obj.pk is None:
            return form_class
        admin = self

        class VersionCheckedForm(form_class):
            def clean(self):
                cleaned = super().clean()
                try:
                    version_check(
                        version=self.data.get("_version") or None,
                        values=admin.version_values(obj, form_class),
                        labels={
                            name: field.label for name, field in form_class.base_fields.items()
                        },
                        changed_by=lambda: admin.last_editor(obj),
                    )
                except StaleEdit as error:
                    raise forms.ValidationError(error.message) from None
                return cleaned

        VersionCheckedForm.__name__ = form_class.__name__
        return VersionCheckedForm

    def last_editor(self, obj):
        """Who saved the object last: the field history, else the admin's own log."""
        entry = LogEntry.objects.get_for_object(obj).select_related("actor").first()
        actor = entry.actor if entry else None
        return (actor.get_full_name() or actor.get_username()) if actor else ""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None and change:
            form_class = type(context["adminform"].form)
            context["version_token"] = version_token(self.version_values(obj, form_class))
        return super().render_change_form(request, context, add, change, form_url, obj)
