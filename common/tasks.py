"""Handing work to the background worker once the caller's transaction has committed."""

from functools import partial
from typing import Any

from django.db import transaction
from django.utils.module_loading import import_string


def task_enqueue_on_commit(task_path: str, **kwargs: Any) -> None:
    """A row in the task table for the task at `task_path` (dotted path), written after the
    caller's transaction commits, so the worker never looks for a row that is not there
    yet, and nothing is asked of it when the transaction rolls back. `robust`: a failure
    to enqueue is logged by Django and the committed work stands (the sweeps pick it up)."""
    transaction.on_commit(partial(_enqueue, task_path, kwargs), robust=True)


def _enqueue(task_path: str, kwargs: dict[str, Any]) -> None:
    import_string(task_path).enqueue(**kwargs)
