"""The demo's backups part alone: a lookup that finds nothing fails loudly
(the whole demo estate: tests/demo/test_estate.py)."""

import pytest

from irtis.backups import demo
from irtis.inventory.models import Site

pytestmark = pytest.mark.django_db


def test_a_demo_lookup_that_finds_nothing_raises() -> None:
    with pytest.raises(Site.DoesNotExist):
        demo.load()
