"""Repository passwords encrypted at rest with a key kept outside the database.

The key lives in `backup_key` in the data directory (or IRTIS_BACKUP_KEY_FILE), created on first
use with mode 0600, as the audit trail's checkpoint key is (irtis.audit.keys): a database dump
alone reveals no password. AES-256-GCM from `cryptography`; the repository's id is the
associated data, so a ciphertext copied onto another repository does not decrypt.
"""

import hashlib
import os
import secrets
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

NONCE = 12


class SecretUnreadable(Exception):
    """The stored secret does not decrypt with this key (a different key file, or tampering)."""


def key_path() -> Path:
    configured = os.environ.get("IRTIS_BACKUP_KEY_FILE") or getattr(settings, "IRTIS_BACKUP_KEY_FILE", "")
    return Path(configured) if configured else Path(settings.DATA_DIR) / "backup_key"


@cache
def _load(path: Path) -> bytes:
    if not path.exists():
        _create(path)
    key = bytes.fromhex(path.read_text().strip())
    if len(key) != 32:
        raise ValueError(f"backup key {path} is not 256 bits")
    return key


def _create(path: Path) -> None:
    """A new random key, mode 0600; linked into place so two first users agree on one key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temp, path)
        except FileExistsError:
            pass
    finally:
        temp.unlink(missing_ok=True)


def key() -> bytes:
    return _load(key_path())


def key_id() -> str:
    """A short fingerprint of the key, stored beside each ciphertext."""
    return hashlib.sha256(key()).hexdigest()[:16]


def encrypt(plain: str, owner: int) -> bytes:
    nonce = secrets.token_bytes(NONCE)
    return nonce + AESGCM(key()).encrypt(nonce, plain.encode(), str(owner).encode())


def decrypt(blob: bytes, owner: int) -> str:
    blob = bytes(blob)
    try:
        return AESGCM(key()).decrypt(blob[:NONCE], blob[NONCE:], str(owner).encode()).decode()
    except (InvalidTag, ValueError) as error:
        raise SecretUnreadable("the stored password does not decrypt with this server's backup key") from error
