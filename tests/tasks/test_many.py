"""`Job.start_many()`: many runs in one commit, whatever their number; one active run per object
still; worked off by a real worker on either engine."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks.exceptions import InvalidTaskError

from irtis.inventory.models import Site
from irtis.tasks.models import Run, Status

from .conftest import wait_for
from .jobs import noop, rename


def queries_to_start(count: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        runs = noop.start_many([{"n": n} for n in range(count)])
    assert len(runs) == count and len({run.pk for run in runs}) == count
    return len(captured.captured_queries)


def test_the_queries_of_start_many_do_not_grow_with_the_runs(transactional_db) -> None:
    # 40 runs fit one INSERT even on SQLite (999 parameters); beyond, Django splits it.
    assert queries_to_start(3) == queries_to_start(40)
    assert Run.objects.filter(status=Status.QUEUED).count() == 43


def test_start_many_keeps_one_active_run_per_object_and_the_order(transactional_db) -> None:
    first, second = (Site.objects.create(code=code, name=code, kind="datacentre", address="Adresas")
                     for code in ("VLN", "KLP"))
    busy = rename.start(site_id=second.pk, name="Jau")
    runs = rename.start_many([{"site_id": first.pk, "name": "A"}, {"site_id": first.pk, "name": "B"},
                              {"site_id": second.pk, "name": "C"}])
    assert runs[0].pk == runs[1].pk and runs[0].arguments == {"site_id": first.pk, "name": "A"}
    assert runs[2].pk == busy.pk
    assert Run.objects.count() == 2


def test_an_unknown_queue_starts_nothing(transactional_db) -> None:
    with pytest.raises(InvalidTaskError):
        noop.start_many([{"n": 1}], queue="nėra-tokios")
    assert not Run.objects.exists()


def test_runs_started_together_are_worked_off(start_worker) -> None:
    runs = noop.start_many([{"n": n} for n in range(40)])
    start_worker()
    runs = [wait_for(run, Status.DONE, Status.FAILED) for run in runs]
    assert [run.result for run in runs] == list(range(40))
    assert {run.attempts for run in runs} == {1}
