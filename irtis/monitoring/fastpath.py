"""The alert webhook's lean route: `POST /monitoring/alerts/<source>/` answered in front of
Django's request handling and its middlewares (≈ 1 ms of CPU a request), for monitors that post
hundreds of notifications a second.

It does what those middlewares do for this one path and nothing more: the client's address by
the trusted-proxy rule (`irtis.identity.proxy.client_address`, as `ClientAddressMiddleware`),
the language (the language cookie, else Lithuanian, as `LanguageMiddleware` for pages), the
change context refusals are audited under (as `ChangeContextMiddleware`: a request id, no user)
and the same security headers; Django's request signals (database connections tidied). The
answer itself is the view's (`irtis.monitoring.webhook.respond`): the same refusals, audit and
messages. A request it is not sure of (another method or path, an unknown source, no
`Content-Length`, a host not allowed, plain HTTP where HTTPS is required) goes to Django as
before, which answers it as it always has.
"""

import json
import logging
import re
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core import signals
from django.http import parse_cookie
from django.http.request import split_domain_port, validate_host
from django.utils import translation

from irtis.audit.context import changes_by, request_source
from irtis.core.middleware import CONTENT_SECURITY_POLICY
from irtis.identity.proxy import client_address

from . import alerts, inbox, webhook

logger = logging.getLogger(__name__)
PATH = re.compile(r"/monitoring/alerts/([a-z]+)/\Z")
REASONS = {202: "Accepted", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 413: "Payload Too Large",
           429: "Too Many Requests"}
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def wrap(django: WSGIApp) -> WSGIApp:
    """The WSGI application: the webhook's lean route, everything else `django`."""

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        match = PATH.match(environ.get("PATH_INFO", ""))
        if match is None or environ.get("REQUEST_METHOD") != "POST" or not _plain(environ, match[1]):
            return django(environ, start_response)
        return receive(environ, start_response, match[1])

    return application


def _plain(environ: dict[str, Any], source: str) -> bool:
    """Whether the lean route answers this request as Django would."""
    length = environ.get("CONTENT_LENGTH") or ""
    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    return (source in alerts.PARSERS and length.isdigit() and validate_host(split_domain_port(host)[0],
                                                                            settings.ALLOWED_HOSTS)
            and (_secure(environ) or not settings.SECURE_SSL_REDIRECT))


def _secure(environ: dict[str, Any]) -> bool:
    """As `HttpRequest.is_secure` (`SECURE_PROXY_SSL_HEADER`: a trusted proxy's word)."""
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure = settings.SECURE_PROXY_SSL_HEADER
        if header in environ:
            return environ[header].split(",")[0].strip() == secure
    return environ.get("wsgi.url_scheme") == "https"


class Answer(list[bytes]):
    """The answer's body; closed by the server once it is sent: the inbox worked off after an
    accepted notification (the client does not wait for it), then Django's end of a request."""

    def __init__(self, body: bytes, accepted: bool) -> None:
        super().__init__([body])
        self.accepted = accepted

    def close(self) -> None:
        try:
            if self.accepted:
                inbox.work_off()
        except Exception:  # the database is away: the notifications wait for the next one
            logger.exception("The alert inbox could not be worked off")
        finally:
            signals.request_finished.send(sender=Answer)


def receive(environ: dict[str, Any], start_response: Callable[..., Any], source: str) -> Iterable[bytes]:
    signals.request_started.send(sender=Answer, environ=environ)
    try:
        language = _language(environ)
        translation.activate(language)
        client = client_address(environ.get("REMOTE_ADDR"), environ.get("HTTP_X_FORWARDED_FOR"))
        length = int(environ["CONTENT_LENGTH"])
        request_id = str(uuid.uuid4())
        with changes_by(None, request_source(environ), source_ip=client, request_id=request_id):
            status, answer = webhook.respond(source, environ.get("HTTP_AUTHORIZATION", ""), length,
                                             lambda: environ["wsgi.input"].read(length), client)
    except BaseException:  # the server answers 500; this request's end for Django all the same
        signals.request_finished.send(sender=Answer)
        raise
    body = json.dumps(answer).encode()
    start_response(f"{status} {REASONS[status]}", _headers(environ, len(body), request_id, language))
    return Answer(body, status == 202)


def _language(environ: dict[str, Any]) -> str:
    """The language cookie's, else the site's (as `irtis.core.middleware.LanguageMiddleware`)."""
    chosen = parse_cookie(environ["HTTP_COOKIE"]).get(settings.LANGUAGE_COOKIE_NAME, "") \
        if "HTTP_COOKIE" in environ else ""
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _headers(environ: dict[str, Any], length: int, request_id: str, language: str) -> list[tuple[str, str]]:
    """The headers Django's middlewares give such an answer."""
    headers = [("Content-Type", "application/json"), ("Content-Length", str(length)),
               ("X-Request-ID", request_id), ("X-Frame-Options", settings.X_FRAME_OPTIONS),
               ("Vary", "Accept-Language, Cookie"), ("Content-Language", language),
               ("Content-Security-Policy", CONTENT_SECURITY_POLICY)]
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers.append(("X-Content-Type-Options", "nosniff"))
    if settings.SECURE_REFERRER_POLICY:
        headers.append(("Referrer-Policy", settings.SECURE_REFERRER_POLICY))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
    if settings.SECURE_HSTS_SECONDS and _secure(environ):
        hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        hsts += "; includeSubDomains" if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS else ""
        hsts += "; preload" if settings.SECURE_HSTS_PRELOAD else ""
        headers.append(("Strict-Transport-Security", hsts))
    return headers
