from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Reasons and errors compared in English, whatever catalogue is compiled."""
    with translation.override("en"):
        yield


# The real SMTP server on loopback that the notification tests use (aiosmtpd): statements are e-mailed.
from tests.notifications.conftest import cert, smtp, smtp_server  # noqa: E402, F401
