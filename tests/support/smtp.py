"""A real SMTP server (aiosmtpd) on loopback: plain, STARTTLS, implicit TLS, and AUTH LOGIN/PLAIN.

The TLS certificate is made here with `cryptography`: a self-signed certificate for 127.0.0.1
that the client is told to trust (IRTIS_SMTP_CA_FILE), so certificate checking stays on.
"""

import datetime
import email
import email.policy
import ipaddress
import socket
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

HOST = "127.0.0.1"
USER, PASSWORD = "irtis", "Pasto-slaptazodis-1"  # smtplib signs in with ASCII only (irtis.E101)


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    tls: bool
    login: str | None


@dataclass
class Mailbox:
    """What the server received, and how the client connected."""

    received: list[Received] = field(default_factory=list)
    mechanisms: list[str] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)  # addresses answered "550 no such user"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: list) -> str:
        if address in self.refused:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None
        tls = server.transport.get_extra_info("ssl_object") is not None  # STARTTLS or implicit TLS
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed, tls, login))
        return "250 Message accepted"

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        self.mechanisms.append(mechanism)
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            USER.encode(), PASSWORD.encode())
        return AuthResult(success=ok, handled=False, auth_data=auth_data)  # failure: aiosmtpd answers 535


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def certificate(directory: Path) -> tuple[Path, Path]:
    """(certificate, key) files of a fresh self-signed certificate for 127.0.0.1."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "irtis test SMTP")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(HOST))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "smtp.crt", directory / "smtp.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return cert_file, key_file


class SMTPServer:
    """One aiosmtpd server; `security` is none, starttls or tls, as IRTIS_SMTP_SECURITY."""

    def __init__(self, security: str, cert: tuple[Path, Path], port: int | None = None, auth: bool = False,
                 mechanisms: tuple[str, ...] = ("LOGIN", "PLAIN")) -> None:
        self.security, self.port, self.mailbox = security, port or free_port(), Mailbox()
        context = None
        if security != "none":
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(*cert)
        options: dict[str, Any] = {}
        if security == "starttls":
            options.update(tls_context=context, require_starttls=True)
        if auth:
            excluded = [m for m in ("LOGIN", "PLAIN") if m not in mechanisms]
            # aiosmtpd sees only STARTTLS as TLS; an implicit TLS connection is encrypted from the start
            options.update(authenticator=self.mailbox.authenticate, auth_required=True,
                           auth_exclude_mechanism=excluded, auth_require_tls=security == "starttls")
        self.controller = Controller(
            self.mailbox, hostname=HOST, port=self.port,
            ssl_context=context if security == "tls" else None, **options,
        )

    def start(self) -> "SMTPServer":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def settings(self, auth: bool = False) -> dict[str, Any]:
        """Django settings that point irtis at this server (as settings.py builds them)."""
        return {
            "EMAIL_HOST": HOST, "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": self.security == "starttls", "EMAIL_USE_SSL": self.security == "tls",
            "EMAIL_HOST_USER": USER if auth else "", "EMAIL_HOST_PASSWORD": PASSWORD if auth else "",
            "EMAIL_TIMEOUT": 5,
        }
