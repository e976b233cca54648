"""The apps are layered (pyproject.toml, `[tool.importlinter]`): each imports only the apps below
it — core none but audit, so token authentication and object permissions reach the platform
through settings — and no two apps import each other, directly or around a circle."""

from pathlib import Path

from importlinter.cli import lint_imports

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def test_import_contracts_are_kept() -> None:
    assert lint_imports(config_filenames=(str(PYPROJECT),), no_cache=True, no_logo=True) == 0
