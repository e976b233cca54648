"""What `irtis worker` checks when it starts: irtis's checks of what its tasks use (the e-mail
settings it sends with), not Django's checks of models, addresses and templates, which import the
whole web application (the API's schemas: some 5 s of every start)."""

import subprocess
import sys

import pytest

from .conftest import ROOT, worker_environment

pytestmark = pytest.mark.django_db(transaction=True)


def _burst(**env: str) -> subprocess.CompletedProcess:
    """`irtis worker --burst` on the test database, each module it imports listed on stderr."""
    return subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "irtis.cli", "worker", "--burst"],
        env=worker_environment(**env), cwd=ROOT, capture_output=True, text=True, timeout=120,
    )


def test_a_worker_starts_without_the_web_application() -> None:
    done = _burst()
    assert done.returncode == 0, done.stderr[-3000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()
                if line.startswith("import time:")}
    assert "irtis.tasks.worker" in imported
    assert not {"irtis.urls", "irtis.core.urls"} & imported  # the addresses: the checks of them build the API


def test_a_worker_still_checks_the_mail_settings_it_sends_with() -> None:
    done = _burst(IRTIS_SMTP_USER="muitinė")
    assert done.returncode != 0 and "irtis.E101" in done.stderr, done.stderr[-3000:]
