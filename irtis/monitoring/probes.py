"""The probes: one coroutine per check kind, no database. Each returns a `Result` and never
outlives its timeout (`run_all` wraps every attempt in `asyncio.wait_for`).

    results = asyncio.run(run_all([Spec(...), ...], concurrency=1000))
"""

import asyncio
import os
import socket
import ssl
import struct
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from cryptography import x509

from irtis.discovery.snmp import Credentials

from . import snmp as snmp_probe

READ_LIMIT = 64 * 1024  # bytes of an HTTP answer read for the keyword


@dataclass(frozen=True, slots=True)
class Spec:
    """What a probe needs of a check (a plain value: probes run without the ORM)."""

    id: int
    kind: str
    host: str = ""
    port: int | None = None
    url: str = ""
    expect_status: int = 200
    keyword: str = ""
    expect_address: str = ""
    slow_ms: int | None = None
    expiry_days: int = 30
    verify_tls: bool = True
    timeout: float = 5.0
    retries: int = 0
    oid: str = ""  # SNMP: the object read, how its value compares, with what
    compare: str = "ge"
    warning: str = ""
    critical: str = ""
    credentials: Credentials | None = field(default=None, repr=False)  # decrypted; never logged
    no_credentials: str = "no SNMP credentials are set"  # the reason when `credentials` is None


@dataclass(frozen=True, slots=True)
class Result:
    state: str  # "up", "degraded" or "down"
    reason: str = ""
    ms: float | None = None  # response time of an answer; None when there was none


def _timed(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 3)


def _slow(spec: Spec, ms: float, reason: str = "") -> Result:
    if spec.slow_ms is not None and ms > spec.slow_ms:
        return Result("degraded", f"answered in {ms:.0f} ms (over {spec.slow_ms} ms)", ms)
    return Result("up", reason, ms)


async def tcp(spec: Spec) -> Result:
    start = time.perf_counter()
    _reader, writer = await asyncio.open_connection(spec.host, spec.port)
    ms = _timed(start)
    writer.close()
    await _closed(writer)
    return _slow(spec, ms)


async def _closed(writer: asyncio.StreamWriter) -> None:
    try:
        await writer.wait_closed()
    except (OSError, ssl.SSLError):  # the peer's reset after our close changes nothing
        pass


def _client_context(verify: bool) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


async def http(spec: Spec) -> Result:
    parts = urlsplit(spec.url)
    secure = parts.scheme == "https"
    host = parts.hostname or ""
    port = parts.port or (443 if secure else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    start = time.perf_counter()
    reader, writer = await asyncio.open_connection(
        host, port, ssl=_client_context(spec.verify_tls) if secure else None,
        server_hostname=host if secure else None)
    try:
        netloc = host if parts.port is None else f"{host}:{parts.port}"
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {netloc}\r\nUser-Agent: irtis-monitoring\r\n"
                     "Accept: */*\r\nConnection: close\r\n\r\n".encode("idna" if not host.isascii() else "ascii"))
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        ms = _timed(start)
        status_line = head.split(b"\r\n", 1)[0].decode("latin-1")
        fields = status_line.split(" ", 2)
        if len(fields) < 2 or not fields[1].isdigit():
            return Result("down", f"not an HTTP answer: {status_line[:80]!r}", ms)
        status = int(fields[1])
        if status != spec.expect_status:
            return Result("down", f"HTTP {status}, expected {spec.expect_status}", ms)
        if spec.keyword:
            body = await _body(reader, head)
            if spec.keyword.encode() not in body:
                return Result("down", f"keyword {spec.keyword!r} not found", ms)
        return _slow(spec, ms, f"HTTP {status}")
    finally:
        writer.close()
        await _closed(writer)


async def _body(reader: asyncio.StreamReader, head: bytes) -> bytes:
    """Up to READ_LIMIT bytes of the body, chunked transfer decoded."""
    if b"transfer-encoding: chunked" not in head.lower():
        return await reader.read(READ_LIMIT)
    body = b""
    while len(body) < READ_LIMIT:
        size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
        if size == 0:
            break
        body += await reader.readexactly(size)
        await reader.readline()
    return body


async def tls(spec: Spec) -> Result:
    """Validity of the certificate the server presents: trusted (if `verify_tls`), not expired,
    not expiring within `expiry_days` (degraded)."""
    start = time.perf_counter()
    try:
        _reader, writer = await asyncio.open_connection(
            spec.host, spec.port, ssl=_client_context(spec.verify_tls), server_hostname=spec.host)
    except ssl.SSLCertVerificationError as exc:
        return Result("down", f"certificate not trusted: {exc.verify_message}", _timed(start))
    ms = _timed(start)
    ssl_object = writer.get_extra_info("ssl_object")
    der = ssl_object.getpeercert(binary_form=True) if ssl_object else None
    writer.close()
    await _closed(writer)
    if not der:
        return Result("down", "no certificate presented", ms)
    expires = x509.load_der_x509_certificate(der).not_valid_after_utc
    days = (expires - datetime.now(UTC)).total_seconds() / 86400
    if days < 0:
        return Result("down", f"certificate expired {expires:%Y-%m-%d}", ms)
    if days < spec.expiry_days:
        return Result("degraded", f"certificate expires {expires:%Y-%m-%d} ({int(days)} days)", ms)
    return _slow(spec, ms, f"certificate valid until {expires:%Y-%m-%d}")


async def dns(spec: Spec) -> Result:
    start = time.perf_counter()
    loop = asyncio.get_running_loop()
    try:
        found = await loop.getaddrinfo(spec.host.encode("idna").decode("ascii"), None, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        return Result("down", f"not resolved: {exc.strerror}", _timed(start))
    ms = _timed(start)
    addresses = sorted({str(info[4][0]) for info in found})
    if spec.expect_address and spec.expect_address not in addresses:
        return Result("down", f"resolves to {', '.join(addresses)}, not {spec.expect_address}", ms)
    return _slow(spec, ms, ", ".join(addresses)[:200])


def _checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    total = (total >> 16) + (total & 0xFFFF)
    return ~(total + (total >> 16)) & 0xFFFF


async def icmp(spec: Spec) -> Result:
    """One echo request over a raw socket (irtis runs its zone workers as root for this; without
    the privilege the check is down, saying so). IPv4 only."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(spec.host, None, family=socket.AF_INET)
    address = infos[0][4][0]
    ident, seq = os.getpid() & 0xFFFF, spec.id & 0xFFFF
    header = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
    payload = b"irtis"
    packet = struct.pack("!BBHHH", 8, 0, _checksum(header + payload), ident, seq) + payload
    try:
        sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    except PermissionError:
        return Result("down", "ICMP needs a worker running as root")
    sock.setblocking(False)
    try:
        start = time.perf_counter()
        await loop.sock_sendto(sock, packet, (address, 0))
        while True:  # a raw socket sees every ICMP packet: wait for our reply
            data = await loop.sock_recv(sock, 1024)
            offset = (data[0] & 0x0F) * 4
            kind, _code, _sum, got_id, got_seq = struct.unpack("!BBHHH", data[offset:offset + 8])
            if kind == 0 and got_id == ident and got_seq == seq:
                return _slow(spec, _timed(start))
    finally:
        sock.close()


async def snmp(spec: Spec) -> Result:
    start = time.perf_counter()
    state, reason, answered = await snmp_probe.probe(
        spec.host, spec.port, spec.oid, spec.credentials, spec.no_credentials, spec.compare, spec.warning,
        spec.critical, spec.timeout)
    ms = _timed(start) if answered else None
    if state == "up" and ms is not None:
        return _slow(spec, ms, reason)
    return Result(state, reason, ms)


PROBES: dict[str, Callable[[Spec], Awaitable[Result]]] = {
    "tcp": tcp, "http": http, "tls": tls, "dns": dns, "icmp": icmp, "snmp": snmp,
}


async def probe(spec: Spec) -> Result:
    """Run the check, trying again `retries` times while it fails; each attempt is cut at the
    timeout, so a hanging target costs at most (retries + 1) × timeout."""
    result = Result("down", "not run")
    for _attempt in range(spec.retries + 1):
        start = time.perf_counter()
        try:
            result = await asyncio.wait_for(PROBES[spec.kind](spec), spec.timeout)
        except TimeoutError:
            result = Result("down", f"no answer within {spec.timeout:g} s")
        except (OSError, ssl.SSLError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
            result = Result("down", _reason(exc), _timed(start) if isinstance(exc, ssl.SSLError) else None)
        if result.state != "down":
            return result
    return result


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, asyncio.IncompleteReadError):
        return "connection closed before the answer"
    return (str(exc) or type(exc).__name__)[:300]


async def run_all(specs: list[Spec], concurrency: int = 1000) -> dict[int, Result]:
    """Every spec's result, by id, at most `concurrency` at once (each holds a socket)."""
    gate = asyncio.Semaphore(concurrency)

    async def one(spec: Spec) -> tuple[int, Result]:
        async with gate:
            return spec.id, await probe(spec)

    with snmp_probe.engines(spec.credentials for spec in specs):  # one per credentials for the whole batch
        return dict(await asyncio.gather(*(one(spec) for spec in specs)))
