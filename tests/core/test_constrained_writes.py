"""A constrained permission holds for writes too: nothing is created or moved outside it."""

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from irtis.identity import tokens
from irtis.identity.models import ObjectPermission, User
from irtis.inventory.models import Location, Site

pytestmark = pytest.mark.django_db


@pytest.fixture
def border_admin(db: None) -> tuple[Client, Client]:
    """May add, change and import locations only at the MED and SAL border posts."""
    for code in ("MED", "SAL", "DC1"):
        Site.objects.create(code=code, name=f"Vieta {code}", kind=Site.Kind.ROAD_BCP)
    user = User.objects.create_user("pasienis")
    for model, actions, constraints in (
        (Site, ["view"], None),
        (Location, ["view", "add", "change", "import"], {"site__code__in": ["MED", "SAL"]}),
    ):
        permission = ObjectPermission.objects.create(name=model.__name__, actions=actions, constraints=constraints)
        permission.users.add(user)
        permission.object_types.add(ContentType.objects.get_for_model(model))
    ui = Client()
    ui.force_login(user)
    return ui, Client(headers={"Authorization": f"Bearer {tokens.issue(user)[1]}"})


def test_api_refuses_to_create_or_move_outside(border_admin: tuple[Client, Client]) -> None:
    _, api = border_admin
    dc1, med = Site.objects.get(code="DC1"), Site.objects.get(code="MED")
    response = api.post("/api/inventory/locations/", {"site": dc1.pk, "code": "X", "name": "X"},
                        content_type="application/json")
    assert response.status_code == 403 and not Location.objects.filter(code="X").exists()
    response = api.post("/api/inventory/locations/", {"site": med.pk, "code": "M1", "name": "M1"},
                        content_type="application/json")
    assert response.status_code == 201
    location = Location.objects.get(code="M1")
    response = api.patch(f"/api/inventory/locations/{location.pk}/", {"site": dc1.pk}, content_type="application/json")
    assert response.status_code == 403
    location.refresh_from_db()
    assert location.site == med and location.version == 1


def test_pages_refuse_to_move_outside(border_admin: tuple[Client, Client]) -> None:
    ui, _ = border_admin
    med, dc1 = Site.objects.get(code="MED"), Site.objects.get(code="DC1")
    location = Location.objects.create(site=med, code="M1", name="M1")
    data = {"site": dc1.pk, "code": "M1", "name": "M1", "kind": "room", "version": location.version}
    assert ui.post(reverse("inventory:location_edit", args=[location.pk]), data).status_code == 403
    assert Location.objects.get(pk=location.pk).site == med


def test_import_reports_rows_outside(border_admin: tuple[Client, Client]) -> None:
    ui, _ = border_admin
    file = io.BytesIO("code,name,site\nM1,Komutacinė,MED\nD1,Salė,DC1\n".encode())
    file.name = "locations.csv"
    response = ui.post(reverse("inventory:location_import"), {"file": file})
    assert response.status_code == 400
    assert [e["row"] for e in response.context["result"]["errors"]] == [2]
    upload = response.context["upload"]
    response = ui.post(reverse("inventory:location_import"),
                       {"upload": upload.pk, "digest": upload.digest, "confirm": "1"})
    assert response.status_code == 400
    assert not Location.objects.exists()
