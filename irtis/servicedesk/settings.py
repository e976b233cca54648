"""The service desk's figures: Django settings, else the environment, else these defaults."""

import os

from django.conf import settings

# Working hours to the first answer and to the solution, by priority (the division's policy).
TARGETS = {"P1": (1, 4), "P2": (2, 8), "P3": (4, 24), "P4": (8, 40)}
WARN_SHARE = 0.2  # a target is near when less than this share of its working time is left
ATTACHMENT_MB = 10  # one attachment, by e-mail or the web form
MESSAGE_MB = 25  # one inbound e-mail; larger ones are refused by the SMTP receiver
SENDER_LIMIT = 20  # messages a sender may send in ten minutes before the receiver defers them
ATTACHMENT_TYPES = (
    "application/pdf", "text/plain", "text/csv", "image/png", "image/jpeg", "image/gif",
    "application/zip", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet", "message/rfc822",
)


def _number(name: str, default: float) -> float:
    return float(getattr(settings, name, os.environ.get(name, default)))


def targets() -> dict[str, tuple[float, float]]:
    """`IRTIS_SERVICEDESK_TARGETS`: {priority: (response hours, resolution hours)} over the defaults."""
    return {**TARGETS, **getattr(settings, "IRTIS_SERVICEDESK_TARGETS", {})}


def attachment_bytes() -> int:
    return int(_number("IRTIS_SERVICEDESK_ATTACHMENT_MB", ATTACHMENT_MB) * 1024 * 1024)


def message_bytes() -> int:
    return int(_number("IRTIS_SERVICEDESK_MESSAGE_MB", MESSAGE_MB) * 1024 * 1024)


def sender_limit() -> int:
    return int(_number("IRTIS_SERVICEDESK_SENDER_LIMIT", SENDER_LIMIT))


def mailbox() -> str:
    """The desk's own address: replies come from it and mail to it is never answered back."""
    return str(getattr(settings, "IRTIS_SERVICEDESK_ADDRESS", os.environ.get("IRTIS_SERVICEDESK_ADDRESS",
                                                                              "pagalba@irtis.lt")))
