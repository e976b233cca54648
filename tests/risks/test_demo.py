"""The demo's risks part alone: a lookup that finds nothing fails loudly
(the whole demo estate: tests/demo/test_estate.py)."""

import pytest

from irtis.risks import demo
from irtis.virtualization.models import VirtualMachine

pytestmark = pytest.mark.django_db


def test_a_demo_lookup_that_finds_nothing_raises() -> None:
    with pytest.raises(Exception, match="InformationSystem matching query does not exist"):
        demo.load()
    assert not VirtualMachine.objects.exists()
