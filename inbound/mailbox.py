"""The worker's reading of the IMAP mailbox named by `INBOUND_IMAP_URL`
(imaps://user:password@host:993/INBOX; imap:// without TLS, for tests): every unseen
message stored once, then flagged \\Seen. A message that could not be stored stays unseen,
so the next round tries it again. Runs in the worker only (jobs/schedule.py)."""

import contextlib
import imaplib
import logging
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.conf import settings

from .services import inbound_receive

logger = logging.getLogger(__name__)

IMAP_TIMEOUT = 30
BATCH = 200  # messages per round: a full mailbox is emptied over a few minutes


@dataclass(frozen=True)
class Mailbox:
    secure: bool
    host: str
    port: int
    user: str
    password: str
    folder: str


def mailbox_from_url(url: str) -> Mailbox:
    """The parts of an imap:// or imaps:// URL (user and password URL-encoded)."""
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps") or not parts.hostname:
        raise ValueError("INBOUND_IMAP_URL must be imap://… or imaps://…")
    secure = parts.scheme == "imaps"
    return Mailbox(
        secure=secure,
        host=parts.hostname,
        port=parts.port or (993 if secure else 143),
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        folder=unquote(parts.path.lstrip("/")) or "INBOX",
    )


def _connect(mailbox: Mailbox) -> imaplib.IMAP4:
    if mailbox.secure:
        return imaplib.IMAP4_SSL(mailbox.host, mailbox.port, timeout=IMAP_TIMEOUT)
    return imaplib.IMAP4(mailbox.host, mailbox.port, timeout=IMAP_TIMEOUT)


def mailbox_read(url: str | None = None) -> str:
    """One round: store the mailbox's unseen messages, flag each stored one \\Seen. Returns
    counts (for the job's run record), never addresses or subjects."""
    url = url if url is not None else settings.INBOUND_IMAP_URL
    if not url:
        return "not configured"
    mailbox = mailbox_from_url(url)
    new = again = failed = 0
    connection = _connect(mailbox)
    try:
        connection.login(mailbox.user, mailbox.password)
        connection.select(_quoted(mailbox.folder))
        _status, found = connection.uid("SEARCH", None, "UNSEEN")  # type: ignore[arg-type]
        for uid in (found[0] or b"").split()[:BATCH]:
            raw = _fetch(connection, uid)
            if raw is None:
                continue
            try:
                _message, created = inbound_receive(raw=raw)
            except Exception:  # noqa: BLE001 - one bad message must not stop the round
                logger.exception("Incoming e-mail UID %s not stored", uid.decode())
                failed += 1
                continue
            connection.uid("STORE", uid.decode(), "+FLAGS", "(\\Seen)")
            new, again = new + created, again + (not created)
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            connection.logout()
    return f"new={new} already_stored={again} failed={failed}"


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _fetch(connection: imaplib.IMAP4, uid: bytes) -> bytes | None:
    """The whole message, without setting \\Seen (that waits until it is stored)."""
    _status, data = connection.uid("FETCH", uid.decode(), "(BODY.PEEK[])")
    for item in data:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
            return item[1]
    return None
