"""The demo's governance part alone: a lookup that finds nothing fails loudly
(the whole demo estate: tests/demo/test_estate.py)."""

import pytest

from irtis.governance import demo

pytestmark = pytest.mark.django_db


def test_a_demo_lookup_that_finds_nothing_raises() -> None:
    with pytest.raises(LookupError):
        demo.load()
