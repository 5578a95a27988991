"""One client address for the rate limit, the audit trail and the login lockout
(`common.net.client_ip`): behind our proxy it is the address the proxy saw, so two people
behind the same proxy are two clients; without a proxy a forged X-Forwarded-For is ignored."""

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from audit.models import AuditEntry
from common.net import client_ip
from coordinators.models import Case
from tests.test_contact_form import LV_URL, form_data

PROXY = "10.0.0.1"  # REMOTE_ADDR of every request that came through our reverse proxy
ANNA = "203.0.113.10"
BERTA = "198.51.100.20"
WRONG_PASSWORD = "guess"


def address(*, proxies, remote=PROXY, forwarded=None, settings):
    settings.PROXY_COUNT = proxies
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, ANNA, None, ANNA),
        (0, ANNA, BERTA, ANNA),  # no proxy: the header is the client's word, never read
        (1, PROXY, ANNA, ANNA),
        (1, PROXY, f"{BERTA}, {ANNA}", ANNA),  # the client's own entries stay on the left
        (1, PROXY, f"{BERTA},, {ANNA} ", ANNA),
        (2, PROXY, f"{BERTA}, {ANNA}, 10.0.0.2", ANNA),  # the 2nd from the right
        (2, PROXY, ANNA, ANNA),  # fewer entries than proxies: all ours, the leftmost
        (1, PROXY, None, PROXY),  # no header: the request did not come through the proxy
        (1, PROXY, "", PROXY),
        (1, PROXY, f"{ANNA}, unknown", None),  # not an address: no guess
        (1, PROXY, f"{ANNA}, {ANNA}:4711", None),
        (1, PROXY, "2001:DB8:0::7", "2001:db8::7"),  # one spelling per client
        (1, PROXY, "::ffff:203.0.113.10", ANNA),
        (0, "", None, None),  # a Unix socket has no peer address
    ],
)
def test_client_ip_reads_x_forwarded_for_only_behind_our_proxies(
    settings, proxies, remote, forwarded, expected
):
    assert address(proxies=proxies, remote=remote, forwarded=forwarded, settings=settings) == (
        expected
    )


def test_no_request_has_no_address():
    assert client_ip(None) is None


@pytest.fixture
def form_settings(settings):
    settings.CONTACT_FORM_MIN_FILL_SECONDS = 0
    settings.CONTACT_FORM_RATE_LIMIT = 2
    cache.clear()
    yield settings
    cache.clear()


def through_proxy(client, url, data, *, sender, proxy=PROXY):
    return client.post(url, data, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=sender)


@pytest.mark.django_db
def test_behind_the_proxy_the_rate_limit_counts_each_client(client, form_settings):
    form_settings.PROXY_COUNT = 1
    for number in range(2):
        response = through_proxy(
            client, LV_URL, form_data(email=f"a{number}@example.com"), sender=ANNA
        )
        assert response.status_code == 302

    third = through_proxy(client, LV_URL, form_data(email="a3@example.com"), sender=ANNA)
    # Anna prepending another address to the header is still Anna.
    forged = through_proxy(
        client, LV_URL, form_data(email="a4@example.com"), sender=f"{BERTA}, {ANNA}"
    )
    berta = through_proxy(client, LV_URL, form_data(email="b1@example.com"), sender=BERTA)

    assert (third.status_code, forged.status_code, berta.status_code) == (429, 429, 302)
    assert Case.objects.count() == 3


@pytest.mark.django_db
def test_without_a_proxy_a_forged_header_does_not_escape_the_rate_limit(client, form_settings):
    form_settings.PROXY_COUNT = 0
    statuses = [
        through_proxy(
            client, LV_URL, form_data(email=f"p{n}@example.com"), sender=f"192.0.2.{n}"
        ).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]


def failed_login(client, *, sender=None, remote=PROXY, username="kurzeme", password=WRONG_PASSWORD):
    meta = {"REMOTE_ADDR": remote}
    if sender is not None:
        meta["HTTP_X_FORWARDED_FOR"] = sender
    return client.post(reverse("login"), {"username": username, "password": password}, **meta)


@pytest.mark.django_db
def test_behind_the_proxy_the_audit_row_has_the_clients_address(
    client, settings, kurzeme_coordinator
):
    settings.PROXY_COUNT = 1
    failed_login(client, sender=f"{BERTA}, {ANNA}")
    failed_login(client, sender=ANNA, password="parole-123")

    failed, login = AuditEntry.objects.order_by("id")
    assert (failed.action, failed.ip_address) == ("login_failed", ANNA)
    assert (login.action, login.ip_address) == ("login", ANNA)


@pytest.mark.django_db
def test_without_a_proxy_the_audit_row_ignores_a_forged_header(
    client, settings, kurzeme_coordinator
):
    settings.PROXY_COUNT = 0
    failed_login(client, sender=BERTA, remote=ANNA)
    assert AuditEntry.objects.get(action="login_failed").ip_address == ANNA


@pytest.mark.django_db
def test_behind_the_proxy_a_lockout_locks_out_only_the_guessing_client(
    client, settings, kurzeme_coordinator
):
    settings.PROXY_COUNT = 1
    statuses = [failed_login(client, sender=ANNA).status_code for _attempt in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ANNA}
    assert failed_login(client, sender=ANNA, password="parole-123").status_code == 429

    # Berta, behind the same proxy, logs in with the same login name.
    response = failed_login(client, sender=BERTA, password="parole-123")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(kurzeme_coordinator.pk)


@pytest.mark.django_db
def test_without_a_proxy_a_forged_header_does_not_dodge_the_lockout(
    client, settings, kurzeme_coordinator
):
    settings.PROXY_COUNT = 0
    statuses = [
        failed_login(client, sender=f"192.0.2.{attempt}", remote=ANNA).status_code
        for attempt in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ANNA}
