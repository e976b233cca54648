from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path: Path) -> Path:
    """Each test its own data directory: backup key, scratch drills and reports in it."""
    settings.DATA_DIR = tmp_path / "data"
    return tmp_path / "data"
