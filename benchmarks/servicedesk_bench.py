"""Service desk figures (docs/servicedesk.md, "Figures"): inbound e-mail through the real SMTP
receiver, end to end, and knowledge base search over 10,000 articles.

    flock /tmp/irtis-bench.lock .venv/bin/python benchmarks/servicedesk_bench.py             # SQLite
    IRTIS_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/irtis_servicedesk_bench \\
        flock /tmp/irtis-bench.lock .venv/bin/python benchmarks/servicedesk_bench.py         # PostgreSQL

Mail: 1,000 messages sent over SMTP on loopback by four clients at once (smtplib) to the real
receiver (`irtis receive_mail`, its own process, on the benchmark's database), half opening
requests from known users and half replies threaded by the number in their subject, each
answered 250 only after its request or message is committed; the rate is messages over the wall
time until the last 250. Search: 10,000 articles of 80–200 words drawn from a vocabulary of 5,000
stems with Zipf's frequencies (the searched words among the common ones: each is in about 15 % of
the articles), Lithuanian ones with inflected endings, written by the platform's bulk save (so indexed as
an import would), then queries of one to three words, and the suggestions' prefix query.
"""

import json
import os
import random
import smtplib
import subprocess
import sys
import threading
import time
from email.message import EmailMessage
from pathlib import Path

from common import analyze, measure, setup_database, teardown_database

MESSAGES, CLIENTS, ARTICLES = 1_000, 4, 10_000
WEIGHTS = [1 / (rank + 10) for rank in range(5000)]
SYLLABLES = ["ka", "ro", "mi", "ne", "tu", "sa", "pa", "li", "de", "vo", "ži", "gu", "be", "ta", "šo", "ri"]
STEMS_LT = ["slaptažod", "spausdintuv", "deklaracij", "tranzit", "sertifikat", "paskyr", "kompiuter", "tinkl",
            "leidim", "garantij", "pranešim", "ataskait", "monitori", "skaitytuv", "serveri", "duomen"]
ENDINGS = ["is", "io", "į", "žiu", "ai", "ių", "ui", "yje", "as", "ą", "os", "ų"]
ENGLISH = ["password", "printer", "declaration", "transit", "certificate", "account", "network", "licence",
           "report", "monitor", "scanner", "server", "changing", "connected", "failures", "reset"]


def people(n: int) -> list:
    from django.contrib.auth import get_user_model

    model = get_user_model()
    return [model.objects.create_user(f"user{i}", email=f"user{i}@muitine.lt", password="!") for i in range(n)]


def mail(n: int, number: str | None) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"] = f"user{n % 50}@muitine.lt", "pagalba@muitine.lt"
    message["Subject"] = f"Re: [{number}] atsakymas {n}" if number else f"Neveikia spausdintuvas {n}"
    message["Message-ID"] = f"<bench-{n}@muitine.lt>"
    message.set_content(f"Laba diena, neveikia spausdintuvas nr. {n}.\nAčiū.")
    return message


def mail_rate() -> dict:
    from django.db import connection

    from irtis.servicedesk.models import Message, Queue, Request
    from tests.support.smtp import HOST, free_port

    people(50)
    Queue.objects.create(code="PAGALBA", name="Pagalba", email="pagalba@muitine.lt")
    first = [Request.objects.create(subject=f"Pradinis {i}", requester_email=f"user{i}@muitine.lt") for i in range(50)]
    messages = [mail(n, first[n % 50].number if n % 2 else None).as_bytes() for n in range(MESSAGES)]
    port = free_port()
    receiver = subprocess.Popen(
        [str(Path(sys.executable).with_name("irtis")), "receive_mail", "--host", HOST, "--port", str(port)],
        env={**os.environ, "IRTIS_DATABASE_URL": database_url(connection.settings_dict),
             "IRTIS_SERVICEDESK_SENDER_LIMIT": str(10**6)},  # the rate limit is not what is measured
        stdout=subprocess.PIPE, text=True)
    assert receiver.stdout and receiver.stdout.readline().startswith("Receiving mail"), "the receiver did not start"

    def client(part: int) -> None:
        with smtplib.SMTP(HOST, port) as smtp:
            for n in range(part, MESSAGES, CLIENTS):
                smtp.sendmail(f"user{n % 50}@muitine.lt", ["pagalba@muitine.lt"], messages[n])

    start = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    receiver.terminate()
    receiver.wait(30)
    requests, replies = Request.objects.count() - 50, Message.objects.count()
    assert requests + replies == MESSAGES, (requests, replies)
    return {"messages": MESSAGES, "clients": CLIENTS, "requests": requests, "replies": replies,
            "seconds": round(elapsed, 2), "messages_per_s": round(MESSAGES / elapsed, 1)}


def database_url(database: dict) -> str:
    """The URL of the benchmark's own (test) database, for the receiver's process."""
    if database["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{database['NAME']}"
    return (f"postgresql://{database['USER']}@{database['HOST']}:{database['PORT'] or 5432}/{database['NAME']}")


def knowledge() -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from irtis.core import bulk
    from irtis.servicedesk import search
    from irtis.servicedesk.models import Article, ArticleTerm

    rng = random.Random(17)
    # a vocabulary of 5,000 stems used as words are (Zipf: the n-th most common word 1/n as often),
    # the real ones among the more common
    made = sorted({"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 5))) for _ in range(8000)})
    vocabulary = {"lt": [*STEMS_LT, *made][:5000], "en": [*ENGLISH, *made][:5000]}
    def text(language: str, words: int) -> str:
        chosen = rng.choices(vocabulary[language], WEIGHTS, k=words)
        if language == "en":
            return " ".join(chosen)
        return " ".join(stem + rng.choice(ENDINGS) for stem in chosen)

    start = time.perf_counter()
    for chunk in range(0, ARTICLES, 1000):
        batch = []
        for n in range(chunk, chunk + 1000):
            language = "en" if n % 4 == 0 else "lt"
            body = text(language, rng.randint(80, 200))
            batch.append(Article(title=f"{text(language, 4)} {n}", language=language, body=body,
                                 audience="internal" if n % 5 == 0 else "all"))
        bulk.save_objects(batch)
    written = time.perf_counter() - start
    analyze()
    user = get_user_model().objects.create_user("reader", password="!")
    user.groups.add(Group.objects.get(name="requester"))
    admin = get_user_model().objects.create_superuser("admin", "a@b.lt", "!")
    figures = {"articles": ARTICLES, "terms": ArticleTerm.objects.count(), "write_s": round(written, 1)}
    for label, query, who, prefix in [
        ("one word (superuser)", "slaptažodis", admin, False),
        ("three words (superuser)", "pamiršau slaptažodį spausdintuve", admin, False),
        ("three words (requester: constrained)", "pamiršau slaptažodį spausdintuve", user, False),
        ("English", "password reset", admin, False),
        ("suggestion while typing", "neveikia spausdintuvas ir deklar", user, True),
    ]:
        result = measure(f"search: {label}", lambda q=query, w=who, p=prefix: search.search(q, w, prefix=p))
        figures[label] = {"median_ms": round(result["median_ms"], 1), "p95_ms": round(result["p95_ms"], 1),
                          "queries": result["queries"]}
    return figures


def main() -> None:
    vendor = setup_database()
    try:
        figures = {"database": vendor, "mail": mail_rate(), "search": knowledge()}
        print(json.dumps(figures, indent=2, ensure_ascii=False))
    finally:
        teardown_database()


if __name__ == "__main__":
    main()
