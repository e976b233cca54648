"""Attributes every change made while serving a request to its user, address and request id;
the language of a request; security headers."""

import uuid
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.db import DataError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _

from irtis.audit.context import changes_by, request_source


class LanguageMiddleware:
    """Pages speak the language the user chose (the cookie the language switch sets), else the
    site's, Lithuanian, whatever the browser asks for: the division's browsers are often English.
    The API answers in the chosen language too, and a client without one may ask by
    Accept-Language, as HTTP clients expect. (Django's LocaleMiddleware, less what irtis does
    not use: languages in the URL.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.languages = dict(settings.LANGUAGES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if chosen not in self.languages:
            chosen = _asked(chosen, request.META.get("HTTP_ACCEPT_LANGUAGE", "")) \
                if request.path.startswith("/api/") else settings.LANGUAGE_CODE
        if translation.get_language() != chosen:  # a thread keeps the language of its last request
            translation.activate(chosen)
        request.LANGUAGE_CODE = chosen
        response = self.get_response(request)
        if "Vary" in response:
            patch_vary_headers(response, ("Accept-Language",))
        else:
            response["Vary"] = "Accept-Language"
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


@lru_cache(maxsize=128)
def _asked(cookie: str, accept_language: str) -> str:
    """The site's language an API client asks for (Django's reading of a cookie with a variant,
    "en-gb", and of Accept-Language), for each cookie and header once."""
    asking = HttpRequest()
    asking.COOKIES = {settings.LANGUAGE_COOKIE_NAME: cookie} if cookie else {}
    asking.META = {"HTTP_ACCEPT_LANGUAGE": accept_language}
    return translation.get_language_from_request(asking)


class ChangeContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request.id = str(uuid.uuid4())  # type: ignore[attr-defined]  # kept on the request for views
        # The API authenticates inside the view; it sets the user on the context there.
        with changes_by(
            request.user, request_source(request.META), source_ip=request.META.get("REMOTE_ADDR"), request_id=request_id
        ):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


# Scripts only from this site's own files: markup injected into a page cannot run. Styles may be
# inline: objects carry their own colours (validated #rrggbb) shown as `style` attributes, which
# nonces cannot cover, and htmx adds its indicator style; CSS cannot run script.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:",
    "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
])


class ContentSecurityPolicyMiddleware:
    """Every response, static files included, carries the Content-Security-Policy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


NEVER_CACHED = "max-age=0, no-cache, no-store, must-revalidate, private"


class PrivatePagesMiddleware:
    """What a signed-in user (or a token) is shown is never kept by a browser or a proxy cache:
    it may be read by the next person at the same computer or behind the same proxy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            if "Cache-Control" in response or "Expires" in response:
                add_never_cache_headers(response)  # merged with the view's
            else:  # what add_never_cache_headers gives a response without them, in a fifth of the calls
                response["Expires"] = http_date()
                response["Cache-Control"] = NEVER_CACHED
        return response


class OutOfRangeMiddleware:
    """A number the database cannot hold (an id of 2**70 in a filter) is bad input, not a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OverflowError | DataError):
            return HttpResponseBadRequest(_("A value is out of the range the database can store."))
        return None
