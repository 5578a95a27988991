"""Signals of the GDPR services, for apps above privacy that keep their own copies of
personal data (an import's rows, for instance) and must forget a person too."""

from django.dispatch import Signal

# Sent inside the erasure's transaction, before it commits, with `returnee` (already scrubbed)
# and `identifiers`: the person's names, e-mail and phone as they were, to search copies for.
returnee_erased = Signal()
