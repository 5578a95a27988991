"""The one write of the public figures: the worker's refresh of the snapshot."""

from django.db import transaction

from .models import FiguresSnapshot
from .selectors import figures_cache_set, public_figures_compute


def public_figures_refresh() -> str:
    """The scheduled job: compute the figures, keep them as the one snapshot row, and put
    them in the cache. Returns a short note (no figures)."""
    data = public_figures_compute()
    with transaction.atomic():
        FiguresSnapshot.objects.all().delete()
        FiguresSnapshot.objects.create(data=data)
    figures_cache_set(data)
    return "figures refreshed"
