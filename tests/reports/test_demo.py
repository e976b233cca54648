"""The demo's reports part alone: a lookup that finds nothing fails loudly
(the whole demo estate: tests/demo/test_estate.py)."""

import pytest

from irtis.reports import demo

pytestmark = pytest.mark.django_db


def test_a_demo_without_the_head_of_the_division_raises() -> None:
    with pytest.raises(Exception, match="does not exist"):
        demo.load()
