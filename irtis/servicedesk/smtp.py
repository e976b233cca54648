"""The service desk's SMTP receiver (aiosmtpd): the inbound mailbox's MTA delivers to it.

    irtis receive_mail --host 127.0.0.1 --port 2525

Each message is handed to `inbound.receive` in a worker thread and answered 250 only once it is
committed, so a message is never acknowledged and lost: a failure answers 451 and the sending
server tries again. A message over `message_bytes()` is refused by aiosmtpd (552), a sender past
the rate limit is deferred (451) at MAIL FROM.
"""

import asyncio
import logging
from typing import Any

from aiosmtpd.controller import Controller
from django.db import close_old_connections

from . import inbound
from . import settings as desk_settings

log = logging.getLogger(__name__)


class Handler:
    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str, options: list) -> str:
        over = await asyncio.to_thread(_over_limit, address) if address else False
        if over:
            return "451 4.7.1 Too many messages from this sender; try again later"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        try:
            await asyncio.to_thread(_receive, envelope.original_content, envelope.mail_from or "",
                                    list(envelope.rcpt_tos))
        except Exception:
            log.exception("An inbound message could not be stored; the sender will retry")
            return "451 4.3.0 Could not store the message; try again later"
        return "250 2.0.0 Message accepted"


def _over_limit(address: str) -> bool:
    close_old_connections()
    return inbound.recent_from(address) >= desk_settings.sender_limit()


def _receive(raw: bytes, mail_from: str, rcpt_tos: list[str]) -> None:
    close_old_connections()
    inbound.receive(raw, mail_from, rcpt_tos)


def controller(host: str, port: int) -> Controller:
    """A receiver on host:port (started with .start(), stopped with .stop())."""
    return Controller(Handler(), hostname=host, port=port, data_size_limit=desk_settings.message_bytes(),
                      server_hostname="irtis")
