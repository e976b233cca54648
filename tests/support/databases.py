"""Test databases: each run's copied from a migrated template, and empty ones for migration tests.

`irtis migrate` on an empty database takes about two minutes of CPU (Django re-renders the
migration states: every model is tied to the others through `core.Tag` and `identity.User`),
and each pytest-xdist worker made its own database that way. Now the first worker to need a
database migrates a template once and every worker, in this run and the next, copies it:
PostgreSQL with `CREATE DATABASE … TEMPLATE`, SQLite by copying the file.

A template is known by a hash of all of irtis's Python code, Django's version and the
database: the migrations, and the code they run (trigger definitions, role sync), cannot
change without a new template being made by the migrations themselves. SQLite's templates
are kept in `$XDG_CACHE_HOME/irtis/test-databases`, PostgreSQL's on its server as
`irtis_template_<hash>`; making a new one removes all but the newest few (`KEPT`), so going
back and forth between two versions of the code does not migrate each time.

A migration test works on a database of its own (`empty_database`): it migrates it from empty
only as far as it needs, instead of migrating the shared database back and forth. That first
step (30–60 s of CPU on PostgreSQL) is kept too: a template per code and targets,
`irtis_template_<hash>-<targets>`, removed with its code's full template.

After a transactional test the emptied tables get the template's rows back (`reset`), and a
server started in a subprocess gets a copy of the template of its own (`migrated_database`).
"""

import fcntl
import hashlib
import os
import shutil
import sqlite3
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import django
import psycopg
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection as default_connection
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.state import StateApps

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "irtis" / "test-databases"
PREFIX = "irtis_template_"
KEPT = 3


def code_hash(connection: BaseDatabaseWrapper) -> str:
    """What a migrated database depends on: irtis's code, Django's version, the database."""
    digest = hashlib.sha256(f"{django.__version__}\0{connection.vendor}\0".encode())
    for path in sorted((ROOT / "irtis").rglob("*.py")):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@contextmanager
def _locked(name: str) -> Iterator[None]:
    """One process at a time makes or copies a template (workers and concurrent runs alike)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def prepare(alias: str = "default") -> None:
    """Make the test database of `alias` (as pytest-django named it) a copy of the template,
    migrating the template first when there is none for this code, and keep its rows for
    `reset`."""
    connection = connections[alias]
    target = connection.creation._get_test_db_name()
    _copy(connection, target)
    _template_rows[alias] = _rows(connection, target)


# What migrate leaves in the tables (content types, permissions, roles, their audit entries),
# as read from a fresh copy of the template: per table, its columns and rows (PostgreSQL: COPY's text).
_template_rows: dict[str, dict[str, tuple[str, Any]]] = {}


def _rows(connection: BaseDatabaseWrapper, name: str) -> dict[str, tuple[str, Any]]:
    """Per table that has rows: its columns (a model's own, not the generated ones), and its rows."""
    quote = connection.ops.quote_name
    tables = {model._meta.db_table: ", ".join(quote(f.column) for f in model._meta.local_concrete_fields)
              for model in apps.get_models(include_auto_created=True)
              if model._meta.managed and not model._meta.proxy}
    found: dict[str, tuple[str, Any]] = {}
    if connection.vendor == "sqlite":
        with closing(sqlite3.connect(name)) as db:
            for table, columns in tables.items():
                if rows := db.execute(f"SELECT {columns} FROM {quote(table)}").fetchall():
                    found[table] = (columns, rows)
        return found
    with psycopg.connect(**{**connection.get_connection_params(), "dbname": name}) as db:
        for table, columns in tables.items():
            with db.cursor() as cursor, cursor.copy(f"COPY {quote(table)} ({columns}) TO STDOUT") as copy:
                if data := b"".join(bytes(block) for block in copy):
                    found[table] = (columns, data)
    return found


def reset(alias: str = "default") -> None:
    """Empty every table (`flush`, the sequences left where they are, post_migrate inhibited)
    and put the template's rows back: the same content types, permissions and roles, with the
    same ids, as the database had when it was copied. Re-creating them by post_migrate after
    each transactional test took 0.3 s on SQLite and 0.8 s on PostgreSQL (the roles' writes are
    audited). The sequences go on from where they were, past the template's ids.

    post_migrate is still sent afterwards, for what it does besides rows: the dependency graph's
    triggers name content type ids, which a test flushing by hand has changed. Its receivers
    find their rows in place and write nothing."""
    call_command("flush", verbosity=0, interactive=False, database=alias, reset_sequences=False,
                 inhibit_post_migrate=True)
    connection = connections[alias]
    quote = connection.ops.quote_name
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for table, (columns, rows) in _template_rows[alias].items():
                marks = ", ".join(["%s"] * len(rows[0]))
                cursor.executemany(f"INSERT INTO {quote(table)} ({columns}) VALUES ({marks})", rows)
        else:
            cursor.execute("SET LOCAL session_replication_role = replica")  # the audit triggers
            for table, (columns, data) in _template_rows[alias].items():
                with cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
                    copy.write(data)
    ContentType.objects.clear_cache()
    emit_post_migrate_signal(0, False, alias)


def _copy(connection: BaseDatabaseWrapper, target: str) -> None:
    key = code_hash(connection)
    with _locked(connection.vendor):
        if connection.vendor == "sqlite":
            _prepare_sqlite(connection, key, Path(target))
        else:
            _prepare_postgresql(connection, key, target)


def kept_postgresql(kind: str, target: str, owner: str, directory: Path, make: Callable[[], None]) -> None:
    """The PostgreSQL database `target`, owned by `owner`, and the files of `directory`, as
    `make()` leaves them when it migrates `target` (made here, empty) and fills `directory`:
    made so once per code and `kind`, then copied (the objects keep their owners: the roles must
    outlive the copy)."""
    connection = connections["default"]
    key = f"{code_hash(connection)}-{kind}"
    files, quote = CACHE / key, connection.ops.quote_name
    with _locked(f"{connection.vendor}-kept"):
        if key in _templates(connection) and files.is_dir():
            with connection.creation._nodb_cursor() as cursor:
                cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(PREFIX + key)} "
                               f"OWNER {quote(owner)}")
            shutil.copytree(files, directory, dirs_exist_ok=True)
            return
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {quote(target)} OWNER {quote(owner)}")
        make()
        _copy_postgresql(connection, target, PREFIX + key)
        shutil.rmtree(files, ignore_errors=True)
        shutil.copytree(directory, files)


@contextmanager
def migrated_database(directory: Path, alias: str = "default") -> Iterator[str]:
    """The URL of a new database as `irtis migrate` leaves it (a copy of the template), for an
    irtis started in a subprocess; SQLite's file is put in `directory`. Dropped afterwards."""
    connection = connections[alias]
    if connection.vendor == "sqlite":
        target = directory / "irtis.sqlite3"
        _copy(connection, str(target))
        yield f"sqlite:///{target}"
        return
    name = f"{connection.settings_dict['NAME']}_served"
    _copy(connection, name)
    url = urllib.parse.urlsplit(os.environ["IRTIS_DATABASE_URL"])
    try:
        yield urllib.parse.urlunsplit(url._replace(path=f"/{name}"))
    finally:
        _drop(connection, name)


def _migrated(connection: BaseDatabaseWrapper, name: str) -> None:
    """A new database called `name`, migrated as Django's test runner migrates one."""
    saved_name, saved_test = connection.settings_dict["NAME"], dict(connection.settings_dict["TEST"])
    connection.settings_dict["TEST"]["NAME"] = name
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    finally:
        connection.close()
        connection.settings_dict["NAME"] = saved_name
        connection.settings_dict["TEST"] = saved_test
        settings.DATABASES[connection.alias]["NAME"] = saved_name


def _stale(keys: list[str]) -> list[str]:
    """Of the templates' keys (oldest first), those to remove before a new code's template is
    made: all but the newest few codes' (a code's partly migrated templates go with it, and so
    does a template whose making was cut short, `…_building`)."""
    kept = [key for key in keys if "-" not in key and not key.endswith("_building")][-(KEPT - 1):]
    return [key for key in keys if key.split("-")[0] not in kept]


def _prepare_sqlite(connection: BaseDatabaseWrapper, key: str, target: Path) -> None:
    template = CACHE / f"{key}.sqlite3"
    if not template.exists():
        existing = sorted(CACHE.glob("*.sqlite3"), key=lambda p: p.stat().st_mtime)
        for old in _stale([path.stem for path in existing]):
            (CACHE / f"{old}.sqlite3").unlink()
        migrated = CACHE / f"{key}.migrated"
        _migrated(connection, str(migrated))
        _keep_sqlite(migrated, template)
        _drop(connection, str(migrated))
    _copy_sqlite(connection, template, target)


def _keep_sqlite(database: Path, template: Path) -> None:
    """`database` copied to `template` in one file (out of WAL), whole or not at all."""
    building = template.with_suffix(".building")
    with closing(sqlite3.connect(database)) as source, closing(sqlite3.connect(building)) as copy:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
    os.replace(building, template)


def _copy_sqlite(connection: BaseDatabaseWrapper, template: Path, target: Path) -> None:
    _drop(connection, str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, target)


def _templates(connection: BaseDatabaseWrapper) -> list[str]:
    """PostgreSQL's templates' keys, oldest first."""
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s ORDER BY oid", [PREFIX + "%"])
        return [row[0][len(PREFIX):] for row in cursor.fetchall()]


def _prepare_postgresql(connection: BaseDatabaseWrapper, key: str, target: str) -> None:
    template = PREFIX + key
    quote = connection.ops.quote_name
    existing = _templates(connection)
    if key not in existing:
        building = f"{template}_building"
        _migrated(connection, building)
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"ALTER DATABASE {quote(building)} RENAME TO {quote(template)}")
        for old in _stale(existing):
            _drop(connection, PREFIX + old)
            shutil.rmtree(CACHE / old, ignore_errors=True)  # its kept files (`kept_postgresql`)
    _copy_postgresql(connection, template, target)


def _copy_postgresql(connection: BaseDatabaseWrapper, template: str, target: str) -> None:
    quote = connection.ops.quote_name
    _drop(connection, target)
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(template)}")
        # A commit need not wait for the disk: a test database outlives no server crash.
        cursor.execute(f"ALTER DATABASE {quote(target)} SET synchronous_commit = off")


@contextmanager
def empty_database(alias: str = "default") -> Iterator[None]:
    """Point `alias` at a new, empty database for the duration; dropped afterwards."""
    connection = connections[alias]
    saved = connection.settings_dict["NAME"]
    name = f"{saved}_empty"
    connection.close()
    _drop(connection, name)
    if connection.vendor != "sqlite":
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = saved
        _drop(connection, name)


def _drop(connection: BaseDatabaseWrapper, name: str) -> None:
    """Remove the database `name` (SQLite: a file path) if it exists, whoever is connected."""
    if connection.vendor == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
        return
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)} WITH (FORCE)")


Targets = list[tuple[str, str | None]]


def migrate(targets: Targets) -> None:
    """Migrate the default database to `targets` (app, migration name; None: the app unapplied).
    An empty one (`empty_database`) becomes a copy of the template migrated to the same targets
    by the same code, which the first test to need it makes."""
    connection = default_connection
    if connection.introspection.table_names():
        MigrationExecutor(connection).migrate(targets)
        return
    key = f"{code_hash(connection)}-{hashlib.sha256(repr(targets).encode()).hexdigest()[:8]}"
    target = str(connection.settings_dict["NAME"])
    with _locked(f"{connection.vendor}-migrated-to"):
        if connection.vendor == "sqlite":
            template = CACHE / f"{key}.sqlite3"
            if not template.exists():
                MigrationExecutor(connection).migrate(targets)
                connection.close()
                _keep_sqlite(Path(target), template)
            connection.close()
            _copy_sqlite(connection, template, Path(target))
            return
        if key not in _templates(connection):
            MigrationExecutor(connection).migrate(targets)
            connection.close()
            _copy_postgresql(connection, target, PREFIX + key)
            return
        connection.close()
        _copy_postgresql(connection, PREFIX + key, target)


def historical_apps(targets: Targets) -> StateApps:
    """The models as they were at `targets`."""
    return MigrationExecutor(default_connection).loader.project_state(targets).apps

