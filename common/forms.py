"""Form helpers shared by the apps."""

from collections.abc import Iterable, Iterator
from typing import Any

from django import forms
from django.db.models import Model


def focus_first_error(form: forms.BaseForm) -> forms.BaseForm:
    """Put `autofocus` on the first field with an error (or the first visible field, for an
    error of the whole form), so the page opens at the form to correct, not at the top."""
    names = [name for name in form.fields if name in form.errors]
    if not names and form.non_field_errors():
        names = [name for name, field in form.fields.items() if not field.widget.is_hidden]
    if names:
        form.fields[names[0]].widget.attrs["autofocus"] = True
    return form


class FetchedChoiceIterator(forms.models.ModelChoiceIterator):
    """A model choice field's choices from rows already read (`objects()`), instead of its
    queryset: given to `choices_fetched`, or read by a subclass from wherever it keeps them
    (the public form's kept reference rows)."""

    def __init__(self, field: forms.ModelChoiceField, objects: Iterable[Model] = ()) -> None:
        super().__init__(field)
        self._objects = list(objects)

    def objects(self) -> list[Model]:
        return self._objects

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.objects():
            yield self.choice(obj)

    def __len__(self) -> int:
        return len(self.objects()) + (self.field.empty_label is not None)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self.objects())


def choices_fetched(field: forms.Field, objects: Iterable[Model]) -> None:
    """Draw a model choice field from rows the page has read already (a page whose forms
    offer the same reference data reads it once). `objects` must be what the field's
    queryset holds; validating a submitted value still asks the queryset."""
    assert isinstance(field, forms.ModelChoiceField)
    field.choices = FetchedChoiceIterator(field, objects)
