"""PDF from the document's print HTML by WeasyPrint (see docs/dependencies.md for the choice).

WeasyPrint lays out HTML and CSS itself and needs Pango from Debian (libpango-1.0-0,
libpangoft2-1.0-0) for text; fonts come through fontconfig, and DejaVu Sans
(fonts-dejavu-core) has every Lithuanian letter. It embeds only the glyphs used and keeps the
text extractable. Imported on first use: loading it takes a couple of seconds, which only PDF
requests should pay.
"""

import ctypes.util
import importlib.util
from collections.abc import Callable, Mapping
from typing import Any

INSTALL_HINT = "apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core"


class PDFUnavailable(Exception):
    """WeasyPrint or a library it needs is missing; the message says which."""


def unavailable() -> str:
    """Why WeasyPrint cannot run here ("" when it can), without the cost of importing it."""
    if importlib.util.find_spec("weasyprint") is None:
        return "the Python package weasyprint is not installed"
    for library in ("pango-1.0", "pangoft2-1.0"):
        if ctypes.util.find_library(library) is None:
            return f"the library lib{library} is not installed"
    return ""


def write_pdf(html: str, images: Mapping[str, Callable[[], bytes]] | None = None) -> bytes:
    """The PDF of `html`. `images` maps the address of an <img> ("diagram:3") to what gives its
    PNG: WeasyPrint asks for it when it reaches the image, after reading the HTML and its styles,
    so the picture can still be drawing meanwhile (an image that fails shows its alt text)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:  # OSError: a Pango library is missing
        raise PDFUnavailable(f"{error} ({INSTALL_HINT})") from error
    return HTML(string=html, url_fetcher=_fetcher(images or {})).write_pdf()


def _fetcher(images: Mapping[str, Callable[[], bytes]]) -> Any:
    """WeasyPrint's URL fetcher that answers `images` itself and leaves the rest to WeasyPrint."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class Fetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url in images:
                return URLFetcherResponse(url, images[url](), {"Content-Type": "image/png"})
            return super().fetch(url, headers)

    return Fetcher()
