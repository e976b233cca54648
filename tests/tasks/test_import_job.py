"""A large import checked and written by a real `irtis worker` process."""

import io
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse

from irtis.inventory.models import Site
from irtis.tasks.models import Run
from tests.support.language import choose

from .conftest import wait_for

SITES = reverse("inventory:site_import")


def test_a_confirmed_large_import_is_written_by_a_worker(start_worker: Callable[[], Any], settings: Any,
                                                         django_user_model: Any) -> None:
    settings.IRTIS_IMPORT_BACKGROUND_ROWS = 2
    client = choose(Client(), "en")
    client.force_login(django_user_model.objects.create_superuser("importuotojas", "i@example.lt", "Sl4ptas-Imp!"))
    start_worker()
    text = "Kodas;Pavadinimas;Rūšis\nA1;Pirma;seaport\nA2;Antra;seaport\nA3;Trečia;seaport\n"
    file = io.BytesIO(text.encode("cp1257"))
    file.name = "vietos.csv"
    response = client.post(SITES, {"file": file, "confirm": "1"})
    assert response.status_code == 302
    run = wait_for(Run.objects.get(), "done", "failed")
    assert run.status == "done", run.error
    assert run.result == {"applied": True, "created": 3, "updated": 0, "unchanged": 0, "invalid": 0}
    assert sorted(Site.objects.values_list("name", flat=True)) == ["Antra", "Pirma", "Trečia"]
    page = client.get(response.url, follow=True).content.decode()
    assert "3 created, 0 updated, 0 unchanged, 0 invalid" in page
