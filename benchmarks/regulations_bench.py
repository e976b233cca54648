"""Regulating documents' figures (docs/regulations.md): a long document's page, the comparison
of two of its versions, a save of a new version, its DOCX, and the list of documents.

    flock /tmp/irtis-bench.lock .venv/bin/python benchmarks/regulations_bench.py             # SQLite
    IRTIS_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/irtis_regulations \\
        flock /tmp/irtis-bench.lock .venv/bin/python benchmarks/regulations_bench.py         # PostgreSQL

The document has 300 paragraphs (a long procedure of about 90,000 characters) and 10 versions,
each changing 15 paragraphs and adding one (seeded random.Random(20261205)), 300 comments
spread over the versions and a route of 3 roles; 500 other documents fill the list.
"""

import random

from common import analyze, api_client, check_ok, measure, setup_database, teardown_database

SEED = 20261205
PARAGRAPHS, VERSIONS, CHANGED, COMMENTS, DOCUMENTS = 300, 10, 15, 300, 500
WORDS = (
    "kopija",
    "sistema",
    "duomenų",
    "bazė",
    "atkūrimas",
    "saugykla",
    "administratorius",
    "tvarka",
    "muitinės",
    "informacinė",
    "kas",
    "valandą",
    "atsakingas",
    "patikrina",
    "registruoja",
)


def sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _n in range(rng.randint(25, 50))).capitalize() + "."


def main() -> None:
    vendor = setup_database()
    from django.contrib.auth.models import Group

    from irtis.audit.context import changes_by
    from irtis.identity.models import User
    from irtis.regulations import drafting
    from irtis.regulations.models import Document, RouteStep

    rng = random.Random(SEED)
    client = api_client()
    author = User.objects.get(username="bench")
    reviewer = User.objects.create_superuser("recenzentas", "r@muitine.lt", "Sl4ptas-Ilgas!")
    with changes_by(author):
        doc = Document.objects.create(title="Ilgas tvarkos aprašas", kind="procedure")
        for position, code in enumerate(("security_officer", "manager", "auditor"), 1):
            RouteStep.objects.create(document=doc, position=position, role=Group.objects.get_or_create(name=code)[0])
        points = [sentence(rng) for _n in range(PARAGRAPHS)]
        for _v in range(VERSIONS):
            doc.refresh_from_db()
            version = drafting.save(doc, author, "\n\n".join(points), doc.version)
            for _c in range(COMMENTS // VERSIONS):
                drafting.comment(version, reviewer, rng.randint(1, len(points)), sentence(rng))
            for index in rng.sample(range(len(points)), CHANGED):
                points[index] = sentence(rng)
            points.insert(rng.randrange(len(points)), sentence(rng))
        for n in range(DOCUMENTS):
            Document.objects.create(title=f"Dokumentas {n:04d}", kind="rules")
    analyze()
    doc.refresh_from_db()
    first, last = doc.versions.get(number=1), doc.versions.get(number=VERSIONS)
    print(f"{vendor}: {PARAGRAPHS} paragraphs, {VERSIONS} versions, {COMMENTS} comments, {DOCUMENTS + 1} documents")
    measure("document page (latest version, comments)", lambda: check_ok(client.get(doc.get_absolute_url())))
    measure(
        "compare version 1 with version 10",
        lambda: check_ok(client.get(f"/regulations/compare/?a={first.pk}&b={last.pk}")),
    )
    measure("DOCX of version 10", lambda: check_ok(client.get(f"/regulations/documents/{doc.pk}/docx/")), runs=5)
    measure("list of documents (50 a page)", lambda: check_ok(client.get("/regulations/documents/")))
    text = last.text

    def save() -> None:
        nonlocal text
        doc.refresh_from_db()
        text += "\n\nPapildomas punktas."
        check_ok(client.post(f"/regulations/documents/{doc.pk}/text/", {"text": text, "version": doc.version}), 302)

    measure("save a new version (page)", save, runs=10)
    teardown_database()


if __name__ == "__main__":
    main()
