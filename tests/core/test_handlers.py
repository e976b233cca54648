"""API requests with a token take the chain without the browser's middlewares
(`irtis.core.handlers`) and are answered as the whole chain answers them."""

import io
import json
from collections.abc import Iterator
from typing import Any
from unittest import mock
from wsgiref.util import setup_testing_defaults

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client

from irtis.audit.models import AuditEntry
from irtis.core import handlers
from irtis.identity import tokens
from irtis.inventory.models import Site
from tests.inventory import factories as f

pytestmark = pytest.mark.django_db
WSGIApp = Any
# A request's own: its id, the moment it expires (the second may turn between two answers).
OWN = {"X-Request-ID", "Expires"}


@pytest.fixture
def apps() -> Iterator[dict[str, WSGIApp]]:
    """The production route and Django's handler with the whole chain. Django closes the database
    connection at a request's start and end when it looks unusable, as one inside a test's
    transaction does: not meanwhile (Django's test client leaves it open likewise)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        whole = WSGIHandler()
        yield {"route": handlers.application(whole), "whole": whole}
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def call(app: WSGIApp, path: str, method: str = "GET", body: bytes = b"", **headers: str) -> tuple[int, dict[str, str],
                                                                                                   bytes]:
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body)), "CONTENT_TYPE": "application/json",
        **{f"HTTP_{name.upper()}": value for name, value in headers.items()},
    }
    setup_testing_defaults(environ)
    answer: list[Any] = []
    result = app(environ, lambda status, response_headers, *_: answer.extend([status, response_headers]))
    try:
        content = b"".join(result)
    finally:
        result.close()
    return int(answer[0].split()[0]), dict(answer[1]), content


def comparable(headers: dict[str, str]) -> dict[str, str]:
    """The headers but the request's own; `Vary` without `Cookie`, which the whole chain adds
    where a page (Django's 404) looked for a session."""
    vary = ", ".join(v for v in headers.get("Vary", "").split(", ") if v != "Cookie")
    return {**{k: v for k, v in headers.items() if k not in OWN}, "Vary": vary}


@pytest.fixture
def token(admin_user: Any) -> str:
    return tokens.issue(admin_user)[1]


def test_which_requests_carry_a_token() -> None:
    api = {"PATH_INFO": "/api/inventory/sites/", "HTTP_AUTHORIZATION": "Bearer irt_x"}
    assert handlers.carries_token(api)
    assert handlers.carries_token({**api, "HTTP_AUTHORIZATION": "bearer irt_x"})
    assert handlers.carries_token({**api, "HTTP_COOKIE": "django_language=en"})
    assert not handlers.carries_token({**api, "HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}=abc"})
    assert not handlers.carries_token({**api, "PATH_INFO": "/inventory/sites/"})
    assert not handlers.carries_token({**api, "HTTP_AUTHORIZATION": "Basic YTpi"})
    assert not handlers.carries_token({"PATH_INFO": "/api/inventory/sites/"})
    assert set(settings.IRTIS_BROWSER_MIDDLEWARE) < set(settings.MIDDLEWARE)


def test_token_requests_are_answered_as_the_whole_chain_answers_them(apps: dict[str, WSGIApp], token: str) -> None:
    site = f.site("DC1")
    bearer = {"authorization": f"Bearer {token}"}
    requests: list[tuple[str, dict[str, str]]] = [
        (f"/api/inventory/sites/{site.pk}/", bearer),
        ("/api/inventory/sites/?limit=1&q=DC", bearer),
        ("/api/inventory/sites/?kind=kosmodromas", bearer),
        ("/api/inventory/sites/?kind=kosmodromas", {**bearer, "accept_language": "en"}),
        ("/api/inventory/sites/?colour=red", bearer),
        (f"/api/inventory/sites/{site.pk + 1000}/", bearer),
        ("/api/inventory/no-such-things/", bearer),
        ("/api/inventory/sites/", {"authorization": "Bearer irt_wrong"}),
    ]
    taken = mock.patch.object(handlers.TokenRequestHandler, "get_response", autospec=True,
                              side_effect=handlers.TokenRequestHandler.get_response)
    for path, headers in requests:
        with taken as lean_chain:
            status, lean, body = call(apps["route"], path, **headers)
        assert lean_chain.call_count == 1, path
        whole_status, whole, whole_body = call(apps["whole"], path, **headers)
        assert (status, body) == (whole_status, whole_body), path
        assert comparable(lean) == comparable(whole), path
    assert call(apps["route"], "/api/inventory/sites/?kind=x", **bearer, accept_language="en")[1]["Content-Language"] \
           == "en"


def test_a_token_write_is_audited_as_the_tokens_user(apps: dict[str, WSGIApp], token: str, admin_user: Any) -> None:
    status, headers, body = call(apps["route"], "/api/inventory/sites/", "POST",
                                 json.dumps({"name": "DC9", "code": "dc9", "kind": "datacentre"}).encode(),
                                 authorization=f"Bearer {token}")
    assert status == 201, body
    entry = AuditEntry.objects.filter(object_id=Site.objects.get(name="DC9").pk).latest("pk")
    assert (entry.actor, entry.source_ip, entry.request_id) == (admin_user, "127.0.0.1", headers["X-Request-ID"])


def test_a_session_signs_in_where_the_token_does_not(apps: dict[str, WSGIApp], admin_user: Any) -> None:
    """A browser's request with a session cookie takes the whole chain: a wrong token falls back
    to the session's user."""
    browser = Client()
    browser.force_login(admin_user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"
    wrong = {"authorization": "Bearer irt_wrong"}
    assert call(apps["route"], "/api/inventory/sites/", **wrong, cookie=cookie)[0] == 200
    assert call(apps["route"], "/api/inventory/sites/", **wrong)[0] == 401
