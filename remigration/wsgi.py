"""WSGI entry point for production servers (gunicorn remigration.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

from common.checks import refuse_unsafe_start

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "remigration.settings")

application = get_wsgi_application()

# gunicorn runs no system checks: refuse here, before the first request, to serve with
# settings that would leak mail into the log or send links nobody can open.
refuse_unsafe_start()
