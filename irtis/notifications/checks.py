"""System checks of the e-mail settings (run by `irtis check`, at every start, and by the worker that sends)."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, register


@register("irtis")
def smtp_credentials(app_configs: Any, **kwargs: Any) -> list[Error]:
    """smtplib signs in (AUTH LOGIN and PLAIN) with ASCII text only: say so at start, not at each send."""
    errors = []
    credentials = {"IRTIS_SMTP_USER": settings.EMAIL_HOST_USER, "IRTIS_SMTP_PASSWORD": settings.EMAIL_HOST_PASSWORD}
    for name, value in credentials.items():
        if not value.isascii():
            errors.append(Error(
                f"{name} contains letters outside ASCII; Python's SMTP client cannot sign in with them",
                hint="Use an SMTP account whose name and password are ASCII.", id="irtis.E101",
            ))
    return errors
