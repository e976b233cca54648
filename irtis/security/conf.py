"""Settings of the security app, read where used so tests may override them."""

import os

from django.conf import settings


def entity() -> str:
    """The organisation's status under the Cyber Security Law: "essential" or "important"
    (IRTIS_SECURITY_ENTITY; MISC is an essential entity)."""
    return str(getattr(settings, "IRTIS_SECURITY_ENTITY", os.environ.get("IRTIS_SECURITY_ENTITY", "essential")))


def certificate_days() -> int:
    """A certificate must stay valid this many days more (LT-32, A.8.24)."""
    return int(getattr(settings, "IRTIS_SECURITY_CERTIFICATE_DAYS", 30))


def audit_verify_hours() -> int:
    """The audit trail must have been verified intact within this many hours."""
    return int(getattr(settings, "IRTIS_SECURITY_AUDIT_HOURS", 24))
