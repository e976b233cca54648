"""Retention: old entries go to a signed file, the table keeps a verifiable chain from an anchor."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from irtis.audit import archive, verify
from irtis.audit.models import Action, ArchiveAnchor, AuditEntry


@pytest.fixture
def archived(make_sites, settings, tmp_path):
    settings.IRTIS_AUDIT_CHECKPOINT_EVERY = 3
    ids = make_sites(8)
    out = tmp_path / "trail-old.jsonl"
    result = archive.archive(datetime.now(UTC) + timedelta(days=1), out, chunk=3)
    return ids, out, result


def test_archive_moves_entries_to_a_signed_file(archived) -> None:
    ids, out, result = archived
    assert result.last_id == ids[-2]  # the newest entry always stays: the next one links to it
    assert not AuditEntry.objects.filter(id__lte=result.last_id).exists()
    lines = out.read_text().splitlines()
    assert len(lines) == result.entries + 1 and "signature" in json.loads(lines[-1])
    record = AuditEntry.objects.get(action=Action.AUDIT_ARCHIVE)
    assert record.after["entries"] == result.entries and record.after["sha256"] == result.sha256
    anchor = ArchiveAnchor.objects.get()
    assert anchor.last_entry_id == result.last_id
    report = verify.verify_trail()
    assert report.intact, str(report.problem)
    check = archive.verify_archive(out)
    assert check.problem is None and check.anchored and check.entries == result.entries


def test_verify_archive_command(archived, capsys) -> None:
    _, out, _ = archived
    call_command("audit", "verify", "--archive", str(out))
    assert "archive intact" in capsys.readouterr().out


def _edited(line: str) -> str:
    entry = json.loads(line)
    entry["repr"] = "rewritten"
    return json.dumps(entry)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda lines: [lines[0], _edited(lines[1]), *lines[2:]],
            "content changed",
        ),
        (lambda lines: [lines[0], *lines[2:]], "link broken"),
        (lambda lines: lines[:-1], "signature line is missing"),
        (
            lambda lines: [*lines[:-1], lines[-1].replace('"entries":', '"entries":1')],
            "signature invalid",
        ),
    ],
)
def test_tampered_archive_is_refused(archived, change, message) -> None:
    _, out, _ = archived
    lines = out.read_text().splitlines()
    out.write_text("\n".join(change(lines)) + "\n")
    assert message in archive.verify_archive(out).problem
    with pytest.raises(CommandError, match="BROKEN"):
        call_command("audit", "verify", "--archive", str(out))


def test_forged_anchor_is_found(archived, tamper) -> None:
    with tamper() as sql:
        sql.execute("UPDATE audit_archiveanchor SET last_hash = %s", ["f" * 64])
    assert verify.verify_trail().problem.kind == verify.ANCHOR


def test_archive_refuses_an_existing_file_and_a_broken_chain(make_sites, tamper, tmp_path) -> None:
    ids = make_sites(4)
    existing = tmp_path / "exists.jsonl"
    existing.write_text("")
    with pytest.raises(CommandError, match="exists"):
        call_command("audit", "archive", "--before", "2999-01-01", "--out", str(existing))
    with tamper() as sql:
        sql.execute("UPDATE audit_auditentry SET object_repr = 'x' WHERE id = %s", [ids[1]])
    with pytest.raises(CommandError, match="breaks the chain"):
        call_command(
            "audit", "archive", "--before", "2999-01-01", "--out", str(tmp_path / "new.jsonl")
        )
    assert AuditEntry.objects.filter(id__in=ids).count() == 4  # nothing removed
    assert not (tmp_path / "new.jsonl").exists() and not (tmp_path / "new.jsonl.partial").exists()


def test_appends_continue_the_chain_after_an_archive(archived, make_sites) -> None:
    make_sites(3)
    assert verify.verify_trail().intact
