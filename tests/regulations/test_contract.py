"""The platform contract for the registered regulations models: pages, API, files, search, audit."""

from django.contrib.auth.models import Group
from django.db import models

from irtis.regulations.models import Document, RouteStep
from irtis.security.models import Control
from tests.support.contract import ModelContract

from . import factories as f


class TestDocument(ModelContract):
    model = Document
    change = {"description": "Pakeistas aprašymas"}
    detail_budget = ModelContract.detail_budget + 6  # the panel: text, comments, route, versions

    def many_targets(self, field: models.ManyToManyField, n: int) -> list:
        if field.name == "controls":
            start = Control.objects.count()
            return [
                Control.objects.create(code=f"K-REG-{start + i}", title="Kontrolė", kind="manual") for i in range(n)
            ]
        return super().many_targets(field, n)

    def make(self, n: int) -> Document:
        return f.document(f"Tvarkos aprašas {n}")

    def new_values(self) -> dict:
        return {"title": "Slaptažodžių politika", "kind": "rules", "processes": "Paskyrų valdymas"}


class TestRouteStep(ModelContract):
    model = RouteStep
    change = {"position": 7}

    def make(self, n: int) -> RouteStep:
        return RouteStep.objects.create(
            document=f.document(f"Maršruto dokumentas {n}"),
            position=1,
            role=Group.objects.get_or_create(name="security_officer")[0],
        )

    def new_values(self) -> dict:
        return {
            "document": f.document("Naujas dokumentas"),
            "position": 1,
            "role": Group.objects.get_or_create(name="manager")[0],
        }
