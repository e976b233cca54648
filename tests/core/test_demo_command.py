"""`irtis demo --once`, as the Quick start runs it at every start: the demo goes into a new
database only, so a restart keeps what the user changed in it."""

import io

import pytest
from django.core.management import call_command

from irtis.core import demo
from irtis.core.models import Tag
from irtis.inventory.models import Site

pytestmark = pytest.mark.django_db


def test_a_restart_keeps_the_users_edits() -> None:
    assert not demo.loaded()
    demo.load()  # the demo's first step: as after a first start
    tag = Tag.objects.get(slug="kritine")
    tag.description = "Pakeista naudotojo"
    tag.save()
    out = io.StringIO()
    call_command("demo", "--once", stdout=out)
    assert "already loaded" in out.getvalue()
    assert Tag.objects.get(slug="kritine").description == "Pakeista naudotojo"
    assert not Site.objects.exists()  # nothing else was loaded either
