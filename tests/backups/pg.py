"""A real PostgreSQL server for the dump drills: the one irtis's tests use when they run on
PostgreSQL, else 127.0.0.1:5432 (trust, user postgres) as the scratch server of the SQLite pass.
Tests skip only when no server answers there."""

import os

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
