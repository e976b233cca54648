"""The demo virtualisation estate's shape
(the whole demo estate: tests/demo/test_estate.py)."""

from collections import Counter

import pytest

from irtis.virtualization.demo import machines
from irtis.virtualization.models import Environment

pytestmark = pytest.mark.django_db


def test_machines_follow_the_estate_split() -> None:
    rows = machines()
    assert 195 <= len(rows) <= 215
    assert len({r["name"] for r in rows}) == len(rows)
    share = {k: v / len(rows) for k, v in Counter(r["environment"] for r in rows).items()}
    assert share[Environment.PRODUCTION] == pytest.approx(0.45, abs=0.02)
    assert share[Environment.PRE_PRODUCTION] == pytest.approx(0.20, abs=0.02)
    assert share[Environment.TEST] == pytest.approx(0.25, abs=0.02)
    assert share[Environment.DEVELOPMENT] == pytest.approx(0.10, abs=0.02)
    assert "mdas-web-01.prod" in {r["name"] for r in rows}
