"""The one load client of the form benchmarks: the portal, the peer and bare Django are
measured by the same code, so their figures differ only by the server.

Each simulated person GETs the form (cookies, CSRF token), then POSTs it and expects the
302 that a successful submission answers; the POST is timed, the GET is timed apart.
"""

import http.cookiejar
import statistics
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        """Do not follow: the 302 after a successful submission is the answer we time."""
        return None


def wait_until_up(url, timeout=60):
    """The page's text once the server answers; give up after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                return response.read().decode()
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer in time")


def submit(url, fill, number):
    """One person: load the form at `url`, send what `fill(number, page)` returns.
    Returns (GET seconds, POST seconds)."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect
    )
    started = time.perf_counter()
    with opener.open(url, timeout=30) as response:
        page = response.read().decode()
    got = time.perf_counter() - started
    body = urlencode(fill(number, page), doseq=True).encode()
    started = time.perf_counter()
    try:
        opener.open(url, data=body, timeout=30)
    except urllib.error.HTTPError as error:
        if error.code != 302:
            raise RuntimeError(f"{url} submission {number}: HTTP {error.code}") from error
    else:
        raise RuntimeError(f"{url} submission {number}: no redirect after the POST")
    return got, time.perf_counter() - started


def percentile(values, fraction):
    """The value below which `fraction` of the sorted `values` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(fraction * len(ordered)) - 1))]


def measure(url, fill, *, submissions, clients, first_number=0):
    """`clients` warm-up submissions, then `submissions` from `clients` threads.
    Returns a dict: submissions/s, POST p50/p95 and GET p50/p95 in ms."""
    lock = threading.Lock()
    posts, gets = [], []

    def one(number):
        got, posted = submit(url, fill, number)
        with lock:
            gets.append(got)
            posts.append(posted)

    for number in range(clients):  # warm-up, not counted
        submit(url, fill, 50_000_000 + first_number + number)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(one, range(first_number, first_number + submissions)))
    elapsed = time.perf_counter() - started
    return {
        "rate": submissions / elapsed,
        "post_p50": statistics.median(posts) * 1000,
        "post_p95": percentile(posts, 0.95) * 1000,
        "get_p50": statistics.median(gets) * 1000,
        "get_p95": percentile(gets, 0.95) * 1000,
    }
