"""Audit settings: Django settings first, then the environment, then the default.

Reading both lets the commands work before the settings module names them explicitly.
"""

import os
from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    "IRTIS_AUDIT_CHECKPOINT_EVERY": 1000,
    "IRTIS_AUDIT_KEY_FILE": "",
    "IRTIS_AUDIT_HEAD_FILE": "",
    "IRTIS_ALLOW_PRIVILEGED_DATABASE": False,
    "IRTIS_SYSLOG_HOST": "",
    "IRTIS_SYSLOG_PORT": 0,
    "IRTIS_SYSLOG_TLS": False,
    "IRTIS_SYSLOG_CA_FILE": "",
}


def get(name: str) -> Any:
    """The value of an audit setting, converted to the type of its default."""
    if hasattr(settings, name):
        return getattr(settings, name)
    default = DEFAULTS[name]
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if isinstance(default, bool):
        return raw.lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    return raw
