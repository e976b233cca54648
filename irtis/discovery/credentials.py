"""SNMP credentials kept for later reads (a sweep's, a monitoring check's): encrypted with the
key kept outside the database (irtis.core.secrets), write-only — pages and the API only say
whether they are set. Setting them is audited as a change of their owner that names no value:
`{"snmp_credentials": "set"}`."""

import json
from dataclasses import asdict, fields
from typing import Any

from django.db import models, transaction

from irtis.core import secrets

from .models import Sweep, SweepSecret
from .snmp import Credentials


def _seal(credentials: Credentials, owner: str) -> dict[str, object]:
    """The stored columns of `credentials` bound to `owner` (a ciphertext copied onto another
    owner does not decrypt)."""
    return {"ciphertext": secrets.encrypt(json.dumps(asdict(credentials)), owner), "key_id": secrets.key_id()}


def unseal(ciphertext: bytes, owner: str) -> Credentials:
    """The decrypted credentials (secrets.SecretUnreadable if they do not decrypt with this server's key)."""
    data = json.loads(secrets.decrypt(ciphertext, owner))
    known = {f.name for f in fields(Credentials)}
    return Credentials(**{k: v for k, v in data.items() if k in known})


def store(obj: models.Model, secret: type[models.Model], field: str, credentials: Credentials, owner: str) -> None:
    """Keep `obj`'s credentials in its `secret` row (whose `field` is `obj`), sealed for `owner`, and
    audit that they changed (never their values)."""
    with transaction.atomic():
        lookup: dict[str, Any] = {field: obj}
        existed = secret._default_manager.filter(**lookup).exists()
        secret._default_manager.update_or_create(defaults=_seal(credentials, owner), **lookup)
        secrets.audit_change(obj, "snmp_credentials", existed, True)


def owner(sweep_id: int) -> str:
    return f"discovery.sweep:{sweep_id}"


def set_credentials(sweep: Sweep, credentials: Credentials) -> None:
    store(sweep, SweepSecret, "sweep", credentials, owner(sweep.pk))


def has_credentials(sweep: Sweep) -> bool:
    return SweepSecret.objects.filter(sweep=sweep).exists()


def read(sweep: Sweep) -> Credentials | None:
    secret = SweepSecret.objects.filter(sweep=sweep).first()
    return unseal(secret.ciphertext, owner(sweep.pk)) if secret else None
