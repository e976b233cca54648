"""The checkpoint key: kept outside the database, so a database attacker cannot re-sign.

HMAC-SHA256 (standard library) rather than Ed25519: verification runs where the key lives
(the irtis server), it needs no extra dependency, and the attacker we defend against is one
with database access but not the server's file system. An auditor verifying an archive
offline needs the key file too (hand it over through the same channel as backups).
"""

import hashlib
import hmac
import os
import secrets
from functools import cache
from pathlib import Path

from django.conf import settings

from . import conf


def key_path() -> Path:
    """IRTIS_AUDIT_KEY_FILE if set, else `audit_key` in the data directory."""
    configured = conf.get("IRTIS_AUDIT_KEY_FILE")
    return Path(configured) if configured else Path(settings.DATA_DIR) / "audit_key"


@cache
def read_or_create(path: Path) -> bytes:
    """The 256-bit (or longer) key in `path`, created on first use: the audit key, and any other
    secret kept off the database the same way (irtis.core.secrets)."""
    if not path.exists():
        _create(path)
    key = bytes.fromhex(path.read_text().strip())
    if len(key) < 32:
        raise ValueError(f"key {path} is shorter than 256 bits")
    return key


def _create(path: Path) -> None:
    """Write a new random key with mode 0600; atomic, so two first users agree on one key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temp, path)  # fails if another process created the key first
        except FileExistsError:
            pass
    finally:
        temp.unlink(missing_ok=True)


def key() -> bytes:
    return read_or_create(key_path())


def key_id() -> str:
    """A short fingerprint naming the key, stored beside each signature."""
    return hashlib.sha256(key()).hexdigest()[:16]


def sign(message: bytes) -> str:
    return hmac.new(key(), message, hashlib.sha256).hexdigest()


def valid(message: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(message), signature)
