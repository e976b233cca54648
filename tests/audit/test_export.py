"""JSON Lines export: complete, hash-checkable, and itself recorded in the trail."""

import json

from django.core.management import call_command

from irtis.audit import canonical
from irtis.audit.models import Action, AuditEntry


def test_export_jsonl_since_and_recorded(make_sites, tmp_path) -> None:
    ids = make_sites(5)
    out = tmp_path / "trail.jsonl"
    call_command("audit", "export", "--format", "jsonl", "--since", str(ids[1]), "--out", str(out))
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["id"] for line in lines] == ids[2:]
    for line in lines:  # every line carries what its hash covers
        content = {k: v for k, v in line.items() if k not in {"id", "hash", "scheme"}}
        assert canonical.hash_of(content, line["scheme"]) == line["hash"]
    record = AuditEntry.objects.get(action=Action.AUDIT_EXPORT)
    assert record.source == "cli" and record.after["since"] == ids[1]
    assert record.after["until"] == ids[-1]
