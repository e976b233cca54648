"""Running the same work in several threads at once, as simultaneous requests would."""

import threading
from collections.abc import Callable

from django.db import connections


def at_once(work: Callable[[int], object], count: int) -> None:
    """Run `work(0)` … `work(count - 1)` in threads released together; each thread's database
    connection is closed when it ends, and a failure in any thread fails the caller."""
    start = threading.Barrier(count)
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            start.wait()
            work(n)
        except BaseException as exc:  # re-raised below: a thread's failure must fail the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
