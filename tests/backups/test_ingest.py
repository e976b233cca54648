"""Reading snapshots from real restic and Borg repositories and from the documented export format."""

import json
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from irtis.audit.models import AuditEntry
from irtis.backups import ingest
from irtis.backups.models import Snapshot, Status, Tool
from irtis.core import search

from .factories import policy, repository, system
from .repos import borg_repo, restic_repo

pytestmark = pytest.mark.django_db


def test_restic_snapshots_are_read_mapped_and_not_read_twice(tmp_path: Path) -> None:
    repo = repository(restic_repo(tmp_path, host="mdas-db-01", tag="mdas"))
    made = policy(system(), repo, match="mdas")  # a tag
    assert ingest.ingest(repo) == 1
    snapshot = Snapshot.objects.get()
    assert snapshot.policy == made and snapshot.hostname == "mdas-db-01" and snapshot.tags == "mdas"
    assert len(snapshot.snapshot_id) == 64 and snapshot.status == Status.SUCCESS
    reading = AuditEntry.objects.filter(content_type__model="snapshot").get()
    assert reading.after["snapshots"] == 1 and len(reading.after["sha256"]) == 64
    entries = AuditEntry.objects.count()
    assert ingest.ingest(repo) == 0
    assert AuditEntry.objects.count() == entries


def test_borg_archives_carry_host_and_sizes(tmp_path: Path) -> None:
    repo = repository(borg_repo(tmp_path, prefix="ntks-db"), tool=Tool.BORG, name="borg")
    made = policy(system("NTKS"), repo, match="ntks-db", name="NTKS")
    assert ingest.ingest(repo) == 1
    snapshot = Snapshot.objects.get()
    assert snapshot.snapshot_id == "ntks-db-2026-12-01" and snapshot.policy == made
    assert snapshot.files == 2 and snapshot.size_bytes and snapshot.size_bytes > 300_000
    assert snapshot.hostname


def test_an_export_file_in_csv_and_json(tmp_path: Path) -> None:
    csv_file = tmp_path / "veeam.csv"
    csv_file.write_text(
        "snapshot_id;taken_at;hostname;paths;tags;size_bytes;files;status\n"
        "v-1;2026-12-01T22:00:00+02:00;ora-dc1-01;/u01;mdas;1000;10;success\n"
        "v-2;2026-12-02T22:00:00+02:00;ora-dc1-01;/u01;mdas;;;failed\n", encoding="utf-8")
    repo = repository(csv_file, tool=Tool.FILE, name="Veeam", password=None)
    made = policy(system(), repo, match="ora-dc1-01")
    assert ingest.ingest(repo) == 2
    assert list(Snapshot.objects.order_by("snapshot_id").values_list("status", flat=True)) == ["success", "failed"]
    assert set(Snapshot.objects.values_list("policy", flat=True)) == {made.pk}
    json_file = tmp_path / "rman.json"
    json_file.write_text(json.dumps([{"snapshot_id": "rman-7", "taken_at": "2026-12-03T01:00:00Z",
                                      "hostname": "ora-dc1-01", "size_bytes": 5}]))
    repo.location = str(json_file)
    repo.save()
    assert ingest.ingest(repo) == 1


@pytest.mark.parametrize(("content", "error"), [
    ("snapshot_id,taken_at\nx,yesterday\n", "row 1: 'yesterday' is not a date and time."),
    ("snapshot_id,taken_at,status\nx,2026-12-01T00:00:00Z,maybe\n", "row 1: status 'maybe' is not one of"),
    ("snapshot_id,taken_at,size_bytes\nx,2026-12-01T00:00:00Z,-4\n", "row 1: '-4' is negative."),
    ("taken_at\n2026-12-01T00:00:00Z\n", "row 1: snapshot_id is missing."),
    ("[{", "The file is not valid JSON"),
])
def test_a_bad_export_names_the_row_and_writes_nothing(tmp_path: Path, content: str, error: str) -> None:
    path = tmp_path / "export.csv"
    path.write_text(content)
    repo = repository(path, tool=Tool.FILE, password=None)
    with pytest.raises(ingest.IngestError) as raised:
        ingest.ingest(repo)
    assert str(raised.value).startswith(error)
    assert not Snapshot.objects.exists()


def test_a_missing_export_file_is_a_clear_error(tmp_path: Path) -> None:
    repo = repository(tmp_path / "none.csv", tool=Tool.FILE, password=None)
    with pytest.raises(ingest.IngestError, match="The file cannot be read: No such file or directory"):
        ingest.ingest(repo)


def test_many_snapshots_are_written_in_a_few_statements(tmp_path: Path) -> None:
    repo = repository(tmp_path / "r", password=None, tool=Tool.FILE)
    policy(system(), repo, match="host-1")
    records = [{"snapshot_id": f"s{i}", "taken_at": ingest._moment("2026-12-01T00:00:00Z", ""),
                "hostname": f"host-{i % 3}", "paths": "", "tags": "", "size_bytes": i, "files": 1,
                "status": "success"} for i in range(300)]
    with CaptureQueriesContext(connection) as small:
        ingest.store(repo, records[:30])
    with CaptureQueriesContext(connection) as large:
        ingest.store(repo, records[30:])
    assert len(large) <= len(small) + 2
    assert Snapshot.objects.filter(policy__isnull=False).count() == 100


def test_read_snapshots_are_found_by_the_global_search_and_the_lists_q(tmp_path: Path, admin_client) -> None:
    export = tmp_path / "veeam.csv"
    export.write_text("snapshot_id;taken_at;hostname;paths;tags;size_bytes\n"
                      "ntks-20261203;2026-12-03T01:00:00+02:00;ntks-db;/u01/oradata/NTKS;ntks;10\n"
                      "gvs-20261203;2026-12-03T01:00:00+02:00;gvs-šalčininkai;/srv/gvs;gvs;10\n", encoding="utf-8")
    repo = repository(export, tool=Tool.FILE, password=None, name="DC2-Veeam")
    assert ingest.ingest(repo) == 2
    found = {entry.model: [row.title for row in rows] for entry, rows, _total in search.search("oradata ntks")}
    assert found[Snapshot] == ["DC2-Veeam:ntks-2026120"]
    found = {entry.model: total for entry, _rows, total in search.search("salcininkai")}  # no diacritics needed
    assert found[Snapshot] == 1
    page = admin_client.get("/api/backups/snapshots/", {"q": "gvs"})
    assert page.status_code == 200, page.content
    assert [item["snapshot_id"] for item in page.json()["results"]] == ["gvs-20261203"]


def test_bulk_index_rows_are_those_the_platform_writes(tmp_path: Path) -> None:
    from irtis.core.models import SearchEntry
    from irtis.core.registry import entry_for

    assert tuple(entry_for(Snapshot).search) == ingest.SEARCHED
    export = tmp_path / "x.csv"
    export.write_text("snapshot_id;taken_at;hostname;paths;tags\nŠ-1;2026-12-03T01:00:00Z;Kėdainiai;/a;x;\n",
                      encoding="utf-8")
    repo = repository(export, tool=Tool.FILE, password=None, name="DC2-Veeam")
    ingest.ingest(repo)
    stored = SearchEntry.objects.values_list("title", "text").get(object_id=Snapshot.objects.get().pk,
                                                                  content_type__model="snapshot")
    expected = search.entries_for([Snapshot.objects.get()])[0]
    assert stored == (expected.title, expected.text)
