"""The one error a domain rule raises when it refuses an operation."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class DomainError(Exception):
    """An operation the rules refuse (a transition the pipeline lacks, a sent offer edited,
    an erasure outside the user's scope). The message is safe to show to the user."""

    def __init__(self, message: StrOrPromise) -> None:
        super().__init__(str(message))
        self.message = message
