"""The platform's system checks hold for every registered model (its warnings too: an ordering
without its index is slow, not wrong, so it does not stop a server, but it fails here)."""

from django.core import checks


def test_no_system_check_complains() -> None:
    problems = [p for p in checks.run_checks() if p.id and p.id.startswith("irtis.")]
    assert not problems, problems
