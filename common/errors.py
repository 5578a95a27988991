"""The one error a domain rule raises when it refuses an operation."""

from django.utils.functional import Promise


class DomainError(Exception):
    """An operation the rules refuse (a transition the pipeline lacks, a sent offer edited,
    an erasure outside the user's scope). The message is safe to show to the user."""

    def __init__(self, message: str | Promise) -> None:
        super().__init__(str(message))
        self.message = message
