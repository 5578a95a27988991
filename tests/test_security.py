import pytest
from django.urls import reverse

from audit.models import AuditEntry
from tests.test_project import manage

pytestmark = pytest.mark.django_db


def test_pages_carry_security_headers(client):
    response = client.get(reverse("admin:login"))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_deployment_check_with_production_settings_is_clean():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="a-long-random-production-secret-" * 2,
        ALLOWED_HOSTS="portal.example.lv",
        EMAIL_URL="smtp+tls://portal:secret@smtp.example.lv:587",
        PORTAL_URL="https://portal.example.lv",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_defaults_are_strict(settings):
    # tests.settings relaxes HTTPS-only switches for the test client; the real module must not.
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
        "s.SESSION_COOKIE_HTTPONLY)",
        DEBUG="0",
        SECRET_KEY="x" * 60,
    )
    assert result.stdout.split()[-5:] == ["True", "True", "True", "31536000", "True"]


@pytest.mark.parametrize("login_name", ["admin:login", "login"])
def test_repeated_failed_logins_lock_the_login_out(client, kurzeme_coordinator, login_name):
    """Staff log in at /login/ and at /admin/login/: the lockout holds on both."""
    login = reverse(login_name)
    statuses = [
        client.post(login, {"username": "kurzeme", "password": "guess"}).status_code
        for _attempt in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]

    locked = client.post(login, {"username": "kurzeme", "password": "parole-123"})

    assert locked.status_code == 429
    assert "Pārāk daudz" in locked.text
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="login_failed", username="kurzeme").count() >= 5


def test_other_logins_are_not_locked_by_someone_elses_failures(client, kurzeme_coordinator):
    from tests.factories import CoordinatorFactory

    CoordinatorFactory(username="zemgale")
    login = reverse("login")  # the admin's login is for national administrators only
    for _attempt in range(5):
        client.post(login, {"username": "kurzeme", "password": "guess"})
    response = client.post(login, {"username": "zemgale", "password": "parole-123"})
    assert response.status_code == 302


def test_guessing_two_factor_codes_is_throttled(client, kurzeme_coordinator):
    """After wrong codes even the right one is refused for a while, so six digits cannot be
    guessed by trying them all."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=kurzeme_coordinator, name="app", confirmed=True)
    client.force_login(kurzeme_coordinator)
    verify = reverse("accounts:two_factor_verify")
    right = f"{totp(device.bin_key):06d}"
    wrong = "000000" if right != "000000" else "111111"
    for _attempt in range(3):
        client.post(verify, {"token": wrong})

    response = client.post(verify, {"token": right})

    assert response.status_code == 200  # the form again, with its error
    assert "otp_device_id" not in client.session
