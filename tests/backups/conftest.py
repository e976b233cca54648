import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import translation
from psycopg import sql

from irtis.backups.pgserver import Server

from .pg import SERVER, execute, server_url


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path: Path) -> Path:
    """Each test its own data directory: backup key, scratch drills and reports in it."""
    settings.DATA_DIR = tmp_path / "data"
    return tmp_path / "data"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Reasons and errors compared in English, whatever catalogue is compiled."""
    with translation.override("en"):
        yield


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
