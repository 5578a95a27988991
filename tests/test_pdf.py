"""common.pdf: PDFs render with the shipped fonts and never fetch anything outside static/."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader

from common.pdf import StaticURLFetcher, render_pdf, static_base_url


def pdf_text(pdf):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_render_pdf_keeps_latvian_and_cyrillic_text():
    pdf = render_pdf(
        "<html><body style=\"font-family: 'Portal Sans'\">"
        "<p>Ģirts Ķēniņš, Rēzeknes novads — ā č ē ģ ī ķ ļ ņ š ū ž</p><p>Добро пожаловать</p>"
        "</body></html>"
    )
    text = pdf_text(pdf)
    assert pdf.startswith(b"%PDF-")
    assert "Ģirts Ķēniņš" in text
    assert "ā č ē ģ ī ķ ļ ņ š ū ž" in text
    assert "Добро пожаловать" in text


def embedded_fonts(pdf):
    """{font name without subset prefix: True when the font file is embedded}."""
    fonts = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            name = str(font["/BaseFont"]).lstrip("/").split("+")[-1]
            fonts[name] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    return fonts


def test_render_pdf_embeds_the_shipped_font():
    pdf = render_pdf("<p style=\"font-family: 'Portal Sans'\">Ā <b>Ž</b></p>")
    # The @font-face family name shows the shipped file was used, not a system font.
    assert embedded_fonts(pdf) == {"Portal-Sans": True, "Portal-Sans-Bold": True}


def test_fetcher_serves_the_shipped_font_from_static():
    fetcher = StaticURLFetcher()
    font = Path(settings.STATICFILES_DIRS[0]) / "fonts" / "DejaVuSans.ttf"
    for url in (
        static_base_url() + "fonts/DejaVuSans.ttf",
        font.resolve().as_uri(),
    ):
        response = fetcher.fetch(url)
        assert response.read() == font.read_bytes()


def test_fetcher_serves_data_urls():
    response = StaticURLFetcher().fetch("data:text/plain;base64,SGVsbG8=")
    assert response.read() == b"Hello"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/secret.png",
        "https://example.com/logo.png",
        "ftp://example.com/file.txt",
        "file:///etc/passwd",
        "file://otherhost/work/static/fonts/DejaVuSans.ttf",
        "https://static.invalid/static/../../../../etc/passwd",
        "https://static.invalid/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "https://static.invalid/etc/passwd",
        "gopher://127.0.0.1/",
    ],
)
def test_fetcher_refuses_everything_outside_static(url):
    with pytest.raises(ValueError, match="Only data: URLs"):
        StaticURLFetcher().fetch(url)


def test_render_pdf_does_not_fetch_external_images(listening_server):
    base, requests = listening_server
    html = (
        f'<p>Before</p><img src="{base}/tracker.png"><img src="file:///etc/passwd">'
        f'<link rel="stylesheet" href="{base}/style.css">'
        f'<link rel="attachment" href="file:///etc/passwd"><p>After</p>'
    )
    pdf = render_pdf(html)
    render_pdf(html, base_url=base + "/")
    render_pdf('<img src="tracker.png"><p>relative</p>', base_url=base + "/")
    assert requests == []
    assert "root:" not in pdf_text(pdf)
    assert b"root:x:0:0" not in pdf
    assert "Before" in pdf_text(pdf) and "After" in pdf_text(pdf)
