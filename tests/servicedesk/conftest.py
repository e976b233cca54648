from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Errors compared in English, whatever catalogue is compiled."""
    with translation.override("en"):
        yield
