"""pytest plugin (`-p tests.workers`): each pytest-xdist worker keeps its files apart.

The data directory holds the SQLite test database, keys, uploads and the task-progress cache:
two workers sharing it would race on them. Django reads IRTIS_DATA_DIR when pytest-django
configures it, so the worker's own directory is set in a wrapper around that hook.
"""

import os
from collections.abc import Generator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests() -> Generator[None, None, None]:
    if worker := os.environ.get("PYTEST_XDIST_WORKER"):
        base = Path(os.environ.get("IRTIS_DATA_DIR", ROOT / "data")).resolve()
        os.environ["IRTIS_DATA_DIR"] = str(base / worker)
    return (yield)
