"""Catalogues of requirements and the controls, as JSON files (irtis/security/data), loaded
idempotently: a rerun writes nothing, a new edition updates the framework and its requirements,
and a requirement missing from the new edition is kept, marked withdrawn (its history stays).

A framework file: {"code", "name", "edition", "in_force", "description", "requirements":
[{"code", "title", "topic", "description"}], "mappings": [[code, code], ...]}.
The controls file: {"controls": [{"code", "title", "kind", "evaluator", "period_days",
"requirements": [codes], "categories": [importance category codes], "essential_only"}]}.
"""

import datetime
import json
from pathlib import Path
from typing import Any

from django.db import transaction

from irtis.core.demo import ensure
from irtis.systems.models import ImportanceCategory

from .models import Control, Framework, Requirement, RequirementMapping

DATA = Path(__file__).parent / "data"
FRAMEWORKS = ("lt-checklist.json", "iso27001-2022.json", "ksi-2024.json", "ksra-945-2024.json", "res716.json")
CONTROLS = "controls.json"


class CatalogueError(ValueError):
    """A file that names what does not exist (a requirement, a category) or lacks a field."""


def _read(path: Path) -> dict[str, Any]:
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CatalogueError(f"{path}: {error}") from None
    if not isinstance(found, dict):
        raise CatalogueError(f"{path}: not a JSON object")
    return found


def load_framework(data: dict[str, Any]) -> Framework:
    try:
        framework = ensure(Framework, "code", {
            "code": data["code"], "name": data["name"], "edition": data["edition"],
            "in_force": datetime.date.fromisoformat(data["in_force"]) if data.get("in_force") else None,
            "description": data.get("description", ""),
        })
        codes = set()
        for item in data["requirements"]:
            codes.add(item["code"])
            ensure(Requirement, "code", {"code": item["code"], "framework": framework, "title": item["title"],
                                         "topic": item.get("topic", ""), "description": item.get("description", ""),
                                         "withdrawn": False})
    except KeyError as missing:
        raise CatalogueError(f"{data.get('code', '?')}: a field is missing: {missing}") from None
    for gone in framework.requirements.exclude(code__in=codes).filter(withdrawn=False):
        gone.withdrawn = True
        gone.full_clean()
        gone.save()
    by_code = dict(Requirement.objects.values_list("code", "pk"))
    for source, target in data.get("mappings", []):
        if source not in by_code or target not in by_code:
            raise CatalogueError(f"{framework.code}: mapping {source} ↔ {target} names an unknown requirement")
        ensure(RequirementMapping, {"source_id": by_code[source], "target_id": by_code[target]}, {})
    return framework


def _set(control: Control, field: str, ids: set[int]) -> None:
    manager = getattr(control, field)
    if set(manager.values_list("pk", flat=True)) != ids:
        manager.set(ids)


def load_controls(data: dict[str, Any]) -> list[Control]:
    requirements = dict(Requirement.objects.values_list("code", "pk"))
    categories = dict(ImportanceCategory.objects.values_list("code", "pk"))
    done = []
    for item in data["controls"]:
        unknown = [c for c in item.get("requirements", []) if c not in requirements]
        unknown += [c for c in item.get("categories", []) if c not in categories]
        if unknown:
            raise CatalogueError(f"control {item['code']}: unknown requirements or categories: {', '.join(unknown)}")
        control = ensure(Control, "code", {
            "code": item["code"], "title": item["title"], "kind": item["kind"], "evaluator": item.get("evaluator", ""),
            "period_days": item.get("period_days", 1), "essential_only": item.get("essential_only", False),
            "description": item.get("description", ""),
        })
        _set(control, "requirements", {requirements[c] for c in item.get("requirements", [])})
        _set(control, "categories", {categories[c] for c in item.get("categories", [])})
        done.append(control)
    return done


def load(paths: list[Path] | None = None, controls: bool = True) -> tuple[list[Framework], list[Control]]:
    """Load the given framework files (all shipped ones by default), then the controls."""
    with transaction.atomic():
        frameworks = [load_framework(_read(p)) for p in (paths or [DATA / name for name in FRAMEWORKS])]
        loaded = load_controls(_read(DATA / CONTROLS)) if controls else []
    return frameworks, loaded
