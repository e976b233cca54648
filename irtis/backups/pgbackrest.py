"""Reading pgBackRest: `pgbackrest info --output=json` of one stanza into snapshot records.

The repository's location is the stanza's name, or `stanza@/path/to/pgbackrest.conf` when the
configuration is not pgBackRest's default one. Each backup set is a snapshot: its label
("20261203-010000F") is the id, its stop time the time, the stanza its tag (a policy of the
DBMS instance matches it), its type (full, diff, incr) the path, the database size its size; a
backup whose pages had checksum errors (`"error": true`) is "partial". The stanza's WAL archive
(the oldest and newest segment kept) is kept on the repository, and a stanza whose status is not
"ok" is the reading's error.
"""

import json
from datetime import UTC, datetime
from typing import Any

from django.utils.translation import gettext as _

from . import tools

BINARY = "pgbackrest"


def parse_location(location: str) -> tuple[str, str]:
    """(stanza, configuration file or "")."""
    stanza, _sep, config = location.partition("@")
    return stanza.strip(), config.strip()


def command(location: str) -> list[str]:
    stanza, config = parse_location(location)
    found = [BINARY]
    if config:
        found.append(f"--config={config}")
    return [*found, f"--stanza={stanza}", "--output=json", "info"]


class StanzaError(tools.ToolError):
    pass


def stanza_of(data: Any, stanza: str) -> dict[str, Any]:
    if not isinstance(data, list):
        raise StanzaError(_("pgbackrest printed no list of stanzas."))
    found = next((item for item in data if isinstance(item, dict) and item.get("name") == stanza), None)
    if found is None:
        raise StanzaError(_("pgBackRest knows no stanza %(stanza)s.") % {"stanza": stanza})
    status = found.get("status") or {}
    if status.get("code", 0) not in (0, 2):  # 2: no backups yet, but the stanza is there
        raise StanzaError(_("pgBackRest stanza %(stanza)s: %(message)s (code %(code)s).")
                          % {"stanza": stanza, "message": status.get("message", ""), "code": status.get("code")})
    return found


def wal_archive(stanza: dict[str, Any]) -> str:
    """"15-1: 000000010000000000000001 … 000000010000000000000002" for each archive id."""
    parts = [f"{a.get('id', '')}: {a.get('min') or '—'} … {a.get('max') or '—'}"
             for a in stanza.get("archive") or () if isinstance(a, dict)]
    return "; ".join(parts)[:200]


def records(stanza: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for backup in stanza.get("backup") or ():
        stamp = (backup.get("timestamp") or {}).get("stop") or (backup.get("timestamp") or {}).get("start")
        info = backup.get("info") or {}
        if stamp is None:
            raise KeyError("timestamp")  # ingest: "The report has an unexpected shape"
        found.append({
            "snapshot_id": str(backup["label"])[:100],
            "taken_at": datetime.fromtimestamp(int(stamp), UTC),
            "hostname": "",
            "paths": str(backup.get("type") or ""),
            "tags": str(stanza.get("name") or "")[:500],
            "size_bytes": int(info["size"]) if info.get("size") is not None else None,
            "files": None,
            "status": "partial" if backup.get("error") else "success",
        })
    return found


def read(location: str, deadline: float) -> tuple[list[dict[str, Any]], str]:
    """The stanza's backups as snapshot records, and its WAL archive's range."""
    stanza_name, _config = parse_location(location)
    repo = tools.Repo(BINARY, location, "")
    code, out, err = tools.execute(command(location), env=tools.environment(repo), deadline=deadline, tool=BINARY)
    if code != 0:
        raise tools.ToolError(tools.explain(repo, code, err.decode(errors="replace") or out.decode(errors="replace")))
    try:
        data = json.loads(out)
    except ValueError as error:
        raise tools.ToolError(_("%(tool)s printed no JSON: %(error)s") % {"tool": BINARY, "error": error}) from None
    stanza = stanza_of(data, stanza_name)
    return records(stanza), wal_archive(stanza)
