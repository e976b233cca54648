"""Entries about the trail itself: reading, exporting and archiving it are audited too."""

import getpass

from django.contrib.contenttypes.models import ContentType

from . import trail
from .context import changes_by, current
from .models import AuditEntry


def record(action: str, detail: dict, *, cli: bool = False) -> AuditEntry:
    """Append one entry about the trail, attributed to the current request, job or command."""
    if cli:
        detail = {**detail, "os_user": _os_user()}
        with changes_by(None, "cli"):
            return _append(current(), action, detail)
    return _append(current(), action, detail)


def _append(ctx: object, action: str, detail: dict) -> AuditEntry:
    entry = ctx.entry(
        action=action,
        content_type=ContentType.objects.get_for_model(AuditEntry),
        object_repr=str(AuditEntry._meta.verbose_name_plural),
        after=detail,
    )
    return trail.append([entry])[0]


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
