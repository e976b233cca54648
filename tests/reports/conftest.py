"""The real SMTP receiver of the notification tests, for the e-mailed reports."""

from collections.abc import Iterator

import pytest
from django.utils import translation

from tests.notifications.conftest import _tasks_run_at_once, cert, smtp, smtp_server  # noqa: F401


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Figures compared in English (pages choose their language with the cookie); Lithuanian
    errors and mail are asked for where they are tested."""
    with translation.override("en"):
        yield
