"""A real PostgreSQL server for the dump drills: the one irtis's tests use when they run on
PostgreSQL, else 127.0.0.1:5432 (trust, user postgres) as the scratch server of the SQLite pass.
Tests skip only when no server answers there."""

import os
import secrets
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql

from irtis.backups.pgserver import Server


def server_url() -> str:
    url = os.environ.get("IRTIS_DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url.split("?")[0].rsplit("/", 1)[0] + "/postgres"
    return "postgresql://postgres@127.0.0.1:5432/postgres"


def reachable() -> Server | None:
    server = Server.from_url(server_url())
    try:
        psycopg.connect(**server.params, connect_timeout=3).close()
    except psycopg.OperationalError:
        return None
    return server


SERVER = reachable()
needs_postgres = pytest.mark.skipif(SERVER is None, reason=f"no PostgreSQL server answers at {server_url()}")


def execute(server: Server, *statements: str | sql.Composable) -> None:
    with psycopg.connect(**server.params, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def exists(server: Server, name: str) -> bool:
    with psycopg.connect(**server.params) as connection:
        return connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


@pytest.fixture
def scratch_server(settings) -> Server:
    """Drills create their scratch databases on the test server (also when irtis runs on SQLite)."""
    assert SERVER is not None
    settings.IRTIS_BACKUP_SCRATCH_DATABASE_URL = server_url()
    return SERVER


@pytest.fixture
def source() -> Iterator[Server]:
    """A source database with two schemas, several column types and 5,000 + 2 rows; dropped after."""
    assert SERVER is not None
    name = f"irtis_src_{secrets.token_hex(6)}"
    execute(SERVER, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    database = SERVER.database(name)
    execute(database,
            "CREATE TABLE deklaracijos (id serial PRIMARY KEY, nr text NOT NULL, suma numeric(12, 2), "
            "laikas timestamptz NOT NULL DEFAULT '2026-12-03 01:00+02', duomenys bytea)",
            "INSERT INTO deklaracijos (nr, suma, duomenys) SELECT '26LT' || lpad(i::text, 8, '0'), i * 1.5, "
            "decode(md5(i::text), 'hex') FROM generate_series(1, 5000) i",
            "CREATE SCHEMA kita",
            "CREATE TABLE kita.matavimai (verte float8, savybes jsonb, trukme interval)",
            "INSERT INTO kita.matavimai VALUES (0.1, '{\"šalis\": \"LT\"}', '1 day 2 hours'), (1e300, NULL, NULL)")
    try:
        yield database
    finally:
        execute(SERVER, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
