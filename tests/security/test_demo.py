"""The demo's security part alone: a lookup that finds nothing fails loudly
(the whole demo estate: tests/demo/test_estate.py)."""

import pytest

from irtis.security import demo
from irtis.security.catalogue import CatalogueError
from irtis.systems.models import ImportanceCategory, InformationSystem

pytestmark = pytest.mark.django_db


def test_a_demo_lookup_that_finds_nothing_raises() -> None:
    with pytest.raises(CatalogueError, match="categories: I"):  # the estate's categories are not loaded
        demo.load()
    ImportanceCategory.objects.create(code="I", name="I", rank=1)
    with pytest.raises(InformationSystem.DoesNotExist):
        demo.load()
