"""Sending the e-mails that are due, and trying again later when the SMTP server fails.

A run claims due messages in a short transaction (composing those whose window has closed, and
moving their next attempt a lease ahead so that no other worker takes them), then talks to
the SMTP server outside any transaction and records each outcome. A worker that dies while
sending leaves its messages to be claimed again when the lease ends: a message may go out
twice, never not at all. Retries carry the same Message-ID, so mail clients show one.
"""

import logging
import smtplib
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from irtis.audit import trail
from irtis.audit.models import Action
from irtis.core.changes import change_entry

from . import mail
from .models import Message

log = logging.getLogger(__name__)

BATCH = 100
LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 10
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=1)
COMPOSED = ["composed", "to", "language", "subject", "body", "status", "attempts", "last_error", "next_attempt"]


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4 … minutes after the failed attempt, at most an hour (10 attempts span about 4 hours)."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


def send_due(now: datetime | None = None) -> int:
    """Send every message due at `now`; the number sent."""
    now = now or timezone.now()
    sent = 0
    while batch := claim(now):
        sent += send(batch, now)
        if len(batch) < BATCH:
            break
    return sent


def claim(now: datetime) -> list[Message]:
    """Due messages, composed, each counted as an attempt and leased to this run."""
    with transaction.atomic():
        batch = list(
            Message.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient__notification_profile")
            .filter(status=Message.Status.QUEUED, next_attempt__lte=now)
            .order_by("next_attempt", "id")[:BATCH]
        )
        for message in batch:
            message.composed = message.composed or now
            if not message.body:
                _compose(message)
            if message.status == Message.Status.QUEUED:
                message.attempts += 1
                message.next_attempt = now + LEASE
        Message.objects.bulk_update(batch, COMPOSED)
    return [m for m in batch if m.status == Message.Status.QUEUED]


def _compose(message: Message) -> None:
    user = message.recipient
    if user is None or not user.email:
        message.status, message.next_attempt = Message.Status.FAILED, None
        message.last_error = mail.no_address_error(user)
        return
    profile = getattr(user, "notification_profile", None)
    message.language = profile.language if profile else settings.LANGUAGE_CODE
    message.to = user.email
    events = list(message.events.order_by("first", "id"))
    with translation.override(message.language):
        message.subject, message.body = mail.compose(events, user, message.kind)


def send(batch: list[Message], now: datetime) -> int:
    """Send claimed messages over one SMTP connection and record what happened to each."""
    connection = mail.connection()
    try:
        connection.open()
    except Exception as error:  # whatever it is, each claimed message gets its outcome recorded
        for message in batch:
            _failed(message, error, now)
        return 0
    sent = 0
    try:
        for message in batch:
            try:
                connection.send_messages([mail.email(message)])
            except Exception as error:
                _failed(message, error, now, final=_permanent(error))
            else:
                message.status, message.sent, message.next_attempt, message.last_error = (
                    Message.Status.SENT, timezone.now(), None, "",
                )
                message.save(update_fields=["status", "sent", "next_attempt", "last_error"])
                sent += 1
    finally:
        connection.close()
    return sent


def _permanent(error: Exception) -> bool:
    """The server refuses the address or the message itself (5xx): retrying cannot help.

    Connection, TLS, sign-in and sender errors are the server's or our configuration's, and are
    retried: they heal when an administrator fixes them.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPDataError) and error.smtp_code >= 500


def _failed(message: Message, error: Exception, now: datetime, final: bool = False) -> None:
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    if final or message.attempts >= MAX_ATTEMPTS:
        message.status, message.next_attempt = Message.Status.FAILED, None
    else:
        message.next_attempt = now + retry_delay(message.attempts)
    log.warning("E-mail %s to %s: attempt %d failed: %s", message.pk, message.to, message.attempts, error)
    message.save(update_fields=["status", "next_attempt", "last_error"])


def resend(message: Message) -> None:
    """Queue a message again (an administrator's decision, recorded in the audit trail)."""
    fields = ["status", "attempts", "last_error", "next_attempt", "sent"]
    before = {f: str(getattr(message, f) or "") for f in fields}
    message.status, message.attempts, message.last_error = Message.Status.QUEUED, 0, ""
    message.next_attempt, message.sent = timezone.now(), None
    with transaction.atomic():
        message.save(update_fields=fields)
        after = {f: str(getattr(message, f) or "") for f in fields}
        trail.append([change_entry(message, Action.UPDATE, before, after)])
