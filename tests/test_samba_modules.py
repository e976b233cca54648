"""The modules using the Samba DC are named in tests/workers.py, so one worker runs them all."""

from pathlib import Path

from tests.workers import SAMBA_MODULES


def test_every_module_using_the_samba_dc_is_one_scope() -> None:
    tests = Path(__file__).resolve().parent
    using = {str(p.relative_to(tests.parent)) for p in tests.rglob("test_*.py")
             if p.name != Path(__file__).name and "samba_dc" in p.read_text(encoding="utf-8")}
    assert using == set(SAMBA_MODULES)
