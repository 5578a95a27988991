"""The portal's URLs plus views that fail on purpose, for tests/test_error_pages.py and
tests/test_logging.py."""

from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import SuspiciousOperation
from django.urls import path

from remigration.urls import urlpatterns as portal_urlpatterns


def boom(request):
    # The message quotes what a person typed, as a database error can.
    raise ValueError("no returnee girts.kenins@example.com from 10.1.2.3")


def suspicious(request):
    raise SuspiciousOperation("tampered")


urlpatterns = [
    *i18n_patterns(
        path("boom/", boom),
        path("suspicious/", suspicious),
        prefix_default_language=False,
    ),
    *portal_urlpatterns,
]
