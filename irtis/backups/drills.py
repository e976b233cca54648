"""Restore drills: restore a snapshot into a scratch directory, check it, measure, record, clean up.

- The scratch directory is a new directory under IRTIS_BACKUP_SCRATCH_DIR (default
  `$IRTIS_DATA_DIR/drills`); the tool's target, its cache and its configuration all live in it,
  so a drill writes nowhere else, and it is removed whatever happens.
- Space: the snapshot's size is compared beforehand with what the drill may use (the free space
  less IRTIS_BACKUP_SCRATCH_RESERVE_MB, and at most IRTIS_BACKUP_SCRATCH_MB when set); a disk
  that fills up anyway stops the tool with "no space left", reported as such.
- Time: every command and the checking share the policy's time budget; the tool's process
  group is killed when it runs out. The duration runs until the restored copy is checked;
  removing the copy afterwards is no part of a recovery and is not counted.
- Checks: `restic restore` decrypts and authenticates every blob it writes and compares its
  SHA-256 with the id the snapshot names (restic's StreamPack; a damaged pack fails the
  restore); the restored files must then match `restic ls --json` (every path, with its size),
  which runs beside the restore. With IRTIS_BACKUP_RESTIC_VERIFY the restore also gets
  `--verify`: restic reads every written file back from the scratch disk and hashes it again,
  which proves the scratch disk rather than the backup and costs a quarter more time
  (docs/performance.md). Hashing the files once more in Python would add some 60 %, so the
  evidence checksum is the SHA-256 over the sorted "path, size, modification time" lines of the
  snapshot's files, as verified. Borg extracts without such a check, so each restored file's SHA-256 is
  compared with the one `borg list` computes from the archive, and the evidence checksum is the
  SHA-256 over the sorted "path, SHA-256" lines.

Every outcome, failed ones included, is a `RestoreDrill` row (audited as it is created).
"""

import hashlib
import json
import os
import shutil
import stat
import time
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from . import ingest, passwords, pgdump, tools
from .models import BackupPolicy, RestoreDrill, Result, Snapshot, Status, Tool, Trigger
from .pgserver import ServerError

READ = 1 << 20


class DrillFailed(Exception):
    """The drill cannot pass; the message is its reason (safe to show: no password)."""


def scratch_root() -> Path:
    configured = getattr(settings, "IRTIS_BACKUP_SCRATCH_DIR", "") or os.environ.get("IRTIS_BACKUP_SCRATCH_DIR", "")
    return Path(configured) if configured else Path(settings.DATA_DIR) / "drills"


def _setting_mb(name: str, default: int) -> int:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name) or default
    return int(value)


@dataclass
class Evidence:
    files: int = 0
    size_bytes: int = 0
    lines: list[str] = field(default_factory=list)
    rows: int | None = None

    def checksum(self) -> str:
        return hashlib.sha256("".join(sorted(self.lines)).encode()).hexdigest()


def sha256_of(path: Path, deadline: float) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(READ):
            digest.update(chunk)
            if time.monotonic() > deadline:
                raise tools.TimeBudgetExceeded(_("Checking the restored files did not finish within the time budget."))
    return digest.hexdigest()


def restored_files(root: Path) -> dict[str, Path]:
    """Regular files under root by their path inside the snapshot ("/etc/hosts" or "src/a")."""
    found = {}
    for directory, _dirs, names in os.walk(root):
        for name in names:
            path = Path(directory, name)
            if path.is_file() and not path.is_symlink():
                found[str(path.relative_to(root))] = path
    return found


def check_space(needed: int | None, scratch: Path) -> None:
    if needed is None:
        return
    free = shutil.disk_usage(scratch).free - _setting_mb("IRTIS_BACKUP_SCRATCH_RESERVE_MB", 256) * (1 << 20)
    limit = _setting_mb("IRTIS_BACKUP_SCRATCH_MB", 0) * (1 << 20)
    allowed = min(free, limit) if limit else free
    if needed > allowed:
        raise DrillFailed(_("The scratch location is too small: the snapshot needs %(needed)s MB, "
                            "%(allowed)s MB may be used.") % {"needed": round(needed / (1 << 20), 1),
                                                              "allowed": round(max(allowed, 0) / (1 << 20), 1)})


def read_back() -> bool:
    """IRTIS_BACKUP_RESTIC_VERIFY: restic also reads every restored file back (`--verify`)."""
    value = getattr(settings, "IRTIS_BACKUP_RESTIC_VERIFY", None)
    if value is None:
        value = os.environ.get("IRTIS_BACKUP_RESTIC_VERIFY", "")
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def restic_drill(repo: tools.Repo, snapshot: str, scratch: Path, deadline: float) -> Evidence:
    """`restic ls --json` (the expected files) runs beside `restic restore --verify`, not before
    it: the listing is in long before the restore ends, and a scratch location too small for the
    snapshot's files then stops the restore at once."""
    cache, target = scratch / "cache", scratch / "restore"
    env = tools.environment(repo, cache)
    if deadline <= time.monotonic():
        raise tools.TimeBudgetExceeded(_("The time budget was used up before %(tool)s started.") % {"tool": "restic"})
    listing = tools.spawn(tools.command_of(repo, ["ls", "--json", snapshot]), env=env)
    verify = ["--verify"] if read_back() else []
    restore = tools.spawn(tools.command_of(repo, ["restore", snapshot, "--target", str(target), *verify]), env=env)
    try:
        listed = tools.outcome(repo, tools.finish(listing, deadline=deadline, tool=repo.tool))
        expected: dict[str, int] = {}
        evidence = Evidence()
        for line in listed.splitlines():
            node = json.loads(line)
            if node.get("struct_type") == "node" and node.get("type") == "file":
                name = node["path"].lstrip("/")
                expected[name] = int(node.get("size") or 0)
                evidence.lines.append(f"{name}\0{expected[name]}\0{node.get('mtime', '')}\n")
        check_space(sum(expected.values()), scratch)
        tools.outcome(repo, tools.finish(restore, deadline=deadline, tool=repo.tool))
    finally:
        tools.stop(listing)
        tools.stop(restore)
    restored = restored_files(target)
    missing = sorted(set(expected) - set(restored))
    if missing:
        raise DrillFailed(_("%(count)s files of the snapshot were not restored, e.g. %(path)s.")
                          % {"count": len(missing), "path": missing[0]})
    for name, size in expected.items():
        got = restored[name].stat().st_size
        if got != size:
            raise DrillFailed(_("%(path)s was restored with %(got)s bytes, the snapshot has %(want)s.")
                              % {"path": name, "got": got, "want": size})
        evidence.files += 1
        evidence.size_bytes += size
    return evidence


def borg_drill(repo: tools.Repo, archive: str, scratch: Path, deadline: float, size: int | None) -> Evidence:
    cache, target = scratch / "cache", scratch / "restore"
    check_space(size, scratch)
    name = f"{repo.location}::{archive}"
    listing = tools.run(repo, ["list", "--json-lines", "--format", "{sha256}", name], deadline=deadline, cache=cache)
    expected = {}
    for line in listing.splitlines():
        item = json.loads(line)
        if item.get("type") == "-":
            expected[item["path"]] = item["sha256"]
    target.mkdir()
    tools.run(repo, ["extract", name], deadline=deadline, cache=cache, cwd=target)
    restored = restored_files(target)
    missing = sorted(set(expected) - set(restored))
    if missing:
        raise DrillFailed(_("%(count)s files of the snapshot were not restored, e.g. %(path)s.")
                          % {"count": len(missing), "path": missing[0]})
    evidence = Evidence()
    for path_name, digest in expected.items():
        path = restored[path_name]
        actual = sha256_of(path, deadline)
        if actual != digest:
            raise DrillFailed(_("%(path)s differs from the snapshot (SHA-256 %(got)s, expected %(want)s).")
                              % {"path": path_name, "got": actual[:16], "want": digest[:16]})
        evidence.lines.append(f"{path_name}\0{actual}\n")
        evidence.files += 1
        evidence.size_bytes += path.stat().st_size
    return evidence


def remove(scratch: Path) -> None:
    """Delete the scratch directory, read-only directories restored from the snapshot included."""

    def writable(function: Any, path: str, _info: Any) -> None:
        parent = os.path.dirname(path)
        os.chmod(parent, os.stat(parent).st_mode | stat.S_IWUSR | stat.S_IXUSR)
        if os.path.isdir(path) and not os.path.islink(path):
            os.chmod(path, os.stat(path).st_mode | stat.S_IRWXU)
        function(path)

    shutil.rmtree(scratch, onerror=writable)


def newest(policy: BackupPolicy) -> Snapshot | None:
    return policy.snapshots.filter(repository=policy.repository, status=Status.SUCCESS).order_by("-taken_at").first()


def choose(policy: BackupPolicy, snapshot: Snapshot | None) -> Snapshot:
    """The snapshot asked for, or the policy's newest good one (reading the repository if none is known)."""
    if snapshot is not None:
        if snapshot.repository_id != policy.repository_id:
            raise DrillFailed(_("The snapshot is not in the policy's repository."))
        return snapshot
    found = newest(policy)
    if found is None and policy.repository is not None:
        ingest.ingest(policy.repository, seconds=policy.drill_budget_seconds)
        found = newest(policy)
    if found is None:
        raise DrillFailed(_("The repository holds no successful snapshot of this policy's object."))
    return found


def dump_drill(location: str, snapshot: str, deadline: float, drill: RestoreDrill) -> Evidence:
    """A PostgreSQL dump restored into a scratch database and compared with its manifest (pgdump.py)."""

    def named(where: str) -> None:
        drill.scratch = where[:300]

    found = pgdump.drill(Path(location), snapshot, deadline, named)
    return Evidence(files=found["tables"], size_bytes=found["bytes"], lines=found["lines"], rows=found["rows"])


def new_scratch() -> Path:
    root = scratch_root()
    root.mkdir(parents=True, exist_ok=True)
    scratch = root / f"drill-{uuid.uuid4().hex}"
    scratch.mkdir(mode=0o700)
    return scratch


def restore_and_check(policy: BackupPolicy, snapshot: Snapshot, deadline: float, drill: RestoreDrill,
                      scratch: list[Path]) -> Evidence:
    """Restore and check into a new scratch location, named on `drill` as soon as it exists; a
    scratch directory is added to `scratch` for the caller to remove (after the clock stops)."""
    repository = policy.repository
    assert repository is not None
    if repository.tool == Tool.PGDUMP:
        try:
            return dump_drill(repository.location, snapshot.snapshot_id, deadline, drill)
        except OSError as error:  # the dump file unreadable
            raise DrillFailed(_("The dump cannot be read: %(error)s") % {"error": error.strerror or error}) from None
    if repository.tool not in (Tool.RESTIC, Tool.BORG):
        raise DrillFailed(_("Drills from %(tool)s repositories are not supported.") % {"tool": repository.tool})
    repo = passwords.repo(repository)
    where = new_scratch()
    scratch.append(where)
    drill.scratch = str(where)[:300]
    try:
        if repository.tool == Tool.RESTIC:
            return restic_drill(repo, snapshot.snapshot_id, where, deadline)
        return borg_drill(repo, snapshot.snapshot_id, where, deadline, snapshot.size_bytes)
    except OSError as error:  # the scratch disk itself failing (ENOSPC while hashing, permissions)
        raise DrillFailed(_("The scratch location failed: %(error)s") % {"error": error.strerror or error}) from None


def run(policy: BackupPolicy, snapshot: Snapshot | None = None, *, trigger: str = Trigger.ON_DEMAND,
        user: Any = None) -> RestoreDrill:
    """Run one drill of the policy and record it, passed or failed (never raises for a failed drill)."""
    started_at, began = timezone.now(), time.monotonic()
    deadline = began + policy.drill_budget_seconds
    drill = RestoreDrill(policy=policy, trigger=trigger, started_at=started_at,
                         started_by=user if getattr(user, "is_authenticated", False) else None)
    scratch: list[Path] = []
    try:
        try:
            if policy.repository is None:
                raise DrillFailed(_("The policy names no repository to restore from."))
            chosen = choose(policy, snapshot)
            drill.snapshot, drill.snapshot_ref = chosen, chosen.snapshot_id[:100]
            evidence = restore_and_check(policy, chosen, deadline, drill, scratch)
        except (DrillFailed, tools.ToolError, ingest.IngestError, pgdump.DumpError, ServerError) as error:
            drill.result, drill.reason = Result.FAILED, str(error)[:500]
        else:
            drill.result = Result.PASSED
            drill.files, drill.size_bytes, drill.checksum = evidence.files, evidence.size_bytes, evidence.checksum()
            drill.rows = evidence.rows
        elapsed = time.monotonic() - began  # the restored copy is checked: removing it is no part of a recovery
    finally:
        for where in scratch:
            remove(where)
    drill.duration_seconds = Decimal(f"{elapsed:.3f}")
    if drill.result == Result.PASSED and policy.rto_hours is not None:
        drill.rto_met = elapsed <= float(policy.rto_hours) * 3600
    elif drill.result == Result.FAILED:
        drill.rto_met = False
    drill.full_clean()
    drill.save()
    return drill
