"""The demo's regulations part alone: a lookup that finds nothing fails loudly
(the whole demo estate: tests/demo/test_estate.py)."""

import pytest

from irtis.regulations import demo

pytestmark = pytest.mark.django_db


def test_a_demo_lookup_that_finds_nothing_raises() -> None:
    with pytest.raises(Exception, match="does not exist"):
        demo.load()
