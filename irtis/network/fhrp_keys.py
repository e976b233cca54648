"""FHRP groups' authentication keys: encrypted with the key kept outside the database
(irtis.core.secrets), write-only — pages and the API only say whether a key is set. Setting or
clearing one is audited as a change of the group that names no value: `{"auth_key": "set"}`."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from irtis.core import secrets

from .models import FHRPGroup, FHRPGroupSecret

MAX_LENGTH = {FHRPGroup.Authentication.PLAINTEXT: 8, FHRPGroup.Authentication.MD5: 64}


def owner(group_id: int) -> str:
    """The associated data of the ciphertext: a key copied onto another group does not decrypt."""
    return f"network.fhrpgroup:{group_id}"


def set_key(group: FHRPGroup, key: str) -> None:
    """Keep `key` for the group (an empty one clears it); refused when the group has no
    authentication or the key is longer than its authentication takes."""
    if key and group.auth_type == FHRPGroup.Authentication.NONE:
        raise ValidationError({"key": _("Choose the group's authentication type before setting a key.")})
    limit = MAX_LENGTH.get(FHRPGroup.Authentication(group.auth_type))
    if key and limit and len(key) > limit:
        raise ValidationError({"key": _("A %(kind)s key has at most %(max)d characters.") % {
            "kind": group.get_auth_type_display(), "max": limit}})
    with transaction.atomic():
        existed = FHRPGroupSecret.objects.filter(group=group).exists()
        if key:
            FHRPGroupSecret.objects.update_or_create(group=group, defaults={
                "ciphertext": secrets.encrypt(key, owner(group.pk)), "key_id": secrets.key_id()})
        else:
            FHRPGroupSecret.objects.filter(group=group).delete()
        if existed or key:
            secrets.audit_change(group, "auth_key", existed, bool(key))


def has_key(group: FHRPGroup) -> bool:
    return FHRPGroupSecret.objects.filter(group=group).exists()


def read_key(group: FHRPGroup) -> str | None:
    """The decrypted key, or None (secrets.SecretUnreadable if it does not decrypt with this server's key)."""
    found = FHRPGroupSecret.objects.filter(group=group).first()
    return None if found is None else secrets.decrypt(found.ciphertext, owner(group.pk))
