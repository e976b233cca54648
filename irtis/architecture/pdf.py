"""PDF from the document's print HTML by WeasyPrint (see docs/dependencies.md for the choice).

WeasyPrint lays out HTML and CSS itself and needs Pango from Debian (libpango-1.0-0,
libpangoft2-1.0-0) for text; fonts come through fontconfig, and DejaVu Sans
(fonts-dejavu-core) has every Lithuanian letter. It embeds only the glyphs used, keeps the text
extractable and draws the SVG diagram as vectors. Imported on first use: loading it takes
a couple of seconds, which only PDF requests should pay.
"""

import ctypes.util
import importlib.util

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


def write_pdf(html: str) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:  # OSError: a Pango library is missing
        raise PDFUnavailable(f"{error} ({INSTALL_HINT})") from error
    return HTML(string=html).write_pdf()
