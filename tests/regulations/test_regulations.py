"""Regulating documents as the division drafts them: versions and their comparison, comments
carried to the next version, the approval route by roles, concurrent edits refused without loss,
the DOCX, safe Markdown, the API's actions and the pages' query counts."""

import io
import json
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone, translation
from docx import Document as read_docx

from irtis.audit.models import Action, AuditEntry
from irtis.identity import roles
from irtis.notifications.models import Notification
from irtis.regulations import drafting
from irtis.regulations.models import Comment, Document, RouteStep, StepDecision, Version

from . import factories as f
from .factories import TEXT

pytestmark = pytest.mark.django_db
EDITING = ("view", "add", "change")


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(client: Client, path: str, body: dict[str, Any] | None = None, **headers: str) -> Any:
    return client.post(
        f"/api/regulations/{path}", json.dumps(body or {}), content_type="application/json", headers=headers
    )


def test_versions_are_numbered_and_compared_paragraph_by_paragraph_with_words_marked() -> None:
    author = f.person("autorius", EDITING)
    doc = f.document(text=TEXT, author=author)
    drafting.save(
        doc,
        author,
        TEXT.replace("apie kopijas", "apie <b>atsargines</b> kopijas").replace(
            "Trečias punktas.", "Ketvirtas punktas."
        ),
        doc.version + 0,
    )
    v1, v2 = Version.objects.filter(document=doc).order_by("number")
    assert (v1.number, v2.number, v2.author, len(v2.paragraphs)) == (1, 2, author, 4)
    rows = drafting.diff(v1, v2)
    assert [r.status for r in rows] == ["same", "same", "changed", "changed"]
    assert "<ins>&lt;b&gt;atsargines&lt;/b&gt; </ins>" in rows[2].marked  # escaped, marked
    assert "<del>Trečias</del><ins>Ketvirtas</ins>" in rows[3].marked
    page = signed_in(author).get(f"/regulations/compare/?a={v2.pk}&b={v1.pk}")
    assert page.status_code == 200 and "<ins>Ketvirtas</ins>" in page.content.decode()
    other = f.document("Kitas dokumentas", text="Vienas.", author=author)
    with pytest.raises(ValidationError):
        drafting.diff(v1, other.versions.get())
    refused = signed_in(author).get(f"/regulations/compare/?a={v1.pk}&b={other.versions.get().pk}")
    with translation.override("lt"):
        said = translation.gettext("Versions of two different documents cannot be compared.")
    assert refused.status_code == 400 and said in refused.content.decode()
    answer = signed_in(author).get(f"/api/regulations/versions/compare/?a={v1.pk}&b={other.versions.get().pk}")
    assert answer.status_code == 400 and answer.json()["errors"]["__all__"]


def test_empty_text_and_a_form_without_its_version_are_refused_and_keep_the_text() -> None:
    author = f.person("autorius", EDITING)
    doc = f.document()
    client = signed_in(author)
    empty = client.post(f"/regulations/documents/{doc.pk}/text/", {"text": " \n\n ", "version": doc.version})
    assert empty.status_code == 400 and not Version.objects.exists()
    lost = client.post(f"/regulations/documents/{doc.pk}/text/", {"text": "Mano tekstas."})
    assert lost.status_code == 400 and "Mano tekstas." in lost.content.decode() and not Version.objects.exists()
    answer = api(client, f"documents/{doc.pk}/versions/", {"text": "", "version": doc.version})
    assert answer.status_code == 400 and "text" in answer.json()["errors"]
    reader = api(signed_in(f.person("skaitytojas")), f"documents/{doc.pk}/versions/", {"text": "x", "version": 1})
    assert reader.status_code == 403 and not Version.objects.exists()


def test_comments_stay_beside_unchanged_paragraphs_of_the_next_version() -> None:
    author, reviewer = f.person("autorius", EDITING), f.person("recenzentas")
    doc = f.document(text=TEXT, author=author)
    v1 = doc.versions.get()
    client = signed_in(reviewer)
    kept = api(client, f"versions/{v1.pk}/comments/", {"paragraph": 2, "text": "Aiškiau."})
    changed = api(client, f"versions/{v1.pk}/comments/", {"paragraph": 3, "text": "Kokios kopijos?"})
    assert kept.status_code == changed.status_code == 201
    missing = api(client, f"versions/{v1.pk}/comments/", {"paragraph": 9, "text": "Nėra tokio."})
    assert missing.status_code == 400 and "paragraph" in missing.json()["errors"]
    assert Comment.objects.count() == 2
    drafting.save(doc, author, "Įvadas.\n\n" + TEXT.replace("apie kopijas", "apie atsargines kopijas"), doc.version)
    v2 = doc.versions.get(number=2)
    shown, older = drafting.placed(doc, v2)
    assert [c.text for c in shown[2].comments] == ["Aiškiau."]  # paragraph 2 of v1 is paragraph 3 of v2
    assert shown[2].comments[0].carried_from == 1
    assert [c.text for c in older] == ["Kokios kopijos?"]
    listed = client.get(f"/api/regulations/versions/{v2.pk}/comments/").json()
    assert {(c["text"], c["shown_at"]) for c in listed} == {("Aiškiau.", 3), ("Kokios kopijos?", None)}
    remark = Comment.objects.get(text="Aiškiau.")
    assert api(client, f"comments/{remark.pk}/resolve/", {"resolved": True}).json()["resolved"] is True
    other = api(signed_in(f.person("pasalinis")), f"comments/{remark.pk}/resolve/", {"resolved": False})
    assert other.status_code == 403
    page = client.get(f"/regulations/documents/{doc.pk}/versions/2/").content.decode()
    assert "Aiškiau." in page and "Kokios kopijos?" in page


def test_the_route_decides_in_order_by_role_never_by_the_author_and_restarts_on_a_new_version() -> None:
    author = f.person("autorius", EDITING, role="security_officer")
    officer, head = f.person("pareigunas", role="security_officer"), f.person("vadovas", role="manager")
    outsider = f.person("pasalinis", role="backup_admin")
    doc = f.document(text=TEXT, author=author, route=("security_officer", "manager"))
    first, second = RouteStep.objects.filter(document=doc).order_by("position")
    assert api(signed_in(author), f"documents/{doc.pk}/submit/").json()["status"] == "review"
    assert Notification.objects.filter(recipient=officer, kind="regulations.review").exists()
    assert not Notification.objects.filter(recipient=head).exists()

    own = api(signed_in(author), f"documents/{doc.pk}/approve/")
    assert own.status_code == 403 and own.json()["detail"]
    assert api(signed_in(outsider), f"documents/{doc.pk}/approve/").status_code == 403
    early = api(signed_in(head), f"documents/{doc.pk}/approve/", {"step": second.pk})
    assert early.status_code == 409 and "2" in early.json()["detail"]
    bare = api(signed_in(officer), f"documents/{doc.pk}/return/")
    assert bare.status_code == 400 and "reason" in bare.json()["errors"]
    assert not StepDecision.objects.exists()

    returned = api(signed_in(officer), f"documents/{doc.pk}/return/", {"reason": "Trūksta RPO."})
    assert returned.json()["status"] == "draft"
    assert Notification.objects.filter(recipient=author, kind="regulations.returned").exists()
    doc.refresh_from_db()
    drafting.save(doc, author, TEXT + "\n\nRPO – 4 valandos.", doc.version)
    api(signed_in(author), f"documents/{doc.pk}/submit/")
    assert api(signed_in(officer), f"documents/{doc.pk}/approve/", {"step": first.pk}).status_code == 200
    assert Notification.objects.filter(recipient=head, kind="regulations.review").exists()
    approved = api(signed_in(head), f"documents/{doc.pk}/approve/").json()
    assert (approved["status"], approved["approved_revision"]) == ("approved", 2)
    again = api(signed_in(head), f"documents/{doc.pk}/approve/")
    assert again.status_code == 409

    doc.refresh_from_db()
    drafting.save(doc, author, TEXT, doc.version)  # a new version after approval: the route again
    doc.refresh_from_db()
    assert doc.status == "draft"
    api(signed_in(author), f"documents/{doc.pk}/submit/")
    page = signed_in(officer).get(doc.get_absolute_url()).content.decode()
    assert page.count('name="step"') == 2  # approve and return buttons of the first step only
    for other in (head, author):  # not his step; his own text
        assert 'name="step"' not in signed_in(other).get(doc.get_absolute_url()).content.decode()
    assert StepDecision.objects.filter(step__document=doc, round=3).count() == 0


def test_a_second_save_of_the_same_draft_is_refused_and_its_text_shown_back() -> None:
    alice, bob = f.person("alice", EDITING), f.person("bob", EDITING)
    doc = f.document(text=TEXT, author=alice)
    opened = doc.version  # both open the editor
    assert (
        signed_in(alice)
        .post(f"/regulations/documents/{doc.pk}/text/", {"text": TEXT + "\n\nAlisos punktas.", "version": opened})
        .status_code
        == 302
    )
    refused = signed_in(bob).post(
        f"/regulations/documents/{doc.pk}/text/", {"text": TEXT + "\n\nBobo punktas.", "version": opened}
    )
    body = refused.content.decode()
    assert refused.status_code == 409 and "Bobo punktas." in body and "Alisos punktas." in body
    assert 'id="conflict"' in body and Version.objects.filter(document=doc).count() == 2
    doc.refresh_from_db()
    stale = api(signed_in(bob), f"documents/{doc.pk}/versions/", {"text": "Bobo."}, If_Match=f'"{opened}"')
    assert stale.status_code == 412 and stale.json()["current"]["number"] == 2
    merged = api(
        signed_in(bob), f"documents/{doc.pk}/versions/", {"text": TEXT + "\n\nAlisos.\n\nBobo."}, If_Match=doc.etag
    )
    assert merged.status_code == 201 and merged.json()["number"] == 3


def test_the_docx_has_the_title_version_numbered_paragraphs_and_the_route_with_dates() -> None:
    author = f.person("autorius", EDITING)
    officer = f.person("pareigunas", role="security_officer")
    doc = f.document(text=TEXT, author=author, route=("security_officer",))
    api(signed_in(author), f"documents/{doc.pk}/submit/")
    api(signed_in(officer), f"documents/{doc.pk}/approve/")
    answer = signed_in(officer).get(f"/regulations/documents/{doc.pk}/docx/")
    assert answer.status_code == 200 and "attachment" in answer["Content-Disposition"]
    word = read_docx(io.BytesIO(answer.content))
    lines = [p.text for p in word.paragraphs]
    assert lines[0] == doc.title and "1" in lines[1]
    assert "1. # Tvarka" in lines and "4. Trečias punktas." in lines
    cells = [c.text for row in word.tables[0].rows for c in row.cells]
    decided = timezone.localtime(StepDecision.objects.get().time).strftime("%Y-%m-%d")
    with translation.override("lt"):
        role = roles.label("security_officer")
    assert {"1", role, "pareigunas"} <= set(cells) and any(c.startswith(decided) for c in cells)
    assert AuditEntry.objects.filter(action=Action.DOCUMENT_GENERATED, object_id=doc.pk).exists()
    missing = signed_in(officer).get(f"/regulations/documents/{doc.pk}/docx/?version=9")
    assert missing.status_code == 404


class _Scripts(HTMLParser):
    """The elements of a page that would run code: scripts with code, event handler attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [f"{tag} {name}" for name, _value in attrs if name.startswith("on")]
        self._in_script = tag == "script"

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.found.append(data)


def test_no_script_of_a_text_or_comment_runs_in_a_readers_browser() -> None:
    author, reader = f.person("autorius", EDITING), f.person("skaitytojas")
    payload = "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[spausk](javascript:alert(3))"
    doc = f.document(text=TEXT, author=author)
    drafting.save(doc, author, payload, doc.version)
    v1, v2 = doc.versions.order_by("number")
    drafting.comment(v2, reader, 1, "<img src=x onerror=alert(4)>")
    client = signed_in(reader)
    for url in (
        doc.get_absolute_url(),
        f"/regulations/documents/{doc.pk}/versions/2/",
        f"/regulations/compare/?a={v1.pk}&b={v2.pk}",
    ):
        page = client.get(url)
        parser = _Scripts()
        parser.feed(page.content.decode())
        assert page.status_code == 200 and parser.found == [], url
        assert "javascript:alert" not in page.content.decode().replace("[spausk](javascript:alert(3))", "")


def test_the_document_page_and_the_list_take_a_fixed_number_of_queries(django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    author, reviewer = f.person("autorius", EDITING), f.person("recenzentas", role="security_officer")
    client = signed_in(reviewer)

    def grow(doc: Document, versions: int) -> None:
        for n in range(versions):
            doc.refresh_from_db()
            drafting.save(doc, author, TEXT + f"\n\nPunktas {n}.", doc.version)
            version = doc.versions.last()
            for p in (1, 2, 3):
                drafting.comment(version, reviewer, p, f"Pastaba {n}-{p}")

    small = f.document("Mažas", text=TEXT, author=author, route=("security_officer",))
    big = f.document("Didelis", text=TEXT, author=author, route=("security_officer", "manager", "auditor"))
    grow(big, 4)
    client.get(small.get_absolute_url())  # warm the caches of the session and content types
    with django_assert_max_num_queries(40) as few:
        assert client.get(small.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(big.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"/regulations/documents/{big.pk}/versions/5/").status_code == 200
    with django_assert_max_num_queries(25) as listed:
        client.get("/regulations/documents/")
    for n in range(5):
        f.document(f"Dokumentas {n}", text=TEXT, author=author)
    with django_assert_max_num_queries(len(listed.captured_queries)):
        client.get("/regulations/documents/")
