"""PostgreSQL dump drills against a real server with Debian's pg_dump and pg_restore: a dump and
its manifest written from one snapshot, read as a snapshot, restored into a scratch database and
compared; each fault a failed drill with a clear reason and no scratch database left."""

import hashlib
import json
import os
import socket
from pathlib import Path

import pypdf
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from irtis.audit.models import AuditEntry
from irtis.backups import drills, ingest, pgdump, pgserver, report
from irtis.backups.models import Result, Snapshot, Tool

from .factories import policy, repository, system
from .pg import execute, exists, needs_postgres

pytestmark = [pytest.mark.django_db, needs_postgres]


def dump_repository(directory: Path, name: str = "DC1-pgdump"):
    return repository(directory, tool=Tool.PGDUMP, name=name, password=None)


def scratch_name(drill) -> str:
    assert drill.scratch.count("/") == 1, drill.scratch
    return drill.scratch.rsplit("/", 1)[1]


def manifest_of(directory: Path) -> Path:
    (found,) = directory.glob("*.manifest.json")
    return found


def test_a_dump_drill_restores_counts_checksums_and_drops_the_scratch_database(
        tmp_path: Path, source, scratch_server) -> None:
    written = pgdump.write_dump(source, tmp_path / "dumps", prefix="mdas", host="pg-prod-01")
    manifest = json.loads(written.read_text())
    assert manifest["database"] == source.dbname and manifest["host"] == "pg-prod-01"
    tables = {f"{t['schema']}.{t['name']}": t["rows"] for t in manifest["tables"]}
    assert tables == {"kita.matavimai": 2, "public.deklaracijos": 5000}
    repo = dump_repository(tmp_path / "dumps")
    made = policy(system(), repo, match="mdas")  # the archive-name prefix
    assert ingest.ingest(repo) == 1 and ingest.ingest(repo) == 0
    snapshot = Snapshot.objects.get(repository=repo)
    assert snapshot.snapshot_id == manifest["name"] and snapshot.policy == made
    assert snapshot.hostname == "pg-prod-01" and snapshot.tags == source.dbname and snapshot.files == 2
    assert snapshot.size_bytes == (tmp_path / "dumps" / manifest["dump"]).stat().st_size

    drill = drills.run(made)
    assert drill.result == Result.PASSED, drill.reason
    assert drill.files == 2 and drill.rows == 5002 and drill.size_bytes == snapshot.size_bytes
    assert drill.rto_met is True and len(drill.checksum) == 64
    assert drill.scratch.startswith(scratch_server.params["host"]) and "irtis_drill_" in drill.scratch
    assert not exists(scratch_server, scratch_name(drill))
    entry = AuditEntry.objects.filter(object_id=drill.pk, content_type__model="restoredrill").get()
    assert entry.after["rows"] == 5002 and entry.after["scratch"] == drill.scratch
    again = drills.run(made)
    assert again.checksum == drill.checksum and again.scratch != drill.scratch
    pdf = report.report_path(drill)
    assert report.write(drill) == hashlib.sha256(pdf.read_bytes()).hexdigest()
    text = "".join("".join(page.extract_text().split()) for page in pypdf.PdfReader(pdf).pages)
    assert drill.checksum in text and drill.scratch in text and "5002" in text


def test_the_management_command_writes_a_dump_and_its_manifest(tmp_path: Path, source) -> None:
    url = f"postgresql://{source.params['user']}@{source.params['host']}:{source.params['port']}/{source.dbname}"
    call_command("pgdump", url, str(tmp_path), "--prefix", "ntks")
    found = pgdump.read_manifest(manifest_of(tmp_path))
    assert found["name"].startswith("ntks-") and (tmp_path / found["dump"]).is_file()
    with pytest.raises(CommandError, match="cannot be reached"):
        call_command("pgdump", "postgresql://postgres@127.0.0.1:1/nera", str(tmp_path / "x"))


def test_a_corrupted_dump_fails_the_drill(tmp_path: Path, source, scratch_server) -> None:
    pgdump.write_dump(source, tmp_path, prefix="mdas")
    content = json.loads(manifest_of(tmp_path).read_text())
    dump = tmp_path / content["dump"]
    data = bytearray(dump.read_bytes())
    data[len(data) // 2: len(data) // 2 + 256] = os.urandom(256)
    dump.write_bytes(bytes(data))
    repo = dump_repository(tmp_path)
    made = policy(system(), repo, match="mdas")
    ingest.ingest(repo)
    drill = drills.run(made)
    assert drill.result == Result.FAILED
    assert drill.reason == f"The dump file {dump.name} differs from its manifest (SHA-256)."
    # without the manifest's file hash, pg_restore itself meets the damage
    del content["dump_sha256"]
    manifest_of(tmp_path).write_text(json.dumps(content))
    drill = drills.run(made)
    assert drill.result == Result.FAILED
    assert drill.reason.startswith("pg_restore failed"), drill.reason
    assert drill.checksum == "" and not exists(scratch_server, scratch_name(drill))


def test_a_manifest_that_disagrees_with_the_dump_fails_the_drill(tmp_path: Path, source, scratch_server) -> None:
    first = json.loads(pgdump.write_dump(source, tmp_path / "a", prefix="mdas").read_text())
    execute(source, "UPDATE deklaracijos SET suma = suma + 0.01 WHERE id = 4321")  # one changed row
    second = json.loads(pgdump.write_dump(source, tmp_path / "b", prefix="mdas").read_text())
    assert first["tables"] != second["tables"]
    # the first dump under a manifest that counted the changed row
    (tmp_path / "a" / f"{first['name']}.manifest.json").write_text(json.dumps({**first, "tables": second["tables"]}))
    repo = dump_repository(tmp_path / "a")
    made = policy(system(), repo, match="mdas")
    ingest.ingest(repo)
    drill = drills.run(made)
    assert drill.result == Result.FAILED
    assert drill.reason.startswith("Table public.deklaracijos: the restored rows' checksum"), drill.reason
    assert not exists(scratch_server, scratch_name(drill))
    # a row missing from the restore is told by its count
    execute(source, "DELETE FROM deklaracijos WHERE id = 1")
    third = json.loads(pgdump.write_dump(source, tmp_path / "c", prefix="mdas").read_text())
    (tmp_path / "a" / f"{first['name']}.manifest.json").write_text(json.dumps({**first, "tables": third["tables"]}))
    drill = drills.run(made)
    assert drill.reason == "Table public.deklaracijos: 5000 rows restored, the manifest has 4999."


def test_an_unreachable_scratch_server_fails_the_drill(tmp_path: Path, source, settings) -> None:
    pgdump.write_dump(source, tmp_path, prefix="mdas")
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    settings.IRTIS_BACKUP_SCRATCH_DATABASE_URL = f"postgresql://postgres:Slaptas-1@127.0.0.1:{port}/postgres"
    repo = dump_repository(tmp_path)
    made = policy(system(), repo, match="mdas")
    ingest.ingest(repo)
    drill = drills.run(made)
    assert drill.result == Result.FAILED
    assert drill.reason.startswith(f"The PostgreSQL server 127.0.0.1:{port}/postgres cannot be reached"), drill.reason
    assert "Slaptas-1" not in drill.reason and drill.rto_met is False


def test_a_drill_over_its_time_budget_is_stopped_and_its_database_dropped(
        tmp_path: Path, source, scratch_server) -> None:
    # Every restored row waits 0.3 s in a CHECK constraint: the restore takes 6 s, the budget is 3 s.
    execute(source,
            "CREATE FUNCTION slow(x int) RETURNS boolean LANGUAGE sql AS "
            "'SELECT pg_catalog.pg_sleep(0.3) IS NOT NULL'",
            "CREATE TABLE lėta (x int CHECK (public.slow(x)))",
            "INSERT INTO lėta SELECT generate_series(1, 20)")
    pgdump.write_dump(source, tmp_path, prefix="mdas")
    repo = dump_repository(tmp_path)
    made = policy(system(), repo, match="mdas", drill_budget_seconds=3)
    ingest.ingest(repo)
    drill = drills.run(made)
    assert drill.result == Result.FAILED
    assert drill.reason == "pg_restore did not finish within the time budget and was stopped.", drill.reason
    assert 3 <= drill.duration_seconds < 30
    assert not exists(scratch_server, scratch_name(drill))


def test_the_scratch_server_defaults_to_irtis_own_postgresql_server(settings) -> None:
    settings.IRTIS_BACKUP_SCRATCH_DATABASE_URL = ""
    assert pgserver.django_server({"ENGINE": "django.db.backends.sqlite3", "NAME": "x"}) is None
    found = pgserver.django_server({"ENGINE": "django.db.backends.postgresql", "NAME": "irtis", "HOST": "db1",
                                    "PORT": 5433, "USER": "irtis", "PASSWORD": "x", "OPTIONS": {"sslmode": "require"}})
    assert found is not None and found.label() == "db1:5433/postgres"
    assert found.environment()["PGSSLMODE"] == "require" and found.environment()["PGPASSWORD"] == "x"
    if connection.vendor == "postgresql":
        assert pgserver.scratch_server().params["dbname"] == "postgres"
    else:
        with pytest.raises(pgserver.ServerError, match="set IRTIS_BACKUP_SCRATCH_DATABASE_URL"):
            pgserver.scratch_server()


def test_a_bad_manifest_stops_the_reading_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "blogas.manifest.json").write_text('{"format": 1, "name": "blogas"}')
    repo = dump_repository(tmp_path)
    with pytest.raises(ingest.IngestError, match=r"blogas\.manifest\.json has no dump"):
        ingest.ingest(repo)
    with pytest.raises(ingest.IngestError, match="does not exist"):
        ingest.ingest(dump_repository(tmp_path / "nera", name="kitas"))
