"""pytest plugin (`-p tests.workers`): each pytest-xdist worker keeps its files apart, and the
modules that share a machine-wide resource run on one worker.

The data directory holds the SQLite test database, keys, uploads and the task-progress cache:
two workers sharing it would race on them. Django reads IRTIS_DATA_DIR when pytest-django
configures it, so the worker's own directory is set in a wrapper around that hook.

The Samba domain controller (tests/support/samba.py) listens on the fixed LDAP ports 389 and
636: every module that uses it is one scope of `--dist loadscope`, so one worker runs them all.
The modules of tests/demo/ share one demo estate, loaded once: they are one scope too.

The scopes that take minutes are handed out first (`LONG`, slowest first, from the per-test
report log of a whole run: `--report-log`), so neither worker is left running one alone at the
end while the other waits; the roles' walk is one scope per role.
"""

import os
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest
from xdist.scheduler import LoadScopeScheduling
from xdist.workermanage import WorkerController

ROOT = Path(__file__).resolve().parents[1]


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests() -> Generator[None, None, None]:
    if worker := os.environ.get("PYTEST_XDIST_WORKER"):
        base = Path(os.environ.get("IRTIS_DATA_DIR", ROOT / "data")).resolve()
        os.environ["IRTIS_DATA_DIR"] = str(base / worker)
    return (yield)


SAMBA_MODULES = ("tests/identity/test_active_directory.py", "tests/access/test_directory.py",
                 "tests/directory/test_reading.py")


DEMO = "tests/demo/"  # one demo estate for the package's modules (tests/demo/conftest.py)
ROLES_WALK = "tests/identity/test_role_walk.py::test_every_role_model_and_action_as_configured["
LONG = (
    DEMO,  # the demo estate, its every form behind a browser: 3-4 min
    "tests/audit/test_roles.py",  # PostgreSQL: the owner role migrates a new database
    "tests/core/test_serve.py",  # the Quick start's first start
    ROLES_WALK,
    "samba",
    "tests/tasks/test_batches.py",
    "tests/tasks/test_runs.py",
    "tests/virtualization/test_primary_ip_migration.py",
    "tests/audit/test_guard.py",
)


class _Scheduling(LoadScopeScheduling):
    def __init__(self, config: pytest.Config, log: Any = None) -> None:
        super().__init__(config, log)
        self.ordered = False

    def _split_scope(self, nodeid: str) -> str:
        if nodeid.startswith(SAMBA_MODULES):
            return "samba"
        if nodeid.startswith(DEMO):
            return DEMO
        if nodeid.startswith(ROLES_WALK):  # one scope per role
            return nodeid
        return super()._split_scope(nodeid)

    def _assign_work_unit(self, node: WorkerController) -> None:
        if not self.ordered:  # the queue is complete by the first assignment
            for scope in reversed([s for prefix in LONG for s in self.workqueue if s.startswith(prefix)]):
                self.workqueue.move_to_end(scope, last=False)
            self.ordered = True
        super()._assign_work_unit(node)


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> LoadScopeScheduling | None:
    return _Scheduling(config, log) if config.getvalue("dist") == "loadscope" else None
