"""Requests of scripts and other systems take a shorter chain of middlewares.

An API request that carries a token (`Authorization: Bearer …`) and no session cookie is made
by a program: the browser's middlewares (`IRTIS_BROWSER_MIDDLEWARE`: static files, sessions,
CSRF, sign-in from the session, messages) have nothing to do for it, and cost about a fifth of
a small read's Python. Such a request is answered by a Django handler built without them; its
user is anonymous until the API's authentication puts the token's user in its place. Every
other request, a token request with a session cookie included, takes the whole `MIDDLEWARE`.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponseBase

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class TokenRequestHandler(WSGIHandler):
    """Django's handler with `MIDDLEWARE` less the browser's."""

    def load_middleware(self, is_async: bool = False) -> None:
        # Django builds the chain from the setting alone; it is swapped for as long as that
        # takes (at start-up, before the server serves anything).
        whole = settings.MIDDLEWARE
        settings.MIDDLEWARE = [name for name in whole if name not in settings.IRTIS_BROWSER_MIDDLEWARE]
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = whole

    def get_response(self, request: HttpRequest) -> HttpResponseBase:
        request.user = AnonymousUser()
        return super().get_response(request)


def carries_token(environ: dict[str, Any]) -> bool:
    """Whether a request is an API request with a token and without a session cookie (the name
    anywhere in the cookies counts: when unsure, the whole chain)."""
    return (environ.get("PATH_INFO", "").startswith("/api/")
            and environ.get("HTTP_AUTHORIZATION", "")[:7].lower() == "bearer "
            and settings.SESSION_COOKIE_NAME not in environ.get("HTTP_COOKIE", ""))


def application(whole: WSGIHandler) -> WSGIApp:
    """`whole` for every request but a token request, which a `TokenRequestHandler` answers."""
    token_requests = TokenRequestHandler()

    def route(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        return (token_requests if carries_token(environ) else whole)(environ, start_response)

    return route
