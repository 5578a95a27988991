"""What a file is, by its first bytes, not by what its sender or its name claims (the
person's uploads, attachments of received mail), and the extension it is downloaded with."""

# (magic bytes at offset 0, type); the first that matches wins.
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"PK\x03\x04", "application/zip"),  # also .docx, .xlsx, .odt
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),  # .doc, .xls
)


def content_type_sniff(content: bytes) -> str:
    """The type the content shows; text that decodes as UTF-8 without control characters
    is text/plain; anything else application/octet-stream (not kept)."""
    for magic, kind in SIGNATURES:
        if content.startswith(magic):
            return kind
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    chunk = content[:4096]
    try:
        text = chunk.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(chunk) - 3:  # not just a character cut at the chunk's end
            return "application/octet-stream"
        text = chunk[: error.start].decode("utf-8")
    if any(ord(char) < 32 and char not in "\t\r\n\f" for char in text):
        return "application/octet-stream"
    return "text/plain"


# The extension a file is downloaded with: the detected type's, whatever the sender
# named it ("Diploma.pdf.hta" arrives as text and leaves as .txt, never as a program).
EXTENSIONS = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "application/zip": "zip",
    "application/x-ole-storage": "bin",
    "text/plain": "txt",
}


def download_name(*, name: str, content_type: str) -> str:
    """A header-safe file name that ends in the extension of the detected type: the sender's
    stem (ASCII letters, digits, "._-"), then that extension."""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = "".join(
        char if char.isascii() and (char.isalnum() or char in "_-") else "_" for char in stem
    )
    return f"{stem.strip('_-')[:80] or 'attachment'}.{EXTENSIONS.get(content_type, 'bin')}"
