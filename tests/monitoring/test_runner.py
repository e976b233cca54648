"""The runner against real loopback servers: states, state changes only, samples, idempotent
writes, query counts that do not grow with the checks; validation of checks."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from irtis.inventory.models import Device
from irtis.monitoring import runner
from irtis.monitoring.models import Check, CheckState, Sample, StateChange
from irtis.monitoring.probes import Result
from tests.virtualization.factories import server

from .factories import tcp_check
from .servers import closed_port, servers

pytestmark = pytest.mark.django_db


def later(minutes: int = 5):  # type: ignore[no-untyped-def]
    return timezone.now() + timedelta(minutes=minutes)


def test_only_state_changes_are_stored(tmp_path: Path) -> None:
    with servers(tmp_path) as s:
        up = tcp_check(server("a"), s["tcp"], name="a")
        down = tcp_check(server("b"), closed_port(), name="b")
        assert runner.run_zone("default").as_dict() == {"checked": 2, "changed": 2}
        assert runner.run_zone("default").checked == 0  # not due yet
        assert runner.run_zone("default", now=later()).as_dict() == {"checked": 2, "changed": 0}
    assert CheckState.objects.get(pk=up.pk).state == "up"
    state = CheckState.objects.get(pk=down.pk)
    assert (state.state, state.reason) == ("down", "connection refused")
    assert StateChange.objects.count() == 2
    assert Sample.objects.count() == 4
    # The server is gone: the check that was up goes down, once.
    runner.run_zone("default", now=later(10))
    assert list(StateChange.objects.filter(check_obj=up).values_list("state", flat=True)) == ["up", "down"]


def test_a_batch_runs_a_constant_number_of_queries(tmp_path: Path) -> None:
    with servers(tmp_path) as s:
        def queries(n: int) -> int:
            Check.objects.all().delete()
            for i in range(n):
                tcp_check(server(f"q{n}-{i}"), s["tcp"], name=f"q{n}-{i}")
            runner.run_zone("default")
            with CaptureQueriesContext(connection) as ctx:
                runner.run_zone("default", now=later())
            return len(ctx.captured_queries)

        assert queries(3) == queries(30)


def test_writing_a_batch_twice_adds_nothing() -> None:
    """A run retried after its worker was killed writes the same changes: they are not doubled."""
    check = tcp_check(server("i"), 1)
    now = timezone.now()
    loaded = runner.due("default", now)
    runner.record(loaded, {check.pk: Result("down", "connection refused")}, now)
    stale = list(Check.objects.filter(pk=check.pk))  # as the killed attempt had read it: no state yet
    CheckState.objects.filter(pk=check.pk).delete()
    runner.record(stale, {check.pk: Result("down", "connection refused")}, now)
    assert StateChange.objects.filter(check_obj=check).count() == 1


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"port": 0}, "port", "greater than or equal to 1"),
    ({"port": 70000}, "port", "less than or equal to 65535"),
    ({"interval": 5}, "interval", "greater than or equal to 10"),
    ({"host": "no-such-host.invalid"}, "host", "cannot be resolved"),
    ({"kind": "http", "url": "ftp://x"}, "url", "http:// or https://"),
    ({"kind": "http", "url": "http://no-such-host.invalid/"}, "url", "cannot be resolved"),
    ({"port": None}, "port", "Enter the port"),
])
def test_invalid_checks_get_clear_errors(values: dict, field: str, message: str) -> None:
    device = server("v")
    check = Check(name="v", kind="tcp", host="127.0.0.1", port=80,
                  target_type=ContentType.objects.get_for_model(Device), target_id=device.pk)
    for name, value in values.items():
        setattr(check, name, value)
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            check.full_clean()
        assert message in " ".join(caught.value.message_dict[field])


def test_the_api_refuses_an_invalid_check(admin_client) -> None:  # type: ignore[no-untyped-def]
    device = server("api")
    response = admin_client.post("/api/monitoring/checks/", {
        "name": "x", "kind": "tcp", "host": "127.0.0.1", "port": 70000, "interval": 5,
        "target_type": ContentType.objects.get_for_model(Device).pk, "target_id": device.pk,
    }, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) >= {"port", "interval"}


def test_a_check_watches_only_the_kinds_of_objects_it_can() -> None:
    from irtis.inventory.models import Site

    site = Site.objects.create(code="X", name="X", kind="datacentre")
    check = Check(name="s", kind="dns", host="localhost", target_type=ContentType.objects.get_for_model(Site),
                  target_id=site.pk)
    with pytest.raises(ValidationError) as caught:
        check.full_clean()
    assert "target_type" in caught.value.message_dict
