"""PDF versions of the printable pages, drawn by WeasyPrint from the same HTML and print.css.

WeasyPrint needs the Pango libraries of the system (Debian: libpango-1.0-0,
libpangoft2-1.0-0); without them the PDF links are hidden and the pages still print."""

import functools
import logging

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

STYLESHEET = "css/print.css"


@functools.cache
def _weasyprint():
    try:
        import weasyprint
    except (ImportError, OSError):  # not installed, or the system libraries are missing
        logger.warning("WeasyPrint is not available: PDF downloads are off.", exc_info=True)
        return None
    return weasyprint


def available():
    return _weasyprint() is not None


def render_pdf(template_name, context, *, request, paper):
    """The PDF of `template_name` (a standalone document that includes the same content as
    the HTML page). Nothing is fetched: no file, no network (the stylesheet is read here)."""
    weasyprint = _weasyprint()
    html = render_to_string(template_name, context, request=request)
    with open(finders.find(STYLESHEET), encoding="utf-8") as css:
        stylesheets = [
            weasyprint.CSS(string=css.read()),
            weasyprint.CSS(string=f"@page {{ size: {paper}; }}"),
        ]
    no_fetching = weasyprint.urls.URLFetcher(allowed_protocols=["data"])
    return weasyprint.HTML(string=html, url_fetcher=no_fetching).write_pdf(stylesheets=stylesheets)
