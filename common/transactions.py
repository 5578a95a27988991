"""Work after the commit, asked for once per transaction however often it is asked."""

from collections.abc import Callable

from django.db import transaction


def on_commit_once(function: Callable[[], None], *, robust: bool = True) -> None:
    """`transaction.on_commit(function)` unless the same function already waits for this
    commit from this savepoint or one around it (it then runs whenever this one would); one
    from an inner savepoint that may still roll back does not count. Outside a transaction
    it runs at once, as on_commit does."""
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        current = set(connection.savepoint_ids)
        if any(
            waiting is function and savepoints <= current
            for savepoints, waiting, _robust in connection.run_on_commit
        ):
            return
    transaction.on_commit(function, robust=robust)
