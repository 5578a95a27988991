"""An RFC 822 message read into what the portal keeps: addresses, threading headers, the
text without its quoted history, and the attached files. HTML is never rendered: its text
is collected with the standard library's parser, quoted blocks left out."""

import email
import email.policy
import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser

from django.utils import timezone

RECIPIENT_HEADERS = ("Delivered-To", "X-Original-To", "To", "Cc", "Envelope-To")
MESSAGE_ID = re.compile(r"<[^<>\s]+>")

# The first line of a client's quoted history: everything from it on is the old mail.
QUOTE_STARTS = [
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"^-{2,}\s*(original message|oriģinālā ziņa|sākotnējā ziņa|исходное сообщение)\s*-{2,}",
        r"^-{2,}\s*(forwarded message|pārsūtītā ziņa|пересылаемое сообщение)\s*-{2,}",
        r"^_{10,}\s*$",  # Outlook's rule above the old mail's From: block
        r".*\b(wrote|rakstīja|пишет|написал|написала|написал\(а\)):\s*$",
    )
]
# "On Mon, 3 Mar 2026 at 10:00, Someone <a@b>" with "wrote:" on the next line (Gmail wraps).
WRAPPED_ATTRIBUTION = re.compile(r"^(on|am|le|\d{1,2}[./]\d{1,2}[./]\d{2,4}|.*\d{4}\b).*[,<>]")
WRAPPED_END = re.compile(r"^.*(wrote|rakstīja|пишет|написал[аи]?(\(а\))?):\s*$", re.IGNORECASE)
# Outlook's header block of the old mail: From/Sent/To/Subject in the client's language.
HEADER_BLOCK_FROM = re.compile(r"^\*?(from|no|от|kimden|von|de):\*?\s", re.IGNORECASE)
HEADER_BLOCK_OTHER = re.compile(
    r"^\*?(sent|date|to|subject|nosūtīts|datums|kam|temats|отправлено|дата|кому|тема):\*?\s",
    re.IGNORECASE,
)


@dataclass
class File:
    filename: str
    content: bytes
    declared_type: str


@dataclass
class Parsed:
    message_id: str
    from_address: str
    subject: str
    received_at: datetime
    recipients: list[str]
    thread_ids: list[str]
    text: str
    files: list[File] = field(default_factory=list)


def message_parse(raw: bytes) -> Parsed:
    """The parts of one message the portal keeps."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)  # noqa: S101 - the default policy's class
    return Parsed(
        message_id=_message_id(message, raw),
        from_address=_first_address(message.get("From", "")),
        subject=_header(message, "Subject")[:300],
        received_at=_date(message),
        recipients=[
            address.lower()
            for name in RECIPIENT_HEADERS
            for _name, address in getaddresses([str(value) for value in message.get_all(name, [])])
            if address
        ],
        thread_ids=MESSAGE_ID.findall(
            f"{_header(message, 'In-Reply-To')} {_header(message, 'References')}"
        ),
        text=quoted_history_strip(_text(message)),
        files=_files(message),
    )


def _header(message: EmailMessage, name: str) -> str:
    try:
        return str(message.get(name, "") or "").strip()
    except (ValueError, TypeError):  # a header the parser cannot decode
        return ""


def _message_id(message: EmailMessage, raw: bytes) -> str:
    """The sender's Message-ID, or one made from the content, so the same bytes seen twice
    are still one message. A very long one is kept as its hash."""
    found = MESSAGE_ID.search(_header(message, "Message-ID"))
    value = found.group(0) if found else f"<sha256.{hashlib.sha256(raw).hexdigest()}@inbound>"
    if len(value) > 255:
        value = f"<sha256.{hashlib.sha256(value.encode()).hexdigest()}@inbound>"
    return value


def _first_address(value: object) -> str:
    addresses = [address for _name, address in getaddresses([str(value)]) if address]
    return addresses[0][:320] if addresses else ""


def _date(message: EmailMessage) -> datetime:
    try:
        when = parsedate_to_datetime(_header(message, "Date"))
    except (TypeError, ValueError, IndexError):
        return timezone.now()
    if timezone.is_naive(when):
        when = timezone.make_aware(when, timezone.get_current_timezone())
    return min(when, timezone.now())  # a sender's clock ahead puts nothing in the future


def _text(message: EmailMessage) -> str:
    """The plain text part, or the HTML part's text when the sender sent HTML only."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, ValueError):  # an unknown charset: decode what can be decoded
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    if not isinstance(content, str):
        return ""
    if part.get_content_type() == "text/html":
        return html_text(content)
    return content


def _files(message: EmailMessage) -> list[File]:
    files = []
    for part in message.iter_attachments():
        if part.is_multipart():
            continue
        content = part.get_payload(decode=True)
        if not isinstance(content, bytes):
            continue
        filename = part.get_filename() or "attachment"
        files.append(
            File(filename=filename, content=content, declared_type=part.get_content_type())
        )
    return files


def quoted_history_strip(text: str) -> str:
    """The new text of a reply: lines quoted with ">" dropped, and everything from the
    first line of a client's quoted history on (English, Latvian, Russian clients,
    Outlook's header block)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    for index, line in enumerate(lines):
        stripped = line.strip()
        if _history_starts(stripped, lines[index + 1 : index + 5]):
            break
        if stripped.startswith(">"):
            continue
        kept.append(line.rstrip())
    return "\n".join(kept).strip()


def _history_starts(line: str, following: list[str]) -> bool:
    if any(pattern.match(line) for pattern in QUOTE_STARTS):
        return True
    nxt = following[0].strip() if following else ""
    if line and WRAPPED_ATTRIBUTION.match(line) and WRAPPED_END.match(nxt):
        return True
    if HEADER_BLOCK_FROM.match(line):
        return sum(1 for other in following if HEADER_BLOCK_OTHER.match(other.strip())) >= 2
    return False


BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "hr"}
SKIPPED_TAGS = {"script", "style", "head", "title", "blockquote"}


class _TextCollector(HTMLParser):
    """Text of an HTML mail: nothing fetched, nothing run; quoted blocks (blockquote,
    Gmail's quote container) left out. A skipped element ends at the end tag that closes
    it, counted by name, so an unclosed <p> inside it does not matter."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_tag = ""
        self.skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip_tag:
            self.skip_depth += tag == self.skip_tag
            return
        classes = " ".join(value or "" for name, value in attrs if name == "class")
        if tag in SKIPPED_TAGS or "gmail_quote" in classes:
            self.skip_tag, self.skip_depth = tag, 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self.skip_tag:
            if tag == self.skip_tag:
                self.skip_depth -= 1
                if not self.skip_depth:
                    self.skip_tag = ""
            return
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip_tag:
            self.parts.append(data)


def html_text(html: str) -> str:
    """The readable text of an HTML body, lines kept, runs of blank lines folded."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    text = "".join(collector.parts)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
