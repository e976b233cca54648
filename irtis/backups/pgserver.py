"""Reaching a PostgreSQL server for dumps and drills: connection parameters from a URL or from
irtis's own database setting, passed to libpq tools in PG* variables (never on a command line),
and the manifest's per-table row counts and checksums (pgdump.py), computed in SQL.

Row checksum (manifest "checksum_method": "md5-sum/1"): for each ordinary table (not a system
or extension table), in a session with fixed output settings (`SESSION` below),

    SELECT count(*), coalesce(sum(('x' || left(md5(t::text), 16))::bit(64)::bigint::numeric), 0)
      FROM ONLY "schema"."table" AS t

that is the number of rows and the sum of the first 64 bits of each row's MD5 (as text): the
order of the rows does not matter, a changed, missing or extra row changes it, and it needs no
memory however large the table.
"""

import os
import time
from dataclasses import dataclass
from typing import Any

import psycopg
from django.conf import settings
from django.utils.translation import gettext as _
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from .tools import TimeBudgetExceeded

CHECKSUM_METHOD = "md5-sum/1"
SESSION = (  # what row text depends on, fixed: the same rows give the same text on any server
    "SET DateStyle = 'ISO, YMD'", "SET IntervalStyle = 'postgres'", "SET TimeZone = 'UTC'",
    "SET extra_float_digits = 3", "SET bytea_output = 'hex'", "SET lc_monetary = 'C'",
)
TABLES = """
SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind = 'r' AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%%'
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                   AND d.deptype = 'e')
 ORDER BY 1, 2
"""
ROWS = "SELECT count(*), coalesce(sum(('x' || left(md5(t::text), 16))::bit(64)::bigint::numeric), 0) FROM ONLY {} AS t"
ENVIRONMENT = {  # libpq's own variables for the parameters a URL or Django's setting may carry
    "host": "PGHOST", "hostaddr": "PGHOSTADDR", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD",
    "dbname": "PGDATABASE", "sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY", "passfile": "PGPASSFILE", "application_name": "PGAPPNAME",
}
CONNECT_SECONDS = 10


class ServerError(Exception):
    """The server cannot be used; the message is safe to show (no password)."""


@dataclass(frozen=True)
class Server:
    """A PostgreSQL server's connection parameters (libpq keywords)."""

    params: dict[str, str]

    @classmethod
    def from_url(cls, url: str) -> "Server":
        try:
            params = conninfo_to_dict(url)
        except psycopg.ProgrammingError as error:
            raise ServerError(_("Not a PostgreSQL connection URL: %(error)s") % {"error": error}) from None
        return cls({key: str(value) for key, value in params.items() if value not in (None, "")})

    def database(self, name: str) -> "Server":
        return Server({**self.params, "dbname": name})

    @property
    def dbname(self) -> str:
        return self.params.get("dbname") or self.params.get("user") or "postgres"

    def label(self) -> str:
        """host:port/database, without user or password: for evidence and messages."""
        host = self.params.get("host") or self.params.get("hostaddr") or "localhost"
        return f"{host}:{self.params.get('port', '5432')}/{self.dbname}"

    def environment(self) -> dict[str, str]:
        env = {name: value for name, value in os.environ.items() if not name.startswith("PG")}
        for key, value in self.params.items():
            if key in ENVIRONMENT:
                env[ENVIRONMENT[key]] = value
        return env

    def scrub(self, text: str) -> str:
        password = self.params.get("password")
        text = text.replace(password, "***") if password else text
        lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
        return " ".join(lines[-3:])[:400]

    def connect(self, deadline: float | None = None, autocommit: bool = True) -> psycopg.Connection:
        """A connection, waiting at most CONNECT_SECONDS (or what is left before `deadline`)."""
        wait = CONNECT_SECONDS if deadline is None else min(CONNECT_SECONDS, max(deadline - time.monotonic(), 0))
        if wait <= 0:
            raise TimeBudgetExceeded(_("The time budget was used up before connecting to %(server)s.")
                              % {"server": self.label()})
        params: dict[str, Any] = {key: value for key, value in self.params.items()
                                  if key in ENVIRONMENT or key == "options"}
        params["connect_timeout"] = max(2, round(wait))
        try:
            return psycopg.connect(autocommit=autocommit, **params)
        except psycopg.OperationalError as error:
            raise ServerError(_("The PostgreSQL server %(server)s cannot be reached: %(error)s")
                              % {"server": self.label(), "error": self.scrub(str(error))}) from None


def django_server(config: dict[str, Any] | None = None) -> Server | None:
    """irtis's own database server (or that of a DATABASES entry), if it is PostgreSQL."""
    config = dict(config if config is not None else settings.DATABASES["default"])
    if "postgresql" not in config.get("ENGINE", ""):
        return None
    params = {"host": config.get("HOST") or "", "port": str(config.get("PORT") or ""),
              "user": config.get("USER") or "", "password": config.get("PASSWORD") or "", "dbname": "postgres"}
    params.update({key: str(value) for key, value in (config.get("OPTIONS") or {}).items() if key in ENVIRONMENT})
    return Server({key: value for key, value in params.items() if value})


def scratch_server() -> Server:
    """Where drills create their scratch databases: IRTIS_BACKUP_SCRATCH_DATABASE_URL, else the
    server of irtis's own database if that is PostgreSQL."""
    url = getattr(settings, "IRTIS_BACKUP_SCRATCH_DATABASE_URL", "") or os.environ.get(
        "IRTIS_BACKUP_SCRATCH_DATABASE_URL", "")
    if url:
        return Server.from_url(url)
    found = django_server()
    if found is None:
        raise ServerError(_("No PostgreSQL server for scratch databases: set IRTIS_BACKUP_SCRATCH_DATABASE_URL "
                            "(irtis's own database is not PostgreSQL)."))
    return found


def table_checksums(connection: psycopg.Connection) -> list[dict[str, Any]]:
    """Each ordinary table's schema, name, number of rows and row checksum (see the module)."""
    found = []
    with connection.cursor() as cursor:
        for statement in SESSION:
            cursor.execute(statement)
        cursor.execute(TABLES)
        tables = cursor.fetchall()
        for schema, name in tables:
            cursor.execute(sql.SQL(ROWS).format(sql.Identifier(schema, name)))
            rows, checksum = cursor.fetchone()  # type: ignore[misc]
            found.append({"schema": schema, "name": name, "rows": int(rows), "checksum": str(checksum)})
    return found
