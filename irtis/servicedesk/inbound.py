"""Inbound e-mail: a message becomes a request, or a message of the request it answers.

    receive(raw, mail_from, rcpt_tos) -> Outcome

Threading: the request number in the subject (`[SD-000123]`), else In-Reply-To / References
naming a message the desk stored or sent. Bad input:
- **Forged senders**: a request from an address of no active user, or whose envelope sender
  (MAIL FROM) differs from its From, is kept but marked unverified (`verified=False`) and
  nobody is answered by mail; the desk sees the mark. A reply from someone other than the
  requester is added to the thread, unverified.
- **Loops**: auto-replies (`Auto-Submitted` other than "no", `X-Auto-Response-Suppress`,
  `Precedence: bulk/junk/list/auto_reply`, `X-Autoreply`, an empty envelope sender) never
  open a request and are never answered: one answering a request is added to it as an automatic
  message, any other is kept in the mail archive. Mail from the desk's own address is archived
  too. The SMTP receiver defers (451) a sender past `sender_limit()` messages in ten minutes.
- **Attachments**: those over the size limit or of a type not allowed are not stored in the
  database; the message says so, and the whole original message is kept in the archive.
- **HTML**: only text is stored. An HTML-only message is turned into text by nh3 (scripts and
  styles dropped with their content); pages escape it like any text.
"""

import datetime as dt
import email
import email.policy
import gzip
import hashlib
import html
import logging
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses, make_msgid, parseaddr
from pathlib import Path
from typing import Any

import nh3
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from irtis.audit.context import changes_by
from irtis.audit.models import Source

from . import settings as desk_settings
from .models import Attachment, Channel, Message, Queue, Request

log = logging.getLogger(__name__)
NUMBER = re.compile(r"\bSD-(\d{6})\b")
AUTOMATIC_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
NO_HTML: set[str] = set()


@dataclass
class Outcome:
    action: str  # "request", "message", "archived"
    request: Request | None = None
    message: Message | None = None


def automatic(message: EmailMessage, mail_from: str) -> bool:
    """Is it an auto-reply or other machine-sent mail that must never be answered (RFC 3834)?"""
    submitted = str(message.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(message.get("Precedence", "")).strip().lower()
    return (not mail_from or submitted != "no" or precedence in AUTOMATIC_PRECEDENCE
            or "X-Auto-Response-Suppress" in message or "X-Autoreply" in message or "X-Autorespond" in message)


def text_of(message: EmailMessage) -> str:
    """The message's text: its plain part, else its HTML part with every tag removed."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeError):  # an unknown or lying charset: the bytes as Latin-1 lose nothing
        payload = part.get_payload(decode=True)
        content = payload.decode("latin-1") if isinstance(payload, bytes) else ""
    if part.get_content_subtype() == "html":
        content = html.unescape(nh3.clean(content, tags=NO_HTML, clean_content_tags={"script", "style"}))
    content = content.replace("\x00", "").replace("\r\n", "\n")
    return re.sub(r"\n{3,}", "\n\n", content).strip()


def archive(raw: bytes) -> Path:
    """Keep the original message (gzip, named by its SHA-256) under the data directory."""
    folder = Path(settings.DATA_DIR) / "servicedesk-mail" / timezone.now().strftime("%Y-%m-%d")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{hashlib.sha256(raw).hexdigest()}.eml.gz"
    if not path.exists():
        path.write_bytes(gzip.compress(raw, 5))
    return path


def _ids(message: EmailMessage) -> list[str]:
    found = []
    for name in ("In-Reply-To", "References"):
        found += re.findall(r"<[^<>\s]{1,298}>", str(message.get(name, "")))
    return found[:20]


def thread_of(subject: str, message: EmailMessage) -> Request | None:
    """The request a message answers: by the number in its subject, else by the ids it refers to."""
    number = NUMBER.search(subject)
    if number and (found := Request.objects.filter(pk=int(number.group(1))).first()):
        return found
    ids = _ids(message)
    if not ids:
        return None
    known = Message.objects.filter(message_id__in=ids).values("request")
    return Request.objects.filter(Q(message_id__in=ids) | Q(pk__in=known)).first()


def _attachments(message: EmailMessage) -> tuple[list[Attachment], list[str]]:
    kept, refused = [], []
    limit = desk_settings.attachment_bytes()
    for part in message.iter_attachments():
        name = (part.get_filename() or _("attachment")).replace("\x00", "")[:200]
        content = part.get_payload(decode=True) or b""
        kind = part.get_content_type()
        if len(content) > limit:
            refused.append(_("Attachment “%(name)s” (%(size)s MB) was not stored: larger than %(limit)s MB.") % {
                "name": name, "size": round(len(content) / 2**20, 1), "limit": round(limit / 2**20, 1)})
        elif kind not in desk_settings.ATTACHMENT_TYPES:
            refused.append(_("Attachment “%(name)s” was not stored: files of type %(type)s are not accepted.") % {
                "name": name, "type": kind})
        else:
            kept.append(Attachment(name=name, content_type=kind, size=len(content), content=content))
    return kept, refused


def _sender(mail_from: str, message: EmailMessage) -> tuple[str, Any, bool]:
    """(From address, its active user or None, verified)."""
    address = parseaddr(str(message.get("From", "")))[1].lower()[:254]
    user = get_user_model().objects.filter(email__iexact=address, is_active=True).first() if address else None
    return address, user, user is not None and address == mail_from.lower()


def receive(raw: bytes, mail_from: str, rcpt_tos: list[str]) -> Outcome:
    """Turn one received message into a request or a message of one (see the module's text)."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    subject = " ".join(str(message.get("Subject", "")).split()).replace("\x00", "")[:300] or _("(no subject)")
    address, user, verified = _sender(mail_from, message)
    own = desk_settings.mailbox().lower()
    is_auto = automatic(message, mail_from)
    if address == own:
        archive(raw)
        return Outcome("archived")
    message_id = str(message.get("Message-ID", "")).strip()[:300] or make_msgid(domain="irtis.invalid")
    with transaction.atomic(), changes_by(user, Source.SYSTEM):
        request = thread_of(subject, message)
        if request is None and is_auto:
            archive(raw)
            return Outcome("archived")
        body = text_of(message)
        kept, refused = _attachments(message)
        if refused:
            refused.append(_("The original message is kept by the service desk (%(file)s).") % {
                "file": archive(raw).name})
            body = "\n\n".join([body, *refused])
        if request is None:
            request = _new_request(subject, body, address, user, verified, message_id, rcpt_tos)
            outcome = Outcome("request", request)
            note = None
        else:
            note = Message(request=request, kind=Message.Kind.INBOUND, sender=address, body=body or subject,
                           verified=verified and user is not None and user.pk == request.requester_id,
                           automatic=is_auto, message_id=message_id)
            note.full_clean()
            note.save()
            outcome = Outcome("message", request, note)
        for attachment in kept:
            attachment.request, attachment.message = request, note
            attachment.full_clean()
            attachment.save()
    return outcome


def _new_request(subject: str, body: str, address: str, user: Any, verified: bool, message_id: str,
                 rcpt_tos: list[str]) -> Request:
    addresses = [a.lower() for _, a in getaddresses(rcpt_tos)]
    queue = Queue.objects.filter(email__in=addresses).order_by("pk").first() if addresses else None
    request = Request(subject=subject, description=body, requester=user if verified else None,
                      requester_email=address,
                      verified=verified, channel=Channel.EMAIL, queue=queue, message_id=message_id,
                      received_at=timezone.now())
    request.full_clean()
    request.save()
    return request


def recent_from(address: str, minutes: int = 10) -> int:
    """Messages and requests received from `address` in the last `minutes` (the rate limit)."""
    since = timezone.now() - dt.timedelta(minutes=minutes)
    return (Message.objects.filter(sender=address.lower(), sent_at__gte=since).count()
            + Request.objects.filter(requester_email=address.lower(), received_at__gte=since).count())
