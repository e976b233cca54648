"""The installation's figures for findings and risks: Django settings, else the environment, else defaults."""

import os

from django.conf import settings

# Days to fix a finding by its severity; the division's policy, not statute.
DUE_DAYS = {"critical": 7, "high": 30, "medium": 90, "low": 180}
APPETITE = 9  # a risk level (likelihood × impact, 1–25) above this needs a treatment with measures
ANALYSIS_MAX_RANK = 2  # categories of rank ≤ 2 (I and II) need a recent risk analysis (KSRA)
ANALYSIS_MONTHS = 12


def due_days() -> dict[str, int]:
    """`IRTIS_FINDING_DUE_DAYS`: a dict setting, or "critical=7,high=30,…" in the environment."""
    configured = getattr(settings, "IRTIS_FINDING_DUE_DAYS", None)
    if configured is None:
        text = os.environ.get("IRTIS_FINDING_DUE_DAYS", "")
        configured = {k.strip(): int(v) for k, v in (p.split("=", 1) for p in text.split(",") if "=" in p)}
    return {**DUE_DAYS, **configured}


def appetite() -> int:
    return int(getattr(settings, "IRTIS_RISK_APPETITE", os.environ.get("IRTIS_RISK_APPETITE", APPETITE)))
