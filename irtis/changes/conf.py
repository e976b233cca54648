"""Settings of maintenance and changes: a Django setting of the name, else the environment."""

import os

from django.conf import settings


def self_approval() -> bool:
    """`IRTIS_CHANGES_SELF_APPROVAL`: may a requester approve their own window or change where no
    approval rule speaks of it (default: no, the four-eyes principle)."""
    if hasattr(settings, "IRTIS_CHANGES_SELF_APPROVAL"):
        return bool(getattr(settings, "IRTIS_CHANGES_SELF_APPROVAL"))  # noqa: B009 (not in the stubs' settings)
    return os.environ.get("IRTIS_CHANGES_SELF_APPROVAL", "").lower() in {"1", "true", "yes", "on"}
