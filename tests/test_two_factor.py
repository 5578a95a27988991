import re

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.services import WRONG_CODE
from outbox.models import Email

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def require_two_factor(settings):
    settings.OTP_REQUIRED_FOR_NATIONAL_ADMINS = True
    # django-otp slows down guessing after a wrong code; these tests retry at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def current_code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_national_admin_must_set_up_two_factor_before_anything_else(client, national_admin):
    client.force_login(national_admin)

    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:two_factor_setup")

    page = client.get(response.url)
    assert "<svg" in page.text
    device = TOTPDevice.objects.get(user=national_admin, confirmed=False)

    wrong = client.post(response.url, {"token": "000000"})
    assert str(WRONG_CODE) in wrong.text
    assert client.get(reverse("admin:index")).status_code == 302

    client.post(response.url, {"token": current_code(device)})
    assert client.get(reverse("admin:index")).status_code == 200
    assert TOTPDevice.objects.get(user=national_admin).confirmed


def test_a_new_session_asks_for_the_code(client, national_admin):
    device = TOTPDevice.objects.create(user=national_admin, name="app", confirmed=True)
    client.force_login(national_admin)

    response = client.get(reverse("admin:index"))
    assert response.url == reverse("accounts:two_factor_verify")

    client.post(response.url, {"token": current_code(device)})
    assert client.get(reverse("admin:index")).status_code == 200


def test_coordinator_without_two_factor_is_not_asked(client, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)
    response = client.get(reverse("workspace:case_list"))
    assert response.status_code == 200


def test_coordinator_who_turned_it_on_is_asked_too(client, kurzeme_coordinator):
    TOTPDevice.objects.create(user=kurzeme_coordinator, name="app", confirmed=True)
    client.force_login(kurzeme_coordinator)
    assert client.get(reverse("workspace:case_list")).url == reverse("accounts:two_factor_verify")


def test_logout_stays_possible_before_the_second_factor(client, national_admin):
    client.force_login(national_admin)
    response = client.post(reverse("admin:logout"))
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_password_reset_mail_goes_through_the_outbox(
    client, kurzeme_coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:password_reset"), {"email": kurzeme_coordinator.email}
        )
    assert response.status_code == 302
    (message,) = mail.outbox
    # On PORTAL_URL, not on the Host the request came with (tests/settings.py).
    link = re.search(r"https://portal\.example\.lv(/\S+)", message.body).group(1)

    form_page = client.get(link, follow=True)
    new_password = "Jauna-parole-2026!"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    kurzeme_coordinator.refresh_from_db()
    assert kurzeme_coordinator.check_password(new_password)
    assert Email.objects.get().purpose == "password_reset"
