"""Stored reasons are English message ids with parameters: shown in the reader's language."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from .models import EvidenceState, ResultStatus


def status_label(status: str | None) -> str:
    return str(ResultStatus(status).label) if status in ResultStatus.values else _("not evaluated")


def message(reason: str, params: Mapping[str, Any] | None = None) -> str:
    """The reason translated, its parameters filled in (a missing one leaves the text as is)."""
    if not reason:
        return ""
    values = dict(params or {})
    if "state" in values and values["state"] in EvidenceState.values:
        values["state"] = EvidenceState(values["state"]).label
    try:
        return _(reason) % values
    except (KeyError, TypeError, ValueError):
        return _(reason)
