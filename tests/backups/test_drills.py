"""Restore drills against real restic and Borg repositories: passes, and each fault as a failed drill."""

import os
import socket
from pathlib import Path

import pytest
from django.test import override_settings

from irtis.audit.models import AuditEntry
from irtis.backups import drills, ingest, passwords
from irtis.backups.models import RestoreDrill, Result, Tool

from .factories import policy, repository, system
from .repos import PASSWORD, borg_repo, restic_repo

pytestmark = pytest.mark.django_db


@pytest.fixture
def scratch(tmp_path: Path, settings) -> Path:
    root = tmp_path / "scratch"
    settings.IRTIS_BACKUP_SCRATCH_DIR = str(root)
    return root


def leftovers(root: Path) -> list[str]:
    return [p.name for p in root.iterdir()] if root.exists() else []


def test_a_restic_drill_restores_checks_and_records_evidence(tmp_path: Path, scratch: Path) -> None:
    repo = repository(restic_repo(tmp_path))
    mdas = system()
    made = policy(mdas, repo)
    assert ingest.ingest(repo) == 1
    drill = drills.run(made)
    assert drill.result == Result.PASSED, drill.reason
    assert drill.files == 2 and drill.size_bytes == 300_000 + len("Muitinės deklaracija Nr. 1\n".encode())
    assert len(drill.checksum) == 64 and drill.rto_met is True
    assert drill.snapshot is not None and drill.snapshot_ref == drill.snapshot.snapshot_id
    entry = AuditEntry.objects.filter(object_id=drill.pk, content_type__model="restoredrill").get()
    assert entry.after["checksum"] == drill.checksum and entry.after["result"] == "passed"
    assert leftovers(scratch) == []
    again = drills.run(made)
    assert again.checksum == drill.checksum  # the same snapshot restores to the same content


def test_a_borg_drill_compares_each_file_with_the_archive(tmp_path: Path, scratch: Path) -> None:
    repo = repository(borg_repo(tmp_path), tool=Tool.BORG, name="DC2-borg")
    made = policy(system(), repo, match="mdas-db")
    assert ingest.ingest(repo) == 1
    drill = drills.run(made)
    assert drill.result == Result.PASSED, drill.reason
    assert drill.files == 2
    assert leftovers(scratch) == []


def test_a_wrong_password_fails_the_drill_without_showing_it(tmp_path: Path, scratch: Path) -> None:
    repo = repository(restic_repo(tmp_path))
    made = policy(system(), repo)
    ingest.ingest(repo)
    passwords.set_password(repo, "neteisingas-slaptazodis")
    drill = drills.run(made)
    assert drill.result == Result.FAILED
    assert drill.reason == "Wrong repository password."
    assert "neteisingas" not in str(list(AuditEntry.objects.values_list("before", "after")))
    assert leftovers(scratch) == []


def test_a_corrupted_pack_file_fails_the_drill(tmp_path: Path, scratch: Path) -> None:
    location = restic_repo(tmp_path)
    repo = repository(location)
    made = policy(system(), repo)
    ingest.ingest(repo)
    packs = sorted((location / "data").rglob("*"), key=lambda p: p.stat().st_size if p.is_file() else 0)
    biggest = packs[-1]
    os.chmod(biggest, 0o600)
    data = bytearray(biggest.read_bytes())
    data[len(data) // 2: len(data) // 2 + 64] = os.urandom(64)
    biggest.write_bytes(bytes(data))
    drill = drills.run(made)
    assert drill.result == Result.FAILED
    assert drill.reason and drill.checksum == ""
    assert leftovers(scratch) == []


def test_an_unreachable_repository_fails_the_drill(tmp_path: Path, scratch: Path) -> None:
    location = restic_repo(tmp_path)
    repo = repository(location)
    made = policy(system(), repo)
    ingest.ingest(repo)
    location.rename(tmp_path / "moved")
    drill = drills.run(made)
    assert drill.result == Result.FAILED
    assert drill.reason.startswith("The repository cannot be reached")
    assert leftovers(scratch) == []


def test_a_scratch_location_too_small_fails_before_restoring(tmp_path: Path, scratch: Path) -> None:
    repo = repository(restic_repo(tmp_path))
    made = policy(system(), repo)
    ingest.ingest(repo)
    with override_settings(IRTIS_BACKUP_SCRATCH_MB=0, IRTIS_BACKUP_SCRATCH_RESERVE_MB=10**9):
        drill = drills.run(made)
    assert drill.result == Result.FAILED
    assert drill.reason.startswith("The scratch location is too small")
    assert leftovers(scratch) == []


def test_a_drill_over_its_time_budget_is_stopped(tmp_path: Path, scratch: Path) -> None:
    repo = repository(restic_repo(tmp_path))
    made = policy(system(), repo, drill_budget_seconds=1)
    ingest.ingest(repo)
    # A REST repository on loopback that accepts the connection and never answers: restic waits.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    repo.location = f"rest:http://127.0.0.1:{silent.getsockname()[1]}/"
    repo.save()
    drill = drills.run(made)
    assert drill.result == Result.FAILED
    assert "time budget" in drill.reason
    assert drill.duration_seconds is not None and drill.duration_seconds < 30
    assert leftovers(scratch) == []
    silent.close()


def test_no_password_set_is_a_clear_failure(tmp_path: Path, scratch: Path) -> None:
    repo = repository(restic_repo(tmp_path), password=None)
    made = policy(system(), repo)
    drill = drills.run(made)
    assert drill.result == Result.FAILED
    assert "No password is set" in drill.reason
    assert RestoreDrill.objects.count() == 1


def test_the_password_is_stored_encrypted(tmp_path: Path) -> None:
    repo = repository(tmp_path / "r")
    stored = bytes(repo.secret.ciphertext)
    assert PASSWORD.encode() not in stored
    assert passwords.repo(repo).password == PASSWORD
    entry = AuditEntry.objects.filter(object_id=repo.pk, content_type__model="backuprepository",
                                      after={"password": "set"}).get()
    assert PASSWORD not in str(entry.after) + str(entry.before)




def test_restic_can_also_read_the_restored_files_back(tmp_path: Path, scratch: Path) -> None:
    repo = repository(restic_repo(tmp_path))
    made = policy(system(), repo)
    ingest.ingest(repo)
    plain = drills.run(made)
    with override_settings(IRTIS_BACKUP_RESTIC_VERIFY="true"):
        assert drills.read_back()
        verified = drills.run(made)
    assert plain.result == verified.result == Result.PASSED and plain.checksum == verified.checksum
    assert leftovers(scratch) == []
