"""Secrets encrypted at rest with a key kept outside the database: backup repositories'
passwords (irtis.backups), SNMP communities and keys of checks (irtis.monitoring).

The key lives in a file of the data directory, created on first use with mode 0600 as the
audit trail's checkpoint key is (irtis.audit.keys): a database dump alone reveals no secret.
`IRTIS_SECRETS_KEY_FILE` names another file; `IRTIS_BACKUP_KEY_FILE`, its former name, is still
read, and the default file keeps its former name `backup_key`, so passwords stored before the
key became shared still decrypt. AES-256-GCM from `cryptography`; the owner (a repository's id,
"monitoring.check:7") is the associated data, so a ciphertext copied onto another owner does
not decrypt.
"""

import hashlib
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from irtis.audit import context, keys, trail
from irtis.audit.models import Action

NONCE = 12
SETTINGS = ("IRTIS_SECRETS_KEY_FILE", "IRTIS_BACKUP_KEY_FILE")


class SecretUnreadable(Exception):
    """The stored secret does not decrypt with this key (a different key file, or tampering)."""


def key_path() -> Path:
    for name in SETTINGS:
        configured = os.environ.get(name) or getattr(settings, name, "")
        if configured:
            return Path(configured)
    return Path(settings.DATA_DIR) / "backup_key"


def key() -> bytes:
    found = keys.read_or_create(key_path())
    if len(found) != 32:
        raise ValueError(f"secrets key {key_path()} is not 256 bits")
    return found


def key_id() -> str:
    """A short fingerprint of the key, stored beside each ciphertext."""
    return hashlib.sha256(key()).hexdigest()[:16]


def encrypt(plain: str, owner: int | str) -> bytes:
    nonce = secrets.token_bytes(NONCE)
    return nonce + AESGCM(key()).encrypt(nonce, plain.encode(), str(owner).encode())


def decrypt(blob: bytes, owner: int | str) -> str:
    blob = bytes(blob)
    try:
        return AESGCM(key()).decrypt(blob[:NONCE], blob[NONCE:], str(owner).encode()).decode()
    except (InvalidTag, ValueError) as error:
        raise SecretUnreadable("the stored secret does not decrypt with this server's secrets key") from error


def audit_change(obj: models.Model, name: str, before: bool, after: bool) -> None:
    """Record in the audit trail that `obj`'s write-only secret `name` was set or cleared, naming
    no value: `{name: "set"}` or `{name: "none"}` before and after."""
    state = {True: "set", False: "none"}
    entry = context.current().entry(
        action=Action.UPDATE, content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk,
        object_repr=str(obj)[:200], before={name: state[before]}, after={name: state[after]})
    trail.append([entry])
