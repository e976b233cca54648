"""An SNMP check's credentials: stored encrypted (irtis.core.secrets, the key outside the
database), write-only — pages and the API only say whether they are set. Setting them is
audited as a change of the check that names no value: `{"snmp_credentials": "set"}`."""

from irtis.discovery.credentials import store, unseal
from irtis.discovery.snmp import Credentials

from .models import Check, CheckSecret


def owner(check_id: int) -> str:
    """The associated data of the ciphertext: a secret copied onto another check does not decrypt."""
    return f"monitoring.check:{check_id}"


def set_credentials(check: Check, credentials: Credentials) -> None:
    store(check, CheckSecret, "check_obj", credentials, owner(check.pk))


def has_credentials(check: Check) -> bool:
    return CheckSecret.objects.filter(check_obj=check).exists()


def read(secret: CheckSecret | None) -> Credentials | None:
    """The decrypted credentials, or None when none are set (secrets.SecretUnreadable is raised
    when they do not decrypt with this server's key)."""
    return None if secret is None else unseal(secret.ciphertext, owner(secret.check_obj_id))
