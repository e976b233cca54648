"""pgBackRest readings: the real pgbackrest against a private PostgreSQL cluster started here
(initdb and pg_ctl of Debian's PostgreSQL 15 as the postgres user, on a random loopback port,
archive_command = pgbackrest archive-push), and a recorded `info --output=json` for the shapes a
live cluster does not give at will (a backup with page checksum errors, a failing stanza)."""

import json
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from irtis.backups import ingest, jobs, pgbackrest
from irtis.backups.models import BackupRepository, Snapshot, Status, Tool
from irtis.tasks.models import Run
from irtis.tasks.runs import execute

from .factories import policy, repository, system

pytestmark = pytest.mark.django_db

BIN = Path("/usr/lib/postgresql/15/bin")
RECORDED = Path(__file__).parent / "data" / "pgbackrest-info.json"


def can_run_a_cluster() -> bool:
    import os

    return (os.geteuid() == 0 and (BIN / "initdb").exists() and shutil.which("pgbackrest") is not None
            and shutil.which("runuser") is not None)


def as_postgres(*command: str, cwd: Path | None = None) -> None:
    subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True, capture_output=True, cwd=cwd,
                   timeout=120)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def stanza() -> Iterator[Path]:
    """A private cluster with one full pgBackRest backup; the configuration file's path."""
    if not can_run_a_cluster():
        pytest.skip("needs root, PostgreSQL 15's initdb, runuser and pgbackrest")
    home = Path(tempfile.mkdtemp(prefix="irtis-pgbackrest-"))
    shutil.chown(home, "postgres", "postgres")
    port = free_port()
    config = home / "pgbackrest.conf"
    config.write_text(f"[global]\nrepo1-path={home}/repo\nrepo1-retention-full=2\nlock-path={home}/lock\n"
                      f"log-path={home}/log\nlog-level-file=off\nlog-level-console=warn\nspool-path={home}/spool\n"
                      f"start-fast=y\n\n[main]\npg1-path={home}/data\npg1-port={port}\npg1-socket-path={home}\n")
    shutil.chown(config, "postgres", "postgres")
    as_postgres(str(BIN / "initdb"), "-D", str(home / "data"), "-A", "trust", "-U", "postgres", "--no-sync")
    with (home / "data" / "postgresql.conf").open("a") as conf:
        conf.write(f"listen_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = '{home}'\n"
                   f"archive_mode = on\nwal_level = replica\nfsync = off\n"
                   f"archive_command = 'pgbackrest --config={config} --stanza=main archive-push %p'\n")
    try:
        as_postgres(str(BIN / "pg_ctl"), "-D", str(home / "data"), "-l", str(home / "server.log"), "-w", "start")
        as_postgres("pgbackrest", f"--config={config}", "--stanza=main", "stanza-create")
        as_postgres("pgbackrest", f"--config={config}", "--stanza=main", "backup", "--type=full")
        yield config
    finally:
        subprocess.run(["runuser", "-u", "postgres", "--", str(BIN / "pg_ctl"), "-D", str(home / "data"),
                        "-m", "immediate", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(home, ignore_errors=True)


def test_a_real_stanza_is_read_into_snapshots_of_the_instance(stanza: Path) -> None:
    repo = repository(f"main@{stanza}", tool=Tool.PGBACKREST, name="DC1-pgbackrest", password=None)
    made = policy(system(), repo, match="main")
    run = jobs.ingest_repository.start(repository_id=repo.pk)
    execute(str(run.pk))
    run = Run.objects.get(pk=run.pk)
    assert run.result == {"written": 1}, run.result
    snapshot = Snapshot.objects.get(repository=repo)
    assert snapshot.snapshot_id.endswith("F") and snapshot.paths == "full" and snapshot.tags == "main"
    assert snapshot.policy == made and snapshot.status == Status.SUCCESS and snapshot.size_bytes > 10**6
    repo = BackupRepository.objects.get(pk=repo.pk)
    assert repo.wal_archive.startswith("15-1: 0000000100000000000000") and repo.last_error == ""
    assert ingest.ingest(repo) == 0  # a rerun writes nothing


def test_an_unknown_stanza_is_the_readings_error(stanza: Path) -> None:
    repo = repository(f"nera@{stanza}", tool=Tool.PGBACKREST, name="DC1-pgbackrest", password=None)
    with pytest.raises(pgbackrest.StanzaError, match="nera"):
        ingest.ingest(repo)


def test_a_recorded_report_maps_errors_and_stanza_status() -> None:
    data = json.loads(RECORDED.read_text())
    found = pgbackrest.records(pgbackrest.stanza_of(data, "main"))
    assert [(r["snapshot_id"], r["status"], r["paths"]) for r in found] == [("20261203-223339F", "success", "full")]
    assert found[0]["size_bytes"] == 23213916 and found[0]["taken_at"].timestamp() == 1796337228
    data[0]["backup"][0]["error"] = True  # pages with checksum errors
    assert pgbackrest.records(data[0])[0]["status"] == "partial"
    data[0]["status"] = {"code": 1, "message": "missing stanza path"}
    with pytest.raises(pgbackrest.StanzaError, match="missing stanza path"):
        pgbackrest.stanza_of(data, "main")
    assert pgbackrest.wal_archive(data[0]) == "15-1: 000000010000000000000001 … 000000010000000000000002"
    assert pgbackrest.command("main@/etc/pgbackrest/x.conf")[:3] == [
        "pgbackrest", "--config=/etc/pgbackrest/x.conf", "--stanza=main"]
