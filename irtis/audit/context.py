"""Who is changing things, from where and how: carried with the request, job or command."""

import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any

from .models import AuditEntry, Source


@dataclass(frozen=True)
class ChangeContext:
    user: object | None = None
    source: str = Source.SYSTEM
    source_ip: str | None = None
    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    def entry(self, **values: object) -> AuditEntry:
        """A new, unchained audit entry attributed to this context."""
        user: Any = self.user if getattr(self.user, "is_authenticated", False) else None
        return AuditEntry(
            actor=user,
            actor_name=user.get_username() if user else "",
            source=self.source,
            source_ip=self.source_ip,
            request_id=self.request_id,
            **values,
        )


_current: ContextVar[ChangeContext] = ContextVar("irtis_change_context", default=ChangeContext())  # noqa: B039 (frozen)


def current() -> ChangeContext:
    return _current.get()


@contextmanager
def changes_by(user: object | None = None, source: str = Source.SYSTEM, **values: Any) -> Iterator[ChangeContext]:
    """Attribute the changes made inside the block to `user` acting through `source`."""
    ctx = replace(ChangeContext(), user=user, source=source, **values)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def request_source(meta: Mapping[str, Any]) -> str:
    """Where a request's changes come from: a script's call carries its token (the API); a page,
    even its button posting to the API, the session (the UI)."""
    return Source.API if "HTTP_AUTHORIZATION" in meta else Source.UI


def set_user(user: object) -> None:
    """Attribute the rest of this request's changes to `user` (after API authentication)."""
    _current.set(replace(current(), user=user))
