"""Form helpers shared by the apps."""

from django import forms


def focus_first_error(form: forms.BaseForm) -> forms.BaseForm:
    """Put `autofocus` on the first field with an error (or the first visible field, for an
    error of the whole form), so the page opens at the form to correct, not at the top."""
    names = [name for name in form.fields if name in form.errors]
    if not names and form.non_field_errors():
        names = [name for name, field in form.fields.items() if not field.widget.is_hidden]
    if names:
        form.fields[names[0]].widget.attrs["autofocus"] = True
    return form
