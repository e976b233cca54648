from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from irtis.servicedesk.models import Article, Category, Queue, Request
from irtis.systems.models import ImportanceCategory, InformationSystem


def queue(code: str = "PAGALBA", email: str = "pagalba@muitine.lt") -> Queue:
    return Queue.objects.create(code=code, name=f"Eilė {code}", email=email)


def system(code: str = "MDAS", rank: int = 1) -> InformationSystem:
    category, _ = ImportanceCategory.objects.get_or_create(code=f"K{rank}", defaults={"name": "K", "rank": rank})
    return InformationSystem.objects.create(code=code, name=f"Sistema {code}", category=category)


def category(code: str = "MDAS", rank: int = 1, with_queue: Queue | None = None) -> Category:
    return Category.objects.create(code=code, name=f"Kategorija {code}", system=system(code, rank),
                                   queue=with_queue or queue(f"Q-{code}", ""))


def person(username: str, *roles: str, **values: Any) -> Any:
    user = get_user_model().objects.create_user(username, email=f"{username}@muitine.lt", password="!", **values)
    for role in roles:
        user.groups.add(Group.objects.get(name=role))
    return user


def request(subject: str = "Neveikia", **values: Any) -> Request:
    made = Request(subject=subject, **values)
    made.full_clean()
    made.save()
    return made


def article(title: str, body: str = "", **values: Any) -> Article:
    made = Article(title=title, body=body or title, **values)
    made.full_clean()
    made.save()
    return made
