"""Repository passwords encrypted at rest with a key kept outside the database.

The key lives in `backup_key` in the data directory (or IRTIS_BACKUP_KEY_FILE), created on first
use with mode 0600, as the audit trail's checkpoint key is (irtis.audit.keys): a database dump
alone reveals no password. AES-256-GCM from `cryptography`; the repository's id is the
associated data, so a ciphertext copied onto another repository does not decrypt.
"""

import hashlib
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from irtis.audit import keys

NONCE = 12


class SecretUnreadable(Exception):
    """The stored secret does not decrypt with this key (a different key file, or tampering)."""


def key_path() -> Path:
    configured = os.environ.get("IRTIS_BACKUP_KEY_FILE") or getattr(settings, "IRTIS_BACKUP_KEY_FILE", "")
    return Path(configured) if configured else Path(settings.DATA_DIR) / "backup_key"


def key() -> bytes:
    found = keys.read_or_create(key_path())
    if len(found) != 32:
        raise ValueError(f"backup key {key_path()} is not 256 bits")
    return found


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
