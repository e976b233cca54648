"""The knowledge base: inflected Lithuanian found, internal articles kept from requesters, Markdown sanitised."""

import pytest
from django.test import Client

from irtis.servicedesk import search
from irtis.servicedesk.models import Article

from . import factories

pytestmark = pytest.mark.django_db


def test_inflected_lithuanian_forms_find_each_other(admin_user: object) -> None:
    forgot = factories.article("Pamiršus slaptažodžio", "Ką daryti pamiršus slaptažodžio")
    change = factories.article("Kaip pakeisti slaptažodį", "Paspauskite Ctrl+Alt+Del")
    factories.article("Spausdintuvai", "Kaip pridėti spausdintuvą")
    english = factories.article("Changing passwords", "Press Ctrl+Alt+Del to change a password", language="en")
    assert set(search.search("slaptažodis", admin_user)) == {forgot, change}
    assert set(search.search("passwords", admin_user)) == {english}
    assert search.search("slaptažod spausdint", admin_user)[0] in {forgot, change}
    assert search.search("spausd", admin_user, prefix=True) == [Article.objects.get(title="Spausdintuvai")]


def test_the_index_follows_edits_and_bulk_writes(admin_client: Client, admin_user: object) -> None:
    article = factories.article("Spausdintuvas")
    article.body = "VPN ryšys"
    article.save()
    assert search.search("ryšio", admin_user) == [article]
    answer = admin_client.patch("/api/servicedesk/articles/", [{"id": article.pk, "body": "Tinklo kabelis"}],
                                content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert search.search("kabelio", admin_user) == [article]
    assert search.search("ryšio", admin_user) == []


def test_requesters_find_no_internal_article(client: Client) -> None:
    factories.article("Serverio perkrovimas", audience="internal")
    public = factories.article("Serverio klaidos pranešimas")
    client.force_login(factories.person("jonas", "requester"))
    answer = client.get("/servicedesk/suggest/", {"q": "serverio"})
    assert [a["title"] for a in answer.json()["articles"]] == [public.title]


def test_markdown_is_rendered_and_sanitised(admin_client: Client) -> None:
    article = factories.article("Saugumas", "**Svarbu** <script>alert(1)</script> [x](javascript:alert(1))")
    page = admin_client.get(article.get_absolute_url()).content.decode()
    assert "<strong>Svarbu</strong>" in page
    assert "<script>alert" not in page and 'href="javascript' not in page


def test_suggestions_take_bad_input(admin_client: Client) -> None:
    assert admin_client.get("/servicedesk/suggest/", {"q": "\x00" * 10 + "ą" * 5000}).status_code == 200
    assert admin_client.get("/servicedesk/suggest/").json() == {"articles": []}
