"""pytest plugin (`-p tests.workers`): each pytest-xdist worker keeps its files apart, and the
modules that share a machine-wide resource run on one worker.

The data directory holds the SQLite test database, keys, uploads and the task-progress cache:
two workers sharing it would race on them. Django reads IRTIS_DATA_DIR when pytest-django
configures it, so the worker's own directory is set in a wrapper around that hook.

The Samba domain controller (tests/support/samba.py) listens on the fixed LDAP ports 389 and
636: every module that uses it is one scope of `--dist loadscope`, so one worker runs them all.
"""

import os
from collections.abc import Generator
from pathlib import Path

import pytest
from xdist.scheduler import LoadScopeScheduling

ROOT = Path(__file__).resolve().parents[1]


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests() -> Generator[None, None, None]:
    if worker := os.environ.get("PYTEST_XDIST_WORKER"):
        base = Path(os.environ.get("IRTIS_DATA_DIR", ROOT / "data")).resolve()
        os.environ["IRTIS_DATA_DIR"] = str(base / worker)
    return (yield)


SAMBA_MODULES = ("tests/identity/test_active_directory.py", "tests/access/test_directory.py",
                 "tests/directory/test_reading.py")


class _Scheduling(LoadScopeScheduling):
    def _split_scope(self, nodeid: str) -> str:
        return "samba" if nodeid.startswith(SAMBA_MODULES) else super()._split_scope(nodeid)


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> LoadScopeScheduling | None:
    return _Scheduling(config, log) if config.getvalue("dist") == "loadscope" else None
