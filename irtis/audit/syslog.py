"""Shipping the trail to the SIEM: RFC 5424 messages, octet-counted (RFC 6587) over TCP or TLS.

Delivery is at-least-once. Entries go out in batches, one connection per batch; a batch counts
as delivered only when the receiver closes the connection after reading our end of stream (TCP
half-close; over TLS the receiver must also answer our close_notify with its own). Then the
cursor moves past it. A connection that is reset, times out or closes early leaves the cursor
where it was, and the batch is sent again next time: the receiver may see an entry twice (each
message carries the entry id and hash to deduplicate), never miss one. Syslog has no
application acknowledgement, so a receiver that crashes after reading a batch but before
storing it can still lose it: run it with a disk-backed queue.
"""

import json
import select
import socket
import ssl
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC

from django.db import transaction
from django.utils import timezone

from . import conf, head, trail
from .models import AuditEntry, ExportCursor

FACILITY_LOG_AUDIT = 13  # RFC 5424 facility 13: "log audit"
SEVERITY_NOTICE = 5
SD_ID = "irtis@32473"  # 32473 is the documentation enterprise number (RFC 5612)
HEAD_SD_ID = "irtis-head@32473"
APP_NAME = "irtis"


class DeliveryError(Exception):
    """The receiver did not confirm a batch; the cursor stays before it."""


@dataclass(frozen=True)
class Receiver:
    host: str
    port: int
    tls: bool = False
    ca_file: str = ""
    timeout: float = 10.0

    @property
    def name(self) -> str:
        return f"syslog{'+tls' if self.tls else ''}://{self.host}:{self.port}"

    @classmethod
    def from_settings(cls) -> "Receiver":
        host = conf.get("IRTIS_SYSLOG_HOST")
        if not host:
            raise DeliveryError("IRTIS_SYSLOG_HOST is not set")
        tls = bool(conf.get("IRTIS_SYSLOG_TLS"))
        port = int(conf.get("IRTIS_SYSLOG_PORT")) or (6514 if tls else 601)
        return cls(host, port, tls, conf.get("IRTIS_SYSLOG_CA_FILE"))


def _sd_value(value: object) -> str:
    text = "" if value is None else str(value)
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("]", "\\]")


def message(entry: AuditEntry, hostname: str, signed_head: head.Head | None = None) -> bytes:
    """One RFC 5424 message; the structured data names the entry, the MSG is its full JSON.

    The last message of a batch also carries the signed head (`irtis.audit.head`) in a second
    SD element: the SIEM keeps, outside this server, proof of how far the trail reached.
    """
    pri = FACILITY_LOG_AUDIT * 8 + SEVERITY_NOTICE
    stamp = entry.time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    params = {
        "id": entry.pk,
        "hash": entry.hash,
        "prev": entry.prev_hash,
        "actor": entry.actor_name,
        "source": entry.source,
        "ip": entry.source_ip,
        "type": entry.content_type_id,
        "object": entry.object_id,
    }
    sd = "[" + SD_ID + "".join(f' {k}="{_sd_value(v)}"' for k, v in params.items()) + "]"
    if signed_head is not None:
        sd += (
            f'[{HEAD_SD_ID} id="{signed_head.entry_id}" hash="{signed_head.hash}" '
            f'time="{signed_head.time}" sig="{signed_head.signature}"]'
        )
    body = json.dumps(
        {"id": entry.pk, "hash": entry.hash, "scheme": entry.scheme, **trail.content(entry)},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    msgid = (entry.action or "-")[:32]
    header = f"<{pri}>1 {stamp} {hostname[:255] or '-'} {APP_NAME} - {msgid} {sd} "
    return header.encode() + b"\xef\xbb\xbf" + body.encode()


def frame(msg: bytes) -> bytes:
    """RFC 6587 octet counting: MSG-LEN SP SYSLOG-MSG."""
    return str(len(msg)).encode() + b" " + msg


def _connect(receiver: Receiver) -> socket.socket:
    sock = socket.create_connection((receiver.host, receiver.port), timeout=receiver.timeout)
    if not receiver.tls:
        return sock
    context = ssl.create_default_context(cafile=receiver.ca_file or None)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context.wrap_socket(sock, server_hostname=receiver.host)


def _confirm(sock: socket.socket) -> None:
    """End our stream and wait until the receiver closes: then it has read everything."""
    if isinstance(sock, ssl.SSLSocket):
        # Send close_notify and wait for the receiver's: a TCP close without it is what a
        # crashed receiver also produces, so it does not confirm anything.
        sock = sock.unwrap()
    else:
        readable, _, _ = select.select([sock], [], [], 0)
        if readable:  # a syslog receiver never talks back: this is an early close
            raise DeliveryError("the receiver closed the connection before the end of the batch")
    sock.shutdown(socket.SHUT_WR)
    while sock.recv(4096):
        pass


def send_batch(receiver: Receiver, entries: Iterable[AuditEntry]) -> None:
    """Send the entries and wait for the receiver's orderly close; raise if it does not come."""
    hostname = socket.gethostname()
    entries = list(entries)
    last = entries[-1]
    signed_head = head.signed(last.pk, last.hash)
    payload = b"".join(
        frame(message(entry, hostname, signed_head if entry is last else None))
        for entry in entries
    )
    try:
        with _connect(receiver) as sock:
            sock.sendall(payload)
            _confirm(sock)
    except (OSError, ssl.SSLError) as exc:
        raise DeliveryError(f"{receiver.name}: {exc}") from exc


def _pending(after: int, batch: int) -> Iterator[list[AuditEntry]]:
    while True:
        entries = list(AuditEntry.objects.filter(id__gt=after).order_by("id")[:batch])
        if not entries:
            return
        yield entries
        after = entries[-1].pk


def ship(receiver: Receiver, batch: int = 1000) -> int:
    """Send every entry after the receiver's cursor; returns how many were delivered."""
    cursor, _ = ExportCursor.objects.get_or_create(name=receiver.name)
    delivered = 0
    for entries in _pending(cursor.last_id, batch):
        send_batch(receiver, entries)
        with transaction.atomic():
            ExportCursor.objects.filter(pk=cursor.pk).update(
                last_id=entries[-1].pk,
                updated=timezone.now(),
            )
        delivered += len(entries)
    return delivered


def follow(
    receiver: Receiver, report: Callable[[str], None], interval: float = 5.0, batch: int = 1000
) -> None:
    """Ship forever, retrying after failures; for a service unit (`irtis audit ship --follow`)."""
    while True:
        try:
            if sent := ship(receiver, batch):
                report(f"{sent} entries delivered to {receiver.name}")
        except DeliveryError as exc:
            report(f"delivery failed, will retry: {exc}")  # the cursor did not move
        time.sleep(interval)
