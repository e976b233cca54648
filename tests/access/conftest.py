from collections.abc import Iterator

import pytest
from django.utils import translation

from tests.support.samba import samba_dc  # noqa: F401  (session fixture, started on first use)


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """Messages are checked in English (the msgids)."""
    with translation.override("en"):
        yield
