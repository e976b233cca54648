"""The second factor: TOTP (RFC 6238) authenticator apps, and single-use recovery codes.

Who must use it: superusers and members of the roles in `IRTIS_MFA_ROLES`.
Recovery codes are stored as HMAC-SHA256 keyed with the secret key, so a copy of the database
does not reveal them (they stop working if the secret key changes: issue new ones then).
"""

import secrets

import pyotp
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import RecoveryCode, TOTPDevice, User

ISSUER = "irtis"
RECOVERY_CODES = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def required(user: User) -> bool:
    """Must this user sign in with a second factor?"""
    if not settings.IRTIS_MFA_ENFORCED:
        return False
    if user.is_superuser:
        return True
    roles = set(settings.IRTIS_MFA_ROLES)
    return bool(roles) and user.groups.filter(name__in=roles).exists()


def enrolled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed__isnull=False).exists()


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.get_username(), issuer_name=ISSUER)


def _step(code: str, secret: str, after: int) -> int | None:
    """The time step a 6-digit code belongs to (±1 step of clock drift), if newer than `after`."""
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now = timezone.now()
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if step > after and secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def confirm(user: User, secret: str, code: str) -> bool:
    """Enrol `secret` for the user if `code` is right; replaces any earlier authenticator."""
    step = _step(code, secret, 0)
    if step is None:
        return False
    TOTPDevice.objects.update_or_create(
        user=user, defaults={"secret": secret, "confirmed": timezone.now(), "last_step": step}
    )
    return True


def verify(user: User, code: str) -> str | None:
    """ "totp" or "recovery" if the code is accepted (and then spent); None if not."""
    device = TOTPDevice.objects.filter(user=user, confirmed__isnull=False).first()
    if device is None:
        return None
    step = _step(code, device.secret, device.last_step)
    if step is not None:
        # Only one sign-in per code, even when two arrive at once.
        taken = TOTPDevice.objects.filter(pk=device.pk, last_step__lt=step).update(last_step=step)
        return "totp" if taken else None
    used = RecoveryCode.objects.filter(user=user, digest=_digest(code), used__isnull=True).update(
        used=timezone.now()
    )
    return "recovery" if used else None


def _digest(code: str) -> str:
    normal = "".join(c for c in code.casefold() if c.isalnum())
    return salted_hmac("irtis.identity.mfa.recovery", normal).hexdigest()


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes; the codes are returned here and never stored."""
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(RecoveryCode(user=user, digest=_digest(c)) for c in codes)
    return codes


def remaining_codes(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used__isnull=True).count()


def reset(user: User) -> None:
    """Forget the user's authenticator and codes (lost phone): they enrol again at sign-in."""
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
