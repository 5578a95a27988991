"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

from common.checks import refuse_unsafe_start

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "remigration.settings")

application = get_asgi_application()

# As in wsgi.py: ASGI servers run no system checks either.
refuse_unsafe_start()
