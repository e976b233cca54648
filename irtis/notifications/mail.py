"""E-mail messages: their text in the recipient's language, and Django's SMTP backend to send them.

The SMTP settings come from IRTIS_SMTP_* (settings.py, docs/notifications.md). TLS, both
STARTTLS and implicit, checks the server's certificate against the system's CAs, or against
IRTIS_SMTP_CA_FILE for a relay with a certificate of the organisation's own CA.
"""

import ssl
from email.utils import formataddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends import smtp
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import kinds
from .models import Message, Notification


class EmailBackend(smtp.EmailBackend):
    """Django's SMTP backend, trusting IRTIS_SMTP_CA_FILE when it is set."""

    @cached_property
    def ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=settings.IRTIS_SMTP_CA_FILE or None)


def connection() -> EmailBackend:
    return EmailBackend()


def absolute(path: str) -> str:
    """A link that works from a mail client: IRTIS_BASE_URL in front of the site's path."""
    if not path or "://" in path:
        return path
    return settings.IRTIS_BASE_URL + path


def compose(events: list[Notification], user: Any, code: str) -> tuple[str, str]:
    """(subject, text) of an e-mail carrying `events`, in the active language."""
    kind = kinds.lookup(code)
    items = []
    for event in events:
        values = {**event.context, "object": event.object_repr}
        items.append({
            "event": event,
            "url": absolute(event.url),
            "text": render_to_string(
                kind.template, {**values, "event": event, "kind": kind, "url": absolute(event.url)},
            ).strip(),
        })
    total = sum(e.count for e in events)
    if total == 1:
        subject = kind.title(events[0].context, events[0].object_repr)
    else:
        subject = ngettext("%(kind)s: %(count)d event", "%(kind)s: %(count)d events", total) % {
            "kind": kind.label, "count": total,
        }
    body = render_to_string("notifications/email/message.txt", {
        "user": user, "items": items, "total": total, "kind": kind,
        "preferences_url": absolute(reverse("notifications:preferences")),
    })
    return " ".join(subject.split())[:255], body


def email(message: Message) -> EmailMessage:
    """The composed message as Django sends it; retries carry the same Message-ID."""
    name = message.recipient.get_full_name() if message.recipient else ""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "irtis"
    return EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[formataddr((name, message.to))],
        headers={
            "Message-ID": f"<irtis.{message.pk}.{message.created:%Y%m%d%H%M%S}@{domain}>",
            "Content-Language": message.language,
            "Auto-Submitted": "auto-generated",  # RFC 3834: no out-of-office replies
            "X-Auto-Response-Suppress": "All",  # the same for Exchange
        },
    )


def no_address_error(user: Any) -> str:
    if user is None:
        return _("The recipient's account no longer exists.")
    return _("%(user)s has no e-mail address.") % {"user": user}
