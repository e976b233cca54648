"""An SNMP check's credentials: stored encrypted (irtis.core.secrets, the key outside the
database), write-only — pages and the API only say whether they are set. Setting them is
audited as a change of the check that names no value: `{"snmp_credentials": "set"}`."""

import json
from dataclasses import asdict, fields

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from irtis.audit import context, trail
from irtis.audit.models import Action
from irtis.core import secrets
from irtis.discovery.snmp import Credentials

from .models import Check, CheckSecret


def owner(check_id: int) -> str:
    """The associated data of the ciphertext: a secret copied onto another check does not decrypt."""
    return f"monitoring.check:{check_id}"


def set_credentials(check: Check, credentials: Credentials) -> None:
    """Store the credentials encrypted and audit that they changed (never their values)."""
    with transaction.atomic():
        existed = CheckSecret.objects.filter(check_obj=check).exists()
        CheckSecret.objects.update_or_create(check_obj=check, defaults={
            "ciphertext": secrets.encrypt(json.dumps(asdict(credentials)), owner(check.pk)),
            "key_id": secrets.key_id()})
        entry = context.current().entry(
            action=Action.UPDATE, content_type=ContentType.objects.get_for_model(Check), object_id=check.pk,
            object_repr=str(check)[:200], before={"snmp_credentials": "set" if existed else "none"},
            after={"snmp_credentials": "set"})
        trail.append([entry])


def has_credentials(check: Check) -> bool:
    return CheckSecret.objects.filter(check_obj=check).exists()


def read(secret: CheckSecret | None) -> Credentials | None:
    """The decrypted credentials, or None when none are set or they do not decrypt with this
    server's key (secrets.SecretUnreadable is raised for the latter)."""
    if secret is None:
        return None
    data = json.loads(secrets.decrypt(secret.ciphertext, owner(secret.check_obj_id)))
    known = {f.name for f in fields(Credentials)}
    return Credentials(**{k: v for k, v in data.items() if k in known})
