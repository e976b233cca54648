"""Import of a firewall's rule set from its documented export (docs/flows.md).

CSV: a header line `position,name,action,source,destination,protocol,ports,comment` (separated
by commas or semicolons, UTF-8 with or without a BOM), one rule a line. JSON: a list of objects
with the same keys. Every row is checked before anything is written: a malformed file raises
`RuleFileError` naming each bad line (CSV) or item (JSON) and field, and the stored rules stay
as they were. A good file replaces the firewall's rules in one transaction (rules that did not
change are kept as they are) and records a `RuleSetVersion`.
"""

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from irtis.core import bulk

from . import syntax
from .models import Action, Firewall, FirewallRule, Protocol, RuleSetVersion

COLUMNS = ("position", "name", "action", "source", "destination", "protocol", "ports", "comment")
REQUIRED = ("position", "action", "source", "destination", "protocol")
MAX_RULES = 100_000
MAX_ERRORS = 50  # a file wrong throughout is named by its first errors, not thousands


@dataclass(frozen=True)
class Problem:
    line: int  # the CSV line, or the JSON item (from 1); 0 for the file as a whole
    field: str
    message: str


class RuleFileError(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.line}/{p.field}: {p.message}" for p in problems))
        self.problems = problems


def _file(message: str) -> RuleFileError:
    return RuleFileError([Problem(0, "", message)])


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise _file(_("The file is not UTF-8 text (line %(line)s).") % {"line": line}) from None


def _csv_rows(text: str) -> list[tuple[int, dict[str, Any]]]:
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise _file(_("The file is empty: the first line must name the columns."))
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip().lower() for name in next(reader)]
    _check_columns(header)
    rows = []
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(header):
            raise RuleFileError([Problem(reader.line_num, "", _("The line has %(found)s values for %(columns)s "
                                                                "columns.") % {"found": len(values),
                                                                                "columns": len(header)})])
        rows.append((reader.line_num, dict(zip(header, values, strict=False))))
    return rows


def _json_rows(text: str) -> list[tuple[int, dict[str, Any]]]:
    try:
        items = json.loads(text)
    except json.JSONDecodeError as error:
        raise _file(_("The file is not JSON: %(error)s (line %(line)s).") % {"error": error.msg,
                                                                          "line": error.lineno}) from None
    if not isinstance(items, list):
        raise _file(_("The JSON file must be a list of rules (objects)."))
    rows = []
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise RuleFileError([Problem(number, "", _("A rule must be an object with the documented keys."))])
        unknown = sorted(set(item) - set(COLUMNS))
        if unknown:
            raise RuleFileError([Problem(number, unknown[0], _("Unknown key; the keys are: %(keys)s.")
                                         % {"keys": ", ".join(COLUMNS)})])
        rows.append((number, item))
    return rows


def _check_columns(header: list[str]) -> None:
    unknown = [name for name in header if name not in COLUMNS]
    missing = [name for name in REQUIRED if name not in header]
    if unknown or missing or len(set(header)) != len(header):
        raise _file(_("The columns must be %(columns)s (missing: %(missing)s; unknown or repeated: %(unknown)s).")
                    % {"columns": ",".join(COLUMNS), "missing": ", ".join(missing) or "–",
                       "unknown": ", ".join(unknown or [n for n in header if header.count(n) > 1]) or "–"})


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(_("Give text."))
    return str(value).strip()


def _rule(values: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The rule's stored values from one row, and the (field, message) of each error."""
    errors: list[tuple[str, str]] = []
    found: dict[str, Any] = {}
    for column in COLUMNS:
        try:
            text = _text(values.get(column))
            if column in REQUIRED and not text:
                raise ValueError(_("Required."))
            if column == "position":
                if not text.isdigit() or int(text) < 1:
                    raise ValueError(_("A whole number from 1."))
                found[column] = int(text)
            elif column == "action":
                if text.lower() not in Action.values:
                    raise ValueError(_("One of: %(values)s.") % {"values": ", ".join(Action.values)})
                found[column] = text.lower()
            elif column == "protocol":
                if text.lower() not in Protocol.values:
                    raise ValueError(_("One of: %(values)s.") % {"values": ", ".join(Protocol.values)})
                found[column] = text.lower()
            elif column in ("source", "destination"):
                networks = syntax.addresses(text)
                found[column] = syntax.ANY if networks == syntax.EVERYWHERE else ", ".join(map(str, networks))
            elif column == "ports":
                syntax.ports(text)
                found[column] = text.replace(" ", "")
            elif column == "name" and len(text) > 200:
                raise ValueError(_("At most 200 characters."))
            else:
                found[column] = text
        except ValueError as error:
            errors.append((column, str(error)))
    if found.get("ports") and found.get("protocol") not in (None, Protocol.TCP, Protocol.UDP):
        errors.append(("ports", _("Only TCP and UDP have ports: leave them empty for ICMP or any protocol.")))
    return found, errors


def parse(data: bytes, filename: str) -> list[dict[str, Any]]:
    """The rules of a CSV or JSON export (told by the name's ending), or `RuleFileError`."""
    text = _decode(data)
    if filename.lower().endswith(".json"):
        rows = _json_rows(text)
    elif filename.lower().endswith((".csv", ".txt")):
        rows = _csv_rows(text)
    else:
        raise _file(_("Upload a .csv or .json file."))
    if len(rows) > MAX_RULES:
        raise _file(_("At most %(count)s rules a file.") % {"count": MAX_RULES})
    if not rows:
        raise _file(_("The file holds no rules."))
    problems: list[Problem] = []
    rules: list[dict[str, Any]] = []
    positions: dict[int, int] = {}
    for line, values in rows:
        rule, errors = _rule(values)
        problems += [Problem(line, column, message) for column, message in errors]
        position = rule.get("position")
        if position is not None and position in positions:
            problems.append(Problem(line, "position", _("Position %(position)s is also on line %(other)s.")
                                    % {"position": position, "other": positions[position]}))
        elif position is not None:
            positions[position] = line
        rules.append(rule)
        if len(problems) >= MAX_ERRORS:
            break
    if problems:
        raise RuleFileError(problems[:MAX_ERRORS])
    return rules


def _identity(rule: dict[str, Any]) -> tuple:
    return tuple(rule.get(column, "") for column in COLUMNS)


def replace(firewall: Firewall, data: bytes, filename: str, user: Any) -> RuleSetVersion:
    """Replace the firewall's rules by those of the file, in one transaction; a rule unchanged
    (every column the same) is kept, so the counts say what the file changed."""
    rules = parse(data, filename)
    with transaction.atomic():
        firewall = Firewall.objects.select_for_update().get(pk=firewall.pk)
        stored = list(FirewallRule.objects.filter(firewall=firewall))
        wanted = {_identity(rule): rule for rule in rules}
        kept = {_identity({c: getattr(r, c) for c in COLUMNS}) for r in stored} & set(wanted)
        gone = [r for r in stored if _identity({c: getattr(r, c) for c in COLUMNS}) not in kept]
        bulk.delete_objects(gone)
        new = [FirewallRule(firewall=firewall, **rule) for key, rule in wanted.items() if key not in kept]
        bulk.save_objects(new)
        version = RuleSetVersion(firewall=firewall, sha256=hashlib.sha256(data).hexdigest(),
                                 uploaded_by=user if getattr(user, "is_authenticated", False) else None,
                                 rules=len(rules), added=len(new), removed=len(gone))
        version.full_clean()
        version.save()
    return version
