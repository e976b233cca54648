"""A refused, missing, malformed or failed request gets the site's page in the reader's language
(Django's own are English only); an unknown address under /api/ gets JSON, as an unknown object of the API."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.utils import translation
from django.views import defaults

from irtis.identity.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader() -> Client:
    """Signed in, with no permission at all."""
    client = Client()
    client.force_login(User.objects.create_user("skaitytojas", password="Sl4ptas-Klaidoms!"))
    return client


def test_a_refused_page_says_so_in_lithuanian_inside_the_site(reader: Client) -> None:
    response = reader.get("/inventory/devices/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "Neleidžiama" in page and "Neturite teisės to daryti." in page and "Forbidden" not in page
    assert "skaitytojas" in page  # the site's navigation, the user's menu


def test_a_refusal_gives_its_reason() -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with translation.override("lt"):
        page = defaults.permission_denied(request, PermissionDenied("Negalite keisti įrenginio dc1-sw-01.")).content
    assert "Negalite keisti įrenginio dc1-sw-01." in page.decode()


def test_a_missing_page_names_the_address_in_the_language_chosen(reader: Client) -> None:
    response = reader.get("/nera-tokio/<b>")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Puslapis nerastas" in page and "/nera-tokio/%3Cb%3E" in page and "<b>" not in page
    reader.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Page not found" in reader.get("/nera-tokio/").content.decode()


def test_an_unknown_api_address_answers_json(reader: Client) -> None:
    response = reader.get("/api/nera-tokio/")
    assert response.status_code == 404 and response.json() == {"detail": "Nerasta."}


def test_a_malformed_request_gets_the_sites_page() -> None:
    response = Client(HTTP_HOST="ne.musu.serveris").get("/login/")  # not an allowed host: 400
    assert response.status_code == 400 and "Netinkama užklausa" in response.content.decode()


def test_a_server_error_page_needs_no_request_context() -> None:
    with translation.override("lt"):
        response = defaults.server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500 and "Serverio klaida" in page and 'lang="lt"' in page


def test_a_form_without_its_csrf_token_says_what_to_do() -> None:
    response = Client(enforce_csrf_checks=True).post("/login/", {"username": "x", "password": "y"})
    page = response.content.decode()
    assert response.status_code == 403 and "Neleidžiama" in page and "Atverkite puslapį iš naujo" in page
    assert "rolės" not in page  # not a matter of rights
