"""The one load client of the form benchmarks: the portal, the peer and bare Django are
measured by the same code, so their figures differ only by the server.

Each simulated person GETs the form (cookies, CSRF token), then POSTs it and expects the
302 that a successful submission answers; the POST is timed, the GET is timed apart.
"""

import http.client
import statistics
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode, urlsplit


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


def _request(url, cookies, body=None):
    """One request on a connection of its own (gunicorn's sync workers close each one):
    the status and the body, the cookies it sets kept in `cookies`. http.client directly,
    not urllib.request's opener and cookie jar: the client shares the machine's cores with
    the server it measures, so every millisecond it spends is one the server does not get."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request("GET" if body is None else "POST", parts.path, body, headers)
        response = connection.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or ():
            name, _sep, rest = header.partition("=")
            cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, content
    finally:
        connection.close()


def submit(url, fill, number):
    """One person: load the form at `url`, send what `fill(number, page)` returns.
    Returns (GET seconds, POST seconds)."""
    cookies = {}
    started = time.perf_counter()
    status, page = _request(url, cookies)
    if status != 200:
        raise RuntimeError(f"{url} form {number}: HTTP {status}")
    got = time.perf_counter() - started
    body = urlencode(fill(number, page.decode()), doseq=True)
    started = time.perf_counter()
    status, _content = _request(url, cookies, body)
    if status != 302:
        raise RuntimeError(f"{url} submission {number}: HTTP {status}, not the redirect")
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
