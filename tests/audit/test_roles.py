"""The real two-role setup on PostgreSQL: the owner migrates, the application's role can only read
and append to the trail, and `irtis serve`/`worker` refuse the owner and a superuser."""

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings

from tests.support import databases

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="roles exist on PostgreSQL only",
)
ROOT = Path(__file__).resolve().parents[2]


def _url(user: str, password: str, name: str) -> str:
    db = settings.DATABASES["default"]
    return f"postgresql://{user}:{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _superuser() -> psycopg.Connection:
    db = settings.DATABASES["default"]
    return psycopg.connect(
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"],
        password=db["PASSWORD"] or None, dbname="postgres", autocommit=True,
    )


# Roles of the suite's own, kept between runs: they own the objects of the kept database.
OWNER, APP = "irtis_test_owner", "irtis_test_app"


@pytest.fixture(scope="module")
def two_roles(tmp_path_factory: pytest.TempPathFactory, django_db_blocker: Any) -> Iterator[dict[str, str]]:
    """A database owned by an owner role, migrated by it, used by an application role. What the
    owner's migration from empty leaves (the database; the data directory's keys and head of the
    trail) is kept per code, as the suite's templates are: it runs again whenever irtis changes."""
    name = f"irtis_audit_roles_{os.getpid()}"
    with _superuser() as admin:
        for role, password in ((OWNER, "owner-pw"), (APP, "app-pw")):
            try:
                admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")
            except (psycopg.errors.DuplicateObject, psycopg.errors.UniqueViolation):  # another run made it
                pass
    data = tmp_path_factory.mktemp("roles")
    env = {k: v for k, v in os.environ.items() if not k.startswith("IRTIS_")}
    env.update(
        IRTIS_DATA_DIR=str(data),
        IRTIS_AUDIT_HEAD_FILE=str(data / "audit_head.json"),  # the same for every copy's name
        IRTIS_DATABASE_URL=_url(APP, "app-pw", name),
        IRTIS_DATABASE_OWNER_URL=_url(OWNER, "owner-pw", name),
    )
    roles = {"app": _url(APP, "app-pw", name), "owner": _url(OWNER, "owner-pw", name),
             "superuser": _url(settings.DATABASES["default"]["USER"], "", name)}
    try:
        with django_db_blocker.unblock():
            databases.kept_postgresql("owner-migrated", name, OWNER, data,
                                      lambda: _irtis(env, "migrate", "--no-input", "-v", "0"))
        yield {"env": env, **roles}  # type: ignore[misc]
    finally:
        with _superuser() as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _irtis(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "irtis.cli", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=600, check=check)


@pytest.mark.parametrize("sql", [
    # the purge permit of before: the table is gone on PostgreSQL
    "INSERT INTO audit_purge_permit (table_name) VALUES ('audit_auditentry')",
    # the flag the archive function sets: the role has no DELETE, and is not the owner
    "SELECT set_config('irtis.audit_purge', 'archive', true); DELETE FROM audit_auditentry",
    "UPDATE audit_auditentry SET object_repr = 'x'",
    "TRUNCATE audit_auditentry",
    "DELETE FROM audit_auditcheckpoint",
    "CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql "
    "AS $$ BEGIN RETURN OLD; END $$",
    "ALTER TABLE audit_auditentry DISABLE TRIGGER ALL",
    "DROP TRIGGER audit_auditentry_append_only ON audit_auditentry",
    "SET session_replication_role = replica",
    # the archive function removes only entries an archive anchor covers
    "SELECT audit_archive_purge((SELECT max(id) - 1 FROM audit_auditentry))",
])
def test_the_application_role_cannot_remove_or_unprotect(two_roles, sql: str) -> None:
    with psycopg.connect(two_roles["app"]) as conn:
        before = conn.execute("SELECT count(*) FROM audit_auditentry").fetchone()[0]
        assert before > 1  # the migrations recorded the roles they set up
        with pytest.raises(psycopg.Error):
            with conn.transaction():
                conn.execute(sql)
        assert conn.execute("SELECT count(*) FROM audit_auditentry").fetchone()[0] == before


def test_serve_and_worker_refuse_the_owner_and_a_superuser(two_roles) -> None:
    for role in ("owner", "superuser"):
        env = {**two_roles["env"], "IRTIS_DATABASE_URL": two_roles[role]}
        for command in ("serve", "worker"):
            done = _irtis(env, command, check=False)
            assert done.returncode != 0 and "refuses to run" in done.stderr, done.stderr
    override = {**two_roles["env"], "IRTIS_DATABASE_URL": two_roles["owner"],
                "IRTIS_ALLOW_PRIVILEGED_DATABASE": "true"}
    assert _irtis(override, "worker", "--burst").returncode == 0
    assert _irtis(two_roles["env"], "worker", "--burst").returncode == 0  # the application's role


def test_the_application_role_verifies_and_archives(two_roles, tmp_path: Path) -> None:
    env = two_roles["env"]
    assert "audit trail intact" in _irtis(env, "audit", "verify").stdout
    before = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()  # a date in Vilnius time
    out = tmp_path / "archive.jsonl"
    assert "archived" in _irtis(env, "audit", "archive", "--before", before, "--out", str(out)).stdout
    assert "audit trail intact" in _irtis(env, "audit", "verify").stdout
    assert "archive intact" in _irtis(env, "audit", "verify", "--archive", str(out)).stdout
