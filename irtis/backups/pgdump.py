"""PostgreSQL dumps with manifests: writing them, reading them as snapshots, and drilling them.

A repository of tool "PostgreSQL dumps" is a directory of `pg_dump -Fc` files, each with a
manifest `<name>.manifest.json` beside it (format in docs/backups.md):

    {"format": 1, "name": "mdas-20261203T010000Z", "database": "mdas", "host": "pg-prod-01",
     "server_version": "15.20", "encoding": "UTF8", "taken_at": "2026-12-03T01:00:00+00:00",
     "dump": "mdas-20261203T010000Z.dump", "dump_bytes": 81234, "dump_sha256": "…",
     "checksum_method": "md5-sum/1",
     "tables": [{"schema": "public", "name": "deklaracijos", "rows": 2000, "checksum": "…"}]}

`write_dump` (the `irtis pgdump` command) makes both from one consistent view of the source:
a REPEATABLE READ transaction exports its snapshot, pg_dump dumps exactly that snapshot
(`--snapshot`) and the row counts and checksums are computed in the same transaction.

The drill checks the dump file against the manifest's SHA-256, restores it with `pg_restore`
into a new database with a random name on the scratch server (pgserver.scratch_server), counts
and checksums every table again, compares with the manifest, and always drops the database.
"""

import hashlib
import json
import os
import re
import secrets
import subprocess
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from django.utils.translation import gettext as _
from psycopg import sql

from . import tools
from .pgserver import CHECKSUM_METHOD, Server, ServerError, scratch_server, table_checksums

MANIFEST = ".manifest.json"
FORMAT = 1
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
READ = 1 << 20
DROP_SECONDS = 30


class DumpError(Exception):
    """Writing or reading a dump failed; the message is safe to show."""


def file_sha256(path: Path, deadline: float | None = None) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(READ):
            digest.update(chunk)
            if deadline is not None and time.monotonic() > deadline:
                raise tools.TimeBudgetExceeded(_("Checking the dump file did not finish within the time budget."))
    return digest.hexdigest()


def write_dump(source: Server, directory: Path, prefix: str = "", host: str = "") -> Path:
    """Dump the source database with pg_dump -Fc and write its manifest; the manifest's path."""
    directory.mkdir(parents=True, exist_ok=True)
    taken = datetime.now(UTC)
    name = f"{prefix or source.dbname}-{taken:%Y%m%dT%H%M%SZ}"
    if not SAFE_NAME.match(name):
        raise DumpError(_("%(name)s is not usable as a file name.") % {"name": name})
    dump, manifest = directory / f"{name}.dump", directory / f"{name}{MANIFEST}"
    connection = source.connect(autocommit=False)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version'), "
                           "pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()")
            snapshot, version, encoding = cursor.fetchone()  # type: ignore[misc]
        partial = dump.with_suffix(".part")
        done = subprocess.run(["pg_dump", "-Fc", f"--snapshot={snapshot}", "-f", str(partial)],
                              env=source.environment(), capture_output=True, stdin=subprocess.DEVNULL)
        if done.returncode != 0:
            partial.unlink(missing_ok=True)
            raise DumpError(_("pg_dump failed: %(error)s")
                            % {"error": source.scrub(done.stderr.decode(errors="replace"))})
        tables = table_checksums(connection)
    finally:
        connection.rollback()
        connection.close()
    partial.replace(dump)
    content = {
        "format": FORMAT, "name": name, "database": source.dbname,
        "host": host or source.params.get("host", "") or "localhost", "server_version": version,
        "encoding": encoding, "taken_at": taken.isoformat(timespec="seconds"), "dump": dump.name,
        "dump_bytes": dump.stat().st_size, "dump_sha256": file_sha256(dump),
        "checksum_method": CHECKSUM_METHOD, "tables": tables,
    }
    temp = manifest.with_suffix(".part")
    temp.write_text(json.dumps(content, indent=1, ensure_ascii=False), encoding="utf-8")
    temp.replace(manifest)
    return manifest


def read_manifest(path: Path) -> dict[str, Any]:
    """A manifest, checked for the fields a drill and a reading need."""
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise DumpError(_("The manifest %(file)s cannot be read: %(error)s")
                        % {"file": path.name, "error": getattr(error, "strerror", None) or error}) from None
    if not isinstance(content, dict) or content.get("format") != FORMAT:
        raise DumpError(_("%(file)s is not a dump manifest of format %(format)s.") % {"file": path.name,
                                                                                     "format": FORMAT})
    for key in ("name", "dump", "taken_at", "tables"):
        if key not in content:
            raise DumpError(_("The manifest %(file)s has no %(key)s.") % {"file": path.name, "key": key})
    if not SAFE_NAME.match(str(content["dump"])) or not isinstance(content["tables"], list):
        raise DumpError(_("The manifest %(file)s names no usable dump file or table list.") % {"file": path.name})
    if content.get("checksum_method", CHECKSUM_METHOD) != CHECKSUM_METHOD:
        raise DumpError(_("The manifest %(file)s uses the unknown checksum method %(method)s.")
                        % {"file": path.name, "method": content.get("checksum_method")})
    return content


def manifests(directory: Path) -> Iterator[dict[str, Any]]:
    """The manifests of the repository's directory, oldest file name first."""
    try:
        paths = sorted(directory.glob(f"*{MANIFEST}"))
    except OSError as error:
        raise DumpError(_("The directory cannot be read: %(error)s") % {"error": error.strerror}) from None
    if not directory.is_dir():
        raise DumpError(_("The directory %(path)s does not exist.") % {"path": directory})
    for path in paths:
        yield read_manifest(path)


def records(directory: Path, moment: Any) -> Iterator[dict[str, Any]]:
    """Snapshot records (ingest.py) of the dumps: tagged with the database's name, from its host."""
    for content in manifests(directory):
        where = str(content["name"])
        dump = directory / str(content["dump"])
        yield {
            "snapshot_id": str(content["name"])[:100],
            "taken_at": moment(content["taken_at"], where),
            "hostname": str(content.get("host") or "")[:200],
            "paths": str(dump),
            "tags": str(content.get("database") or "")[:500],
            "size_bytes": content.get("dump_bytes") if isinstance(content.get("dump_bytes"), int) else None,
            "files": len(content["tables"]),
            "status": "success" if dump.is_file() else "failed",
        }


def table_key(table: dict[str, Any]) -> str:
    return f"{table['schema']}.{table['name']}"


def compare(expected: list[dict[str, Any]], restored: list[dict[str, Any]]) -> None:
    """DumpError naming the first table whose rows or checksum differ from the manifest's."""
    found = {table_key(table): table for table in restored}
    for table in expected:
        key = table_key(table)
        got = found.get(key)
        if got is None:
            raise DumpError(_("Table %(table)s of the manifest was not restored.") % {"table": key})
        if got["rows"] != int(table["rows"]):
            raise DumpError(_("Table %(table)s: %(got)s rows restored, the manifest has %(want)s.")
                            % {"table": key, "got": got["rows"], "want": table["rows"]})
        if got["checksum"] != str(table["checksum"]):
            raise DumpError(_("Table %(table)s: the restored rows' checksum %(got)s differs from the manifest's "
                              "%(want)s.") % {"table": key, "got": got["checksum"], "want": table["checksum"]})


def restore(server: Server, dump: Path, deadline: float) -> None:
    code, _out, err = tools.execute(
        ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--dbname", server.dbname, str(dump)],
        env=server.environment(), deadline=deadline, tool="pg_restore")
    if code != 0:
        raise DumpError(_("pg_restore failed (exit code %(code)s): %(detail)s")
                        % {"code": code, "detail": server.scrub(err.decode(errors="replace"))})


def check(server: Server, deadline: float) -> list[dict[str, Any]]:
    """The restored tables' rows and checksums, within what is left of the time budget."""
    connection = server.connect(deadline)
    try:
        left = int((deadline - time.monotonic()) * 1000)
        if left <= 0:
            raise tools.TimeBudgetExceeded(_("The time budget was used up before the restored tables were checked."))
        connection.execute(sql.SQL("SET statement_timeout = {}").format(sql.Literal(left)))
        return table_checksums(connection)
    except psycopg.errors.QueryCanceled:
        raise tools.TimeBudgetExceeded(_("Checking the restored tables did not finish within the time budget.")) \
            from None
    finally:
        connection.close()


def drop(server: Server, name: str) -> None:
    """Drop the scratch database, whatever is still connected to it (its own short wait)."""
    connection = server.connect(time.monotonic() + DROP_SECONDS)
    try:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    finally:
        connection.close()


def drill(directory: Path, snapshot: str, deadline: float, named: Callable[[str], None]) -> dict[str, Any]:
    """Restore one dump into a scratch database and compare it with its manifest.

    `named` is told the scratch database (server:port/name) before it is created. Returns the
    evidence (tables, rows, bytes, checksum lines); raises
    DumpError, ServerError or tools.TimeBudgetExceeded with the reason."""
    path = directory / f"{snapshot}{MANIFEST}"
    if not SAFE_NAME.match(snapshot) or not path.is_file():
        raise DumpError(_("The manifest of %(name)s is not in the repository.") % {"name": snapshot})
    content = read_manifest(path)
    dump = directory / str(content["dump"])
    if not dump.is_file():
        raise DumpError(_("The dump file %(file)s is missing.") % {"file": dump.name})
    if content.get("dump_sha256") and file_sha256(dump, deadline) != content["dump_sha256"]:
        raise DumpError(_("The dump file %(file)s differs from its manifest (SHA-256).") % {"file": dump.name})
    server = scratch_server()
    name = f"irtis_drill_{secrets.token_hex(8)}"
    named(server.database(name).label())
    maintenance = server.connect(deadline)
    try:
        encoding = str(content.get("encoding") or "UTF8")
        maintenance.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING {}").format(
            sql.Identifier(name), sql.Literal(encoding)))
        maintenance.close()
        scratch = server.database(name)
        restore(scratch, dump, deadline)
        restored = check(scratch, deadline)
        compare(content["tables"], restored)
    except psycopg.Error as error:
        raise ServerError(_("The scratch database failed: %(error)s") % {"error": server.scrub(str(error))}) from None
    finally:
        maintenance.close()
        try:
            drop(server, name)
        except (ServerError, psycopg.Error) as error:  # a leftover must be told, whatever failed before
            raise DumpError(_("The scratch database %(name)s could not be dropped: %(error)s")
                            % {"name": name, "error": server.scrub(str(error))}) from None
    return {
        "tables": len(restored), "rows": sum(table["rows"] for table in restored),
        "bytes": dump.stat().st_size,
        "lines": [f"{table_key(t)}\0{t['rows']}\0{t['checksum']}\n" for t in restored],
    }


def server_from_args(url: str) -> Server:
    """For the management command: a URL, with the password from PGPASSWORD if it has none."""
    server = Server.from_url(url)
    if "password" not in server.params and os.environ.get("PGPASSWORD"):
        return Server({**server.params, "password": os.environ["PGPASSWORD"]})
    return server


__all__ = ["DumpError", "ServerError", "drill", "records", "write_dump"]
