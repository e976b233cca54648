"""Telling people that something happened: `notify()` is what other apps call.

    from irtis.notifications.events import notify
    notify("operations.incident_opened", roles=["infra_admin"], obj=incident, context={"severity": "P1"})

Each active recipient who may view the object gets what their preference for the kind says: a
notification in irtis, an e-mail, both or nothing. E-mails of one kind to one user wait for the
user's digest window and go out as one message (an event storm sends one e-mail); repeats of
the same event are counted, not repeated. Everything is written in the caller's transaction,
and delivery is asked for once it commits.
"""

import json
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from irtis.core import permissions

from . import kinds
from .models import Channel, Message, Notification, Preference

log = logging.getLogger(__name__)


def notify(
    kind: str,
    *,
    users: Iterable[Any] = (),
    roles: Iterable[str] = (),
    obj: models.Model | None = None,
    context: dict[str, Any] | None = None,
) -> list[Notification]:
    """Notify `users` and the members of `roles` (role codes) of an event about `obj`.

    `context` (JSON values) is available to the kind's subject and template. Returns the
    notifications written or updated; users who may not view `obj` are left out.
    """
    event = kinds.get(kind)
    context = json.loads(json.dumps(context or {}, cls=DjangoJSONEncoder))
    about = _about(obj)
    # A subject that does not fit its context is the caller's bug: fail now, not in the worker.
    str(event.subject) % {**context, "object": about["object_repr"]}
    recipients = _recipients(users, roles, obj)
    if not recipients:
        return []
    preferences = {p.user_id: p for p in Preference.objects.filter(user__in=recipients, kind=kind)}
    now = timezone.now()
    written = []
    due = False
    with transaction.atomic():
        for user in recipients:
            preference = preferences.get(user.pk)
            channel = preference.channel if preference else event.channel
            digest = preference.digest if preference else event.digest
            in_app = channel in (Channel.BOTH, Channel.IN_APP)
            by_mail = channel in (Channel.BOTH, Channel.EMAIL) and mail_enabled()
            if not (in_app or by_mail):
                continue
            message = _open_message(user, kind, now + timedelta(minutes=digest)) if by_mail else None
            due = due or (message is not None and message.next_attempt is not None and message.next_attempt <= now)
            written.append(_record(user, kind, about, context, in_app, message, now))
        if any(n.message_id for n in written):
            transaction.on_commit(lambda: request_delivery(None if due else _next_window(written)))
    return written


def mail_enabled() -> bool:
    """E-mail is offered only when an SMTP server is configured (IRTIS_SMTP_HOST)."""
    return bool(settings.EMAIL_HOST)


def _about(obj: models.Model | None) -> dict[str, Any]:
    if obj is None:
        return {"content_type": None, "object_id": None, "object_repr": "", "url": ""}
    url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
    return {
        "content_type": ContentType.objects.get_for_model(obj),
        "object_id": obj.pk,
        "object_repr": str(obj)[:200],
        "url": url[:500],
    }


def _recipients(users: Iterable[Any], roles: Iterable[str], obj: models.Model | None) -> list[Any]:
    """Active users named or holding one of the roles, who may view `obj`, in a stable order."""
    ids = [getattr(u, "pk", u) for u in users]
    roles = list(roles)
    if not ids and not roles:
        return []
    wanted = models.Q(pk__in=ids) | models.Q(groups__name__in=roles)
    found = list(get_user_model().objects.filter(wanted, is_active=True).distinct().order_by("pk"))
    if obj is None:
        return found
    allowed = [u for u in found if not permissions.check_objects(u, [obj], "view")]
    if len(allowed) < len(found):
        log.info("%d recipients of a notification about %s may not view it", len(found) - len(allowed), obj)
    return allowed


def _open_message(user: Any, kind: str, window_end: datetime) -> Message:
    """The user's e-mail of this kind that is still collecting events, or a new one."""
    message, _ = Message.objects.select_for_update().get_or_create(
        recipient=user, kind=kind, composed=None, defaults={"next_attempt": window_end},
    )
    return message


def _record(
    user: Any, kind: str, about: dict[str, Any], context: dict[str, Any], in_app: bool,
    message: Message | None, now: datetime,
) -> Notification:
    """A repeat of an unread event still waiting for its e-mail is counted on the same row."""
    same = Notification.objects.filter(
        recipient=user, kind=kind, content_type=about["content_type"], object_id=about["object_id"],
        shown=in_app, read__isnull=True, message=message,
    ).first()
    if same is not None:
        same.count += 1
        same.time = now
        same.context = context
        same.object_repr, same.url = about["object_repr"], about["url"]
        same.save(update_fields=["count", "time", "context", "object_repr", "url"])
        return same
    return Notification.objects.create(
        recipient=user, kind=kind, context=context, first=now, time=now, shown=in_app, message=message, **about,
    )


def _next_window(written: list[Notification]) -> datetime | None:
    ends = [n.message.next_attempt for n in written if n.message is not None and n.message.next_attempt]
    return min(ends) if ends else None


def request_delivery(when: datetime | None = None) -> None:
    """Start a delivery run now, or at `when` (the end of a digest window).

    A run that cannot be started loses nothing: the messages are in the database and the
    scheduled `deliver_pending` sends them.
    """
    from .jobs import deliver_pending

    try:
        deliver_pending.start(run_after=when)
    except Exception:  # the queue's own failure must not undo or fail the caller's work
        log.warning("Could not start e-mail delivery; the scheduled run will send it", exc_info=True)
