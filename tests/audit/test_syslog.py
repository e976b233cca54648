"""Shipping to a real receiver (a separate process) over TCP and TLS: at-least-once, resumable."""

import re
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from irtis.audit import head, keys, syslog
from irtis.audit.models import AuditEntry, ExportCursor

RECEIVER = Path(__file__).with_name("syslog_receiver.py")
MESSAGE = re.compile(
    rb'^<109>1 \S+Z \S+ irtis - \S+ \[irtis@32473 id="(\d+)" hash="([0-9a-f]{64})"'
)
HEAD = re.compile(
    rb'\[irtis-head@32473 id="(?P<id>\d+)" hash="(?P<hash>[0-9a-f]{64})" '
    rb'time="(?P<time>[^"]+)" sig="(?P<sig>[0-9a-f]{64})"\]'
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made with the openssl command."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def receiver(tmp_path) -> Iterator[Callable[..., subprocess.Popen]]:
    """Start receiver processes; each is killed at the end of the test if still running."""
    started: list[subprocess.Popen] = []

    def start(port: int, *extra: str) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, str(RECEIVER), str(port), str(tmp_path / "received.log"), *extra],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert process.stdout.readline().strip() == "ready"
        started.append(process)
        return process

    yield start
    for process in started:
        process.kill()
        process.wait()


def received_ids(tmp_path: Path) -> list[int]:
    lines = (tmp_path / "received.log").read_bytes().splitlines()
    return [int(MESSAGE.match(line).group(1)) for line in lines]


def ship_with_a_crash(
    make_sites, receiver, settings, tmp_path, tls: tuple[Path, Path] | None
) -> None:
    ids = make_sites(60)
    port = free_port()
    settings.IRTIS_SYSLOG_HOST, settings.IRTIS_SYSLOG_PORT = "127.0.0.1", port
    settings.IRTIS_SYSLOG_TLS = tls is not None
    settings.IRTIS_SYSLOG_CA_FILE = str(tls[0]) if tls else ""
    extra = ["--tls", str(tls[0]), str(tls[1])] if tls else []
    first = receiver(port, *extra, "--die-after", "25")
    with pytest.raises(CommandError, match="shipping stopped"):
        call_command("audit", "ship", "--batch", "10")
    first.wait(timeout=10)
    cursor = ExportCursor.objects.get()
    twentieth = AuditEntry.objects.order_by("id").values_list("id", flat=True)[19]
    assert cursor.last_id == twentieth  # batches 1 and 2 confirmed; the third died mid-stream
    receiver(port, *extra)
    call_command("audit", "ship", "--batch", "10")
    got = received_ids(tmp_path)
    assert set(ids) <= set(got)  # nothing lost
    assert len(got) > len(set(got))  # the interrupted batch came again: at-least-once
    assert ExportCursor.objects.get().last_id == AuditEntry.objects.order_by("-id").first().pk
    call_command("audit", "ship")  # nothing new: nothing sent
    assert received_ids(tmp_path) == got


def test_ship_over_tcp_survives_a_receiver_crash(make_sites, receiver, settings, tmp_path) -> None:
    ship_with_a_crash(make_sites, receiver, settings, tmp_path, None)


def test_ship_over_tls_survives_a_receiver_crash(
    make_sites, receiver, settings, tmp_path, certificate
) -> None:
    ship_with_a_crash(make_sites, receiver, settings, tmp_path, certificate)


def test_tls_refuses_an_unknown_certificate(
    make_sites, receiver, settings, tmp_path, certificate
) -> None:
    make_sites(2)
    port = free_port()
    receiver(port, "--tls", str(certificate[0]), str(certificate[1]))
    settings.IRTIS_SYSLOG_HOST, settings.IRTIS_SYSLOG_PORT, settings.IRTIS_SYSLOG_TLS = (
        "127.0.0.1",
        port,
        True,
    )
    settings.IRTIS_SYSLOG_CA_FILE = ""  # system CAs only: the self-signed certificate is refused
    with pytest.raises(CommandError, match="CERTIFICATE_VERIFY_FAILED"):
        call_command("audit", "ship")
    assert not ExportCursor.objects.filter(last_id__gt=0).exists()


def test_message_format(make_sites) -> None:
    entry = AuditEntry.objects.get(pk=make_sites(1)[0])
    msg = syslog.message(entry, "irtis-host")
    assert MESSAGE.match(msg) and b"\xef\xbb\xbf{" in msg
    assert syslog.frame(msg).startswith(str(len(msg)).encode() + b" <109>1 ")


def test_the_last_message_of_a_batch_carries_the_signed_head(make_sites) -> None:
    entries = list(AuditEntry.objects.filter(pk__in=make_sites(2)).order_by("id"))
    signed = head.signed(entries[-1].pk, entries[-1].hash)
    first, last = (syslog.message(e, "h", signed if e is entries[-1] else None) for e in entries)
    assert b"irtis-head@32473" not in first
    found = HEAD.search(last)
    assert found and int(found["id"]) == entries[-1].pk and found["hash"].decode() == entries[-1].hash
    message = head.message(int(found["id"]), found["hash"].decode(), found["time"].decode())
    assert keys.valid(message, found["sig"].decode())  # what a SIEM-side check does with the key
