"""The ceiling for bench/contact_form.py: bare Django under the same client, one CSRF check
and one INSERT per submission, nothing else (no sessions, templates, apps or mail).

    DJANGO_SETTINGS_MODULE=bench.bare_site gunicorn bench.bare_site:application
"""

import os

import environ
from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.urls import path

DEBUG = False
SECRET_KEY = "bare-benchmark-only"  # noqa: S105 - a benchmark on loopback
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = __name__
MIDDLEWARE = ["django.middleware.csrf.CsrfViewMiddleware"]
DATABASES = {"default": environ.Env().db("DATABASE_URL")}
INSTALLED_APPS: list[str] = []
USE_TZ = True


def form(request):
    """GET: a form with the CSRF token; POST (checked by the middleware): one INSERT."""
    if request.method == "POST":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO bench_bare (name) VALUES (%s)", [request.POST["last_name"]])
        return HttpResponseRedirect("/dod-zinu/paldies/")
    token = get_token(request)
    return HttpResponse(
        f'<form method="post"><input name="csrfmiddlewaretoken" value="{token}"></form>'
    )


urlpatterns = [path("dod-zinu/", form)]

os.environ.setdefault("DJANGO_SETTINGS_MODULE", __name__)
application = get_wsgi_application()
