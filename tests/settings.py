"""Test settings: the real settings with only what makes tests fast and hermetic changed."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key")

from remigration.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# No collectstatic before the tests: WhiteNoise looks each /static/ file up when asked instead
# of listing STATIC_ROOT at start (tests/test_serving.py checks the production mode).
WHITENOISE_AUTOREFRESH = True
# The test client and the live server speak plain HTTP.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
# Tests log national administrators in without a phone; tests/test_two_factor.py turns the
# requirement back on.
OTP_REQUIRED_FOR_NATIONAL_ADMINS = False
# Tasks run at once, in the test's process (the worker's own tests use the database
# backend: tests/test_worker.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Links in the mails the tests read; tests/test_mail_links.py sets it again for itself.
PORTAL_URL = "https://portal.example.lv"
# The locmem mail outbox and a per-process cache are what keep the suite hermetic; on a
# server both are errors (common.checks), which tests/test_startup_checks.py asserts.
SILENCED_SYSTEM_CHECKS = ["common.E001", "common.E002"]
