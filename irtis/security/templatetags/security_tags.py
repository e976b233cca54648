"""Status badges and stored reasons in the reader's language."""

from collections.abc import Mapping
from typing import Any

from django import template

from irtis.security.messages import message, status_label

register = template.Library()

COLOURS = {"passed": "success", "failed": "danger", "unknown": "warning", "not_applicable": "secondary"}


@register.filter
def status_colour(status: str | None) -> str:
    return COLOURS.get(status or "", "light")


@register.filter
def status_text(status: str | None) -> str:
    return status_label(status)


@register.simple_tag
def reason(text: str, params: Mapping[str, Any] | None = None) -> str:
    return message(text, params)
