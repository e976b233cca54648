from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """Model-level messages are checked in English (the msgids); pages render in Lithuanian."""
    with translation.override("en"):
        yield
