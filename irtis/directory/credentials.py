"""A domain's bind password: encrypted with the key kept outside the database (irtis.core.secrets),
write-only — pages and the API only say whether it is set. Setting it is audited as a change of the
domain that names no value: `{"bind_password": "set"}`."""

from django.db import transaction

from irtis.core import secrets

from .models import DirectoryDomain, DomainSecret


def owner(domain_id: int) -> str:
    """The associated data of the ciphertext: a ciphertext copied onto another domain does not decrypt."""
    return f"directory.directorydomain:{domain_id}"


def set_password(domain: DirectoryDomain, password: str) -> None:
    with transaction.atomic():
        existed = DomainSecret.objects.filter(domain=domain).exists()
        DomainSecret.objects.update_or_create(domain=domain, defaults={
            "ciphertext": secrets.encrypt(password, owner(domain.pk)), "key_id": secrets.key_id()})
        secrets.audit_change(domain, "bind_password", existed, True)


def has_password(domain: DirectoryDomain) -> bool:
    return DomainSecret.objects.filter(domain=domain).exists()


def read(domain: DirectoryDomain) -> str | None:
    """The password, or None when none is set (secrets.SecretUnreadable when it does not decrypt)."""
    secret = DomainSecret.objects.filter(domain=domain).first()
    return secrets.decrypt(secret.ciphertext, owner(domain.pk)) if secret else None
