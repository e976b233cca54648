"""Real servers on loopback for the monitoring tests, in an event loop of their own thread:
a TCP listener, an HTTP server (status, body, delay, or hanging), a TLS server whose self-signed
certificate (made with `cryptography`) expires when the test says."""

import asyncio
import datetime
import ipaddress
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass
class Http:
    status: int = 200
    body: bytes = b"<html>irtis OK</html>"
    delay: float = 0.0
    hang: bool = False  # accept, then never answer
    chunked: bool = False


class Loop:
    """An event loop in a daemon thread; `call` runs a coroutine in it and waits."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def call(self, coroutine):  # type: ignore[no-untyped-def]
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(10)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


def certificate(directory: Path, days: int) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost valid for `days` more days
    (negative: expired)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=400)).not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                    x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / f"c{days}.crt", directory / f"c{days}.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


@contextmanager
def servers(tmp: Path, http: Http | None = None, cert_days: int = 365) -> Iterator[dict]:
    """{"tcp": port, "http": port, "tls": port, "http_config": Http, "cert": path} on 127.0.0.1."""
    loop = Loop()
    config = http or Http()
    hanging: list[asyncio.StreamWriter] = []

    async def on_tcp(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.close()

    async def on_http(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()
            return
        if config.hang:
            hanging.append(writer)
            return
        await asyncio.sleep(config.delay)
        if config.chunked:
            body = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (config.body[:5], config.body[5:]))
            head = "Transfer-Encoding: chunked\r\n"
            body += b"0\r\n\r\n"
        else:
            body, head = config.body, f"Content-Length: {len(config.body)}\r\n"
        writer.write(f"HTTP/1.1 {config.status} X\r\n{head}Connection: close\r\n\r\n".encode() + body)
        await writer.drain()
        writer.close()

    cert, key = certificate(tmp, cert_days)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    async def start() -> list[asyncio.Server]:
        return [await asyncio.start_server(on_tcp, "127.0.0.1", 0),
                await asyncio.start_server(on_http, "127.0.0.1", 0),
                await asyncio.start_server(on_http, "127.0.0.1", 0, ssl=context)]

    made = loop.call(start())
    ports = [s.sockets[0].getsockname()[1] for s in made]

    async def stop() -> None:
        for writer in hanging:
            writer.close()
        for server in made:
            server.close()

    try:
        yield {"tcp": ports[0], "http": ports[1], "tls": ports[2], "http_config": config, "cert": cert}
    finally:
        loop.call(stop())
        loop.close()


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
