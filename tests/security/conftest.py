from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path: Path) -> Path:
    """Each test its own data directory: evidence files and packs in it."""
    settings.DATA_DIR = tmp_path / "data"
    return tmp_path / "data"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Reasons and errors compared in English, whatever catalogue is compiled."""
    with translation.override("en"):
        yield
