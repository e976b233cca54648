"""People and regulating documents for the tests."""

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType

from irtis.identity.models import ObjectPermission, User
from irtis.regulations import drafting
from irtis.regulations.models import Document, RouteStep

TEXT = "# Tvarka\n\nPirmas punktas.\n\nAntras punktas apie kopijas.\n\nTrečias punktas."


def person(name: str, actions: tuple[str, ...] = ("view",), role: str = "") -> User:
    """A user granted `actions` on the documents and their routes (not a superuser)."""
    user = User.objects.create_user(name, f"{name}@muitine.lt", "Sl4ptas-Ilgas!")
    grant = ObjectPermission.objects.create(name=f"{name}:regulations", actions=list(actions))
    grant.object_types.set(ContentType.objects.get_for_models(Document, RouteStep).values())
    grant.users.add(user)
    if role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def document(
    title: str = "Atsarginių kopijų tvarkos aprašas",
    text: str = "",
    author: User | None = None,
    route: tuple[str, ...] = (),
) -> Document:
    """A document with, given `text` and its `author`, a first version, and a route of roles."""
    made = Document(title=title, kind="procedure")
    made.full_clean()
    made.save()
    for position, code in enumerate(route, 1):
        RouteStep.objects.create(document=made, position=position, role=Group.objects.get_or_create(name=code)[0])
    if text and author is not None:
        drafting.save(made, author, text, made.version)
        made.refresh_from_db()
    return made
