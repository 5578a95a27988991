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
