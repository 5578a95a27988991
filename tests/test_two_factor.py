import re
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import EnrolmentLink
from accounts.services import (
    NOT_FOR_YOURSELF,
    WRONG_CODE,
    enrolment_link_create,
    enrolment_link_send,
)
from common.errors import DomainError
from outbox.models import Email
from tests.factories import NationalAdminFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def require_two_factor(settings):
    settings.OTP_REQUIRED_FOR_NATIONAL_ADMINS = True
    # django-otp slows down guessing after a wrong code; these tests retry at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def current_code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def enrolment_path(url):
    return url.removeprefix("https://portal.example.lv")


def test_national_admin_must_set_up_two_factor_before_anything_else(client, national_admin):
    link = enrolment_link_create(user=national_admin, created_by=NationalAdminFactory())
    client.force_login(national_admin)

    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:two_factor_setup")

    assert client.get(enrolment_path(link)).url == response.url
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


# --- Enrolment links: a national administrator's password alone enrols no second factor


def test_password_alone_cannot_reach_the_qr_code_or_the_key(client, national_admin):
    national_admin.set_password("parole-123")
    national_admin.save()
    client.post(reverse("login"), {"username": "admin", "password": "parole-123"})

    page = client.get(reverse("accounts:two_factor_setup"))
    guess = client.post(reverse("accounts:two_factor_setup"), {"token": "123456"})

    for response in (page, guess):
        assert response.status_code == 200
        assert "<svg" not in response.text and "<code>" not in response.text
        assert "lūdziet citam valsts administratoram" in response.text  # Latvian
        assert "ask another national administrator" in response.text  # and English
    assert not TOTPDevice.objects.filter(user=national_admin).exists()
    assert client.get(reverse("admin:index")).url == reverse("accounts:two_factor_setup")


def test_enrolment_link_works_once_for_its_user(client, national_admin):
    link = enrolment_path(enrolment_link_create(user=national_admin, created_by=None))
    client.force_login(national_admin)

    assert client.get(link).url == reverse("accounts:two_factor_setup")
    page = client.get(reverse("accounts:two_factor_setup"))
    assert "<svg" in page.text
    device = TOTPDevice.objects.get(user=national_admin, confirmed=False)
    client.post(reverse("accounts:two_factor_setup"), {"token": current_code(device)})
    assert TOTPDevice.objects.get(user=national_admin).confirmed

    TOTPDevice.objects.filter(user=national_admin).delete()  # the phone is lost, say
    again = Client()
    again.force_login(national_admin)
    refused = again.get(link)
    assert refused.status_code == 200 and "jau izmantota" in refused.text
    assert "<svg" not in again.get(reverse("accounts:two_factor_setup")).text


def test_a_key_made_before_the_link_is_never_the_one_enrolled(client, national_admin):
    """A pending key from before the links (a password alone once reached it) may be known
    to somebody: the link starts the set-up with a new one."""
    old = TOTPDevice.objects.create(user=national_admin, name="app", confirmed=False)
    link = enrolment_path(enrolment_link_create(user=national_admin, created_by=None))
    client.force_login(national_admin)

    client.get(link)
    client.get(reverse("accounts:two_factor_setup"))

    new = TOTPDevice.objects.get(user=national_admin, confirmed=False)
    assert new.pk != old.pk and new.key != old.key


def test_enrolment_link_does_not_work_for_another_user(client, national_admin):
    other = NationalAdminFactory()
    link = enrolment_path(enrolment_link_create(user=national_admin, created_by=other))
    client.force_login(other)

    assert client.get(link).status_code == 200
    assert "<svg" not in client.get(reverse("accounts:two_factor_setup")).text
    assert EnrolmentLink.objects.get().used_at is None  # still there for its own user
    client.force_login(national_admin)
    assert client.get(link).url == reverse("accounts:two_factor_setup")


@pytest.mark.parametrize("what_is_old", ["signature", "row"])
def test_enrolment_link_does_not_work_after_24_hours(
    client, national_admin, monkeypatch, what_is_old
):
    if what_is_old == "signature":
        day_ago = signing.b62_encode(int(time.time()) - 24 * 3600 - 60)
        monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: day_ago)
    link = enrolment_path(enrolment_link_create(user=national_admin, created_by=None))
    monkeypatch.undo()
    if what_is_old == "row":
        EnrolmentLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(national_admin)

    assert client.get(link).status_code == 200
    assert "<svg" not in client.get(reverse("accounts:two_factor_setup")).text


def test_a_forged_link_does_not_work(client, national_admin):
    client.force_login(national_admin)
    forged = reverse("accounts:two_factor_enrol", args=["eyJ1c2VyIjoxfQ:abc:def"])
    assert client.get(forged).status_code == 200
    assert "<svg" not in client.get(reverse("accounts:two_factor_setup")).text


def test_another_national_admin_mails_the_link_through_the_outbox(client, national_admin):
    colleague = NationalAdminFactory(username="colleague")
    device = TOTPDevice.objects.create(user=colleague, name="app", confirmed=True)
    client.force_login(colleague)
    client.post(reverse("accounts:two_factor_verify"), {"token": current_code(device)})
    page = reverse("accounts:enrolment_links")
    assert "colleague" not in client.get(page).context["form"].fields["user"].queryset.values_list(
        "username", flat=True
    )  # no link for oneself

    response = client.post(page, {"user": national_admin.pk})

    assert response.status_code == 302
    (email,) = Email.objects.filter(purpose=Email.Purpose.TWO_FACTOR_ENROLMENT)
    assert email.to == national_admin.email
    link = re.search(r"https://portal\.example\.lv(/\S+)", email.body).group(1)
    other = Client()
    other.force_login(national_admin)
    assert other.get(link).url == reverse("accounts:two_factor_setup")


def test_nobody_sends_a_link_to_themselves(national_admin):
    with pytest.raises(DomainError) as refusal:
        enrolment_link_send(user=national_admin, created_by=national_admin)
    assert refusal.value.message == NOT_FOR_YOURSELF


def test_only_national_admins_open_the_links_page(client, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)
    assert client.get(reverse("accounts:enrolment_links")).status_code == 403


def test_the_operator_prints_the_first_administrators_link(client, national_admin):
    output = StringIO()
    call_command("enrolment_link", "admin", stdout=output)

    link = enrolment_path(output.getvalue().strip())
    client.force_login(national_admin)
    assert client.get(link).url == reverse("accounts:two_factor_setup")


def test_a_coordinator_turns_two_factor_on_without_a_link(client, kurzeme_coordinator):
    client.force_login(kurzeme_coordinator)
    page = client.get(reverse("accounts:two_factor_setup"))
    assert "<svg" in page.text
    device = TOTPDevice.objects.get(user=kurzeme_coordinator, confirmed=False)
    client.post(reverse("accounts:two_factor_setup"), {"token": current_code(device)})
    assert TOTPDevice.objects.get(user=kurzeme_coordinator).confirmed
