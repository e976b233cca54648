"""What an entry's hash covers, by scheme.

Scheme 1 (entries written before scheme 2): SHA-256 over a canonical JSON object of the entry's
content and the previous hash (`trail.content`, `trail.encode`). Checking it needs every entry's
`before` and `after` decoded and encoded again in Python: ≈ 16,000 entries/s.

Scheme 2: SHA-256 over one text that the database builds from the stored columns as well as
Python does from the values: the previous hash, then each field as `n` (null) or
`<length>:<text>`, in `PARTS` order. `before` and `after` are stored as canonical JSON text
(`fields.CanonicalJSONField`), so the text hashed is the text stored; the time is the count of
microseconds since 1970 (UTC). The length prefixes keep the encoding unambiguous. Verifying
reads one concatenated text per entry and hashes it, with no decoding.
"""

import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

SCHEME = 2
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)

# (content key as in trail.content, column): the fields after the previous hash, in order.
PARTS = (
    ("time", "time"),
    ("actor", "actor_id"),
    ("actor_name", "actor_name"),
    ("source", "source"),
    ("ip", "source_ip"),
    ("request", "request_id"),
    ("action", "action"),
    ("type", "content_type_id"),
    ("object", "object_id"),
    ("repr", "object_repr"),
    ("before", "before"),
    ("after", "after"),
)
_JSON = {"before", "after"}


def json_text(value: Any) -> str:
    """The one JSON text of a value: sorted keys, no spaces, characters as they are."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _micros(when: datetime | str) -> int:
    if isinstance(when, str):  # the canonical text of trail.content and archive lines
        when = datetime.strptime(when, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    return (when - _EPOCH) // _MICROSECOND


def _part(value: object) -> str:
    if value is None:
        return "n"
    text = str(value)
    return f"{len(text)}:{text}"


def text(content: dict) -> str:
    """The scheme-2 text of an entry's content (`trail.content`'s keys, values decoded)."""
    parts = [content["prev"]]
    for key, _ in PARTS:
        value = content[key]
        if key == "time":
            value = _micros(value)
        elif key in _JSON and value is not None:
            value = json_text(value)
        parts.append(_part(value))
    return "".join(parts)


def hash_of(content: dict, scheme: int) -> str:
    """The hash of an entry's content under its scheme."""
    if scheme == 1:
        body = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    elif scheme == SCHEME:
        body = text(content)
    else:
        raise ValueError(f"unknown hash scheme {scheme}")
    return hashlib.sha256(body.encode()).hexdigest()


def _sql_value(column: str, vendor: str) -> str:
    """The column as the text Python hashes (`_part`'s `str(value)`)."""
    if column == "time":
        if vendor == "postgresql":
            return "((extract(epoch FROM time) * 1000000)::bigint)::text"
        # Django stores 'YYYY-MM-DD HH:MM:SS[.ffffff]' (UTC) in SQLite; unixepoch() of the seconds
        # (SQLite 3.38+; given the fraction it rounds to milliseconds).
        return ("CAST(unixepoch(substr(time, 1, 19)) * 1000000 "
                "+ CAST(substr(time || '.000000', 21, 6) AS INTEGER) AS TEXT)")
    if column == "source_ip" and vendor == "postgresql":
        return "host(source_ip)"
    if column in ("actor_id", "content_type_id", "object_id"):
        return f"CAST({column} AS TEXT)"
    return column


def sql(vendor: str) -> str:
    """An SQL expression of `audit_auditentry`'s row giving the scheme-2 text."""
    parts = ["prev_hash"]
    for _, column in PARTS:
        value = _sql_value(column, vendor)
        parts.append(f"coalesce(length({value}) || ':' || {value}, 'n')")
    return " || ".join(parts)
