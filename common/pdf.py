"""HTML to PDF with WeasyPrint, fetching nothing from the network.

Every PDF the portal makes goes through `render_pdf`. WeasyPrint would otherwise fetch any
http, https, ftp or file URL that appears in the document (and follow redirects), so a URL in
text that a person typed could make the server request internal addresses or embed local
files. `StaticURLFetcher` serves only `data:` URLs and files under the project's static
folders and refuses everything else.

Relative URLs and `/static/...` resolve against `STATIC_BASE_URL`, an address under the
reserved `.invalid` domain that never reaches the network: the fetcher maps it to the files
in `settings.STATICFILES_DIRS`.
"""

import mimetypes
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_ORIGIN = "https://static.invalid"

# Fonts shipped in static/fonts/ (DejaVu, free licence, see static/fonts/LICENSE-DejaVu.txt),
# so Latvian diacritics and Cyrillic look the same on every machine. Templates use the
# family "Portal Sans"; a unique name makes sure the shipped files are used, not whatever
# fontconfig finds on the machine.
FONT_FAMILY = "Portal Sans"
FONT_FACE_CSS = f"""
@font-face {{
  font-family: "{FONT_FAMILY}";
  font-weight: normal;
  font-style: normal;
  src: url("fonts/DejaVuSans.ttf");
}}
@font-face {{
  font-family: "{FONT_FAMILY}";
  font-weight: bold;
  font-style: normal;
  src: url("fonts/DejaVuSans-Bold.ttf");
}}
"""

URL_REFUSED = "Only data: URLs and the project's static files may be used in a PDF: %s"


def static_base_url():
    """The base against which relative and `/static/...` URLs of a PDF resolve."""
    return STATIC_ORIGIN + "/" + settings.STATIC_URL.strip("/") + "/"


def static_directories():
    return [Path(directory).resolve() for directory in settings.STATICFILES_DIRS]


def static_file(relative_path):
    """The file under one of the static folders at `relative_path`, or None.

    Refuses anything that resolves outside them (`..`, absolute paths, symlinks out).
    """
    for directory in static_directories():
        candidate = (directory / relative_path.lstrip("/")).resolve()
        if candidate.is_relative_to(directory) and candidate.is_file():
            return candidate
    return None


class StaticURLFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that never opens a connection.

    Serves `data:` URLs, URLs under `STATIC_BASE_URL`, and `file:` URLs of files inside
    the static folders; raises ValueError for everything else, which WeasyPrint reports as
    a warning and skips (the image or stylesheet is left out, the PDF is still made).
    """

    def __init__(self, **kwargs):
        # No redirects and no protocols beyond data: for the parent's opener; `fetch`
        # below decides everything else itself.
        super().__init__(allowed_protocols=("data",), allow_redirects=False, **kwargs)

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)
        path = self.static_path(url)
        if path is None:
            raise ValueError(URL_REFUSED % url[:200])
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), path.read_bytes(), headers={"Content-Type": content_type}
        )

    @staticmethod
    def static_path(url):
        """The static file that `url` names, or None when it names anything else."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "file":
            if parts.netloc not in ("", "localhost"):
                return None
            path = Path(url2pathname(unquote(parts.path))).resolve()
            for directory in static_directories():
                if path.is_relative_to(directory) and path.is_file():
                    return path
            return None
        if scheme == "https" and f"https://{parts.netloc}" == STATIC_ORIGIN:
            prefix = "/" + settings.STATIC_URL.strip("/") + "/"
            request_path = unquote(parts.path)
            if not request_path.startswith(prefix):
                return None
            return static_file(request_path.removeprefix(prefix))
        return None


_font_config = None
# One FontConfiguration is shared, and WeasyPrint does not promise that two renders may use
# it at once from two threads, so renders in one process take turns.
_render_lock = threading.RLock()


def font_configuration():
    """One FontConfiguration for the process: loading fonts once saves time on each PDF."""
    global _font_config
    with _render_lock:
        if _font_config is None:
            _font_config = FontConfiguration()
        return _font_config


def render_pdf(html: str, *, base_url=None) -> bytes:
    """Render an HTML document (already escaped by the template engine) to PDF bytes.

    `base_url` defaults to the static folder, so `fonts/...`, `css/...` and `/static/...`
    resolve to the project's static files. Nothing outside them is ever fetched.
    """
    fetcher = StaticURLFetcher()
    with _render_lock:
        font_config = font_configuration()
        fonts = CSS(
            string=FONT_FACE_CSS,
            base_url=static_base_url(),
            url_fetcher=fetcher,
            font_config=font_config,
        )
        document = HTML(string=html, base_url=base_url or static_base_url(), url_fetcher=fetcher)
        return document.write_pdf(stylesheets=[fonts], font_config=font_config)
