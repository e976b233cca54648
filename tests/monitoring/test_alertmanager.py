"""Debian's real Prometheus Alertmanager on a random loopback port, whose receiver is irtis's
webhook on the live test server (bearer token through `http_config.authorization`): alerts
posted to Alertmanager's API v2 open an incident in irtis, and their resolution resolves it.
Short group_wait/group_interval keep it to seconds; the daemon is stopped at the end."""

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from irtis.identity import tokens
from irtis.monitoring.models import Alert, Incident
from tests.support.debian import ensure

from .test_incidents import array_estate

pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def config(webhook: str, token: str) -> str:
    return json.dumps({  # YAML is a superset of JSON
        "route": {"receiver": "irtis", "group_by": ["alertname", "instance"], "group_wait": "1s",
                  "group_interval": "1s", "repeat_interval": "1h"},
        "receivers": [{"name": "irtis", "webhook_configs": [{
            "url": webhook, "send_resolved": True, "max_alerts": 0,
            "http_config": {"authorization": {"type": "Bearer", "credentials": token}}}]}],
    })


@pytest.fixture
def alertmanager(live_server: Any, tmp_path: Path) -> Iterator[str]:
    binary = ensure("prometheus-alertmanager", "prometheus-alertmanager")
    user = get_user_model().objects.create_superuser("alertmanager", "am@example.lt", "Ilgas-Slaptas-1")
    _token, plain = tokens.issue(user)
    (tmp_path / "alertmanager.yml").write_text(config(f"{live_server.url}/monitoring/alerts/alertmanager/", plain))
    log = tmp_path / "alertmanager.log"
    for _attempt in range(3):  # the free port may be taken between finding and binding it
        port = free_port()
        with open(log, "wb") as out:
            process = subprocess.Popen(
                [binary, f"--config.file={tmp_path / 'alertmanager.yml'}", f"--storage.path={tmp_path / 'data'}",
                 f"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=", "--log.level=debug"],
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        if wait_ready(base, process):
            break
    else:
        pytest.fail(f"alertmanager did not start:\n{log.read_text(errors='replace')[-3000:]}")
    try:
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


def wait_ready(base: str, process: subprocess.Popen) -> bool:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(f"{base}/-/ready", timeout=1) as response:
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.1)
    process.kill()
    return False


def send(base: str, alerts: list[dict]) -> None:
    request = urllib.request.Request(f"{base}/api/v2/alerts", json.dumps(alerts).encode(),
                                     {"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200


def wait_for(condition: Any, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("irtis did not receive Alertmanager's notification in time")
        time.sleep(0.2)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def test_alertmanager_opens_and_resolves_an_incident_through_the_webhook(alertmanager: str) -> None:
    estate = array_estate()
    started = datetime.now(UTC) - timedelta(seconds=30)
    alert = {"labels": {"alertname": "DiskArrayDown", "instance": "masyvas-1:9100", "job": "node",
                        "severity": "critical"},
             "annotations": {"summary": "masyvas-1 neatsako"}, "startsAt": iso(started)}
    send(alertmanager, [alert])
    wait_for(lambda: Incident.objects.filter(status="open").exists())
    incident = Incident.objects.get()
    assert incident.source == "alert" and incident.systems.count() == len(estate["systems"])
    stored = Alert.objects.get()
    assert stored.source == "alertmanager" and stored.firing and stored.object_id == estate["array"].pk

    send(alertmanager, [alert])  # the same alert again: Alertmanager de-duplicates it, irtis would too
    send(alertmanager, [{**alert, "endsAt": iso(datetime.now(UTC) - timedelta(seconds=1))}])
    wait_for(lambda: Incident.objects.filter(status="resolved").exists())
    assert Incident.objects.count() == 1 and Alert.objects.count() == 1
    assert Alert.objects.get().firing is False
