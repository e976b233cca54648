"""The demo estate, as the Quick start loads it, shared by this package's modules.

`irtis demo` takes 25–60 s of CPU, machine and database depending; each of these modules loaded
its own. Now it is loaded once for the package (which a worker runs as one piece:
tests/workers.py), committed, and emptied after the package's last test (`databases.reset`). The modules run in
file order and each leaves the estate as its next one needs it: the estate's tests each run in
a transaction rolled back after it; the browser's forms save objects through a server (kept,
as a user's would be); the related panels' test, a transactional one, runs last (its flush
empties the database).
"""

import io
from collections.abc import Iterator

import pytest
from django.core.management import call_command

from tests.browser.conftest import browser, page, signed_in  # noqa: F401  (fixtures of the browser's modules)
from tests.support import databases


@pytest.fixture(scope="package", autouse=True)
def estate(django_db_setup: None, django_db_blocker: object) -> Iterator[None]:
    with django_db_blocker.unblock():
        call_command("demo", stdout=io.StringIO())
        try:
            yield
        finally:
            databases.reset()
