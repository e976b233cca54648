"""API token authentication, plugged into the platform's API by `IRTIS_API_AUTHENTICATION`."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from irtis.audit import context

from . import tokens


class TokenAuth(HttpBearer):
    """`Authorization: Bearer irt_…`: the token's user makes the request (and its changes);
    `request.token` tells the API whether the token is read-only."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = tokens.check(token, request.META.get("REMOTE_ADDR"))
        if found is None:
            return None
        request.user = found.user
        request.token = found
        context.set_user(found.user)
        return found
