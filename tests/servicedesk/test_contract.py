"""The platform's contract for the service desk's registered models."""

from django.contrib.auth import get_user_model
from django.db import models

from irtis.changes.models import ChangeRequest
from irtis.monitoring.models import Incident
from irtis.servicedesk.models import Article, Category, Message, Queue, Request
from tests.support.contract import ModelContract

from . import factories


def people(n: int) -> list:
    start = get_user_model().objects.count()
    return [get_user_model().objects.create_user(f"narys{start + i}", first_name=f"Narys {i}") for i in range(n)]


class TestQueue(ModelContract):
    model = Queue
    change = {"name": "Pervadinta eilė"}

    def many_targets(self, field: models.ManyToManyField, n: int) -> list:
        return people(n) if field.name == "members" else super().many_targets(field, n)

    def make(self, n: int) -> Queue:
        return Queue.objects.create(code=f"Q{n}", name=f"Eilė {n}")

    def new_values(self) -> dict:
        return {"code": "NAUJA", "name": "Nauja eilė", "email": "nauja@muitine.lt"}


class TestCategory(ModelContract):
    model = Category
    change = {"name": "Pervadinta"}

    def make(self, n: int) -> Category:
        return factories.category(f"C{n}")

    def new_values(self) -> dict:
        return {"code": "NEW", "name": "Nauja", "queue": factories.queue("QN", "")}


class TestRequest(ModelContract):
    model = Request
    change = {"subject": "Pakeista tema"}

    def many_targets(self, field: models.ManyToManyField, n: int) -> list:
        if field.name == "incidents":
            return [Incident.objects.create(title=f"Incidentas {i}") for i in range(n)]
        if field.name == "changes":
            return [ChangeRequest.objects.create(title=f"Pakeitimas {i}", description="Aprašas") for i in range(n)]
        return super().many_targets(field, n)

    def make(self, n: int) -> Request:
        return factories.request(f"Kreipinys {n}", category=factories.category(f"C{n}", rank=1 + n % 3),
                                 effect="one_blocked" if n % 2 else "question")

    def new_values(self) -> dict:
        return {"subject": "Naujas kreipinys", "description": "Neveikia MDAS", "effect": "degraded"}


class TestMessage(ModelContract):
    model = Message
    change = {"body": "Pataisytas tekstas"}

    def make(self, n: int) -> Message:
        made = Message(request=factories.request(f"K{n}"), kind="note" if n % 2 else "reply", body=f"Tekstas {n}")
        made.full_clean()
        made.save()
        return made

    def new_values(self) -> dict:
        return {"request": factories.request("Naujas"), "kind": "reply", "body": "Atsakymas"}


class TestArticle(ModelContract):
    model = Article
    change = {"title": "Pervadintas straipsnis"}

    def make(self, n: int) -> Article:
        return factories.article(f"Straipsnis {n}", language="en" if n % 2 else "lt",
                                 audience="internal" if n % 2 else "all")

    def new_values(self) -> dict:
        return {"title": "Naujas straipsnis", "body": "Kaip pakeisti **slaptažodį**", "language": "lt"}
