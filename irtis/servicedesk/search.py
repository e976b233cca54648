"""The knowledge base's search: Lithuanian and English words found in any inflected form.

Each article's words are stemmed by the Snowball stemmer of its language (`snowballstemmer`:
"slaptažodis", "slaptažodžio" and "slaptažodį" are all `slaptažod`) and kept once each in
`ArticleTerm`, indexed by term. A query is stemmed by both stemmers (the reader may type either
language) and an article ranks by the number of the query's words it has; the last word being
typed also matches as a prefix (suggestions while a request is written). One query on both
databases; the index is the same on SQLite and PostgreSQL (PostgreSQL has no Lithuanian
full-text configuration, so its `to_tsvector` would not stem Lithuanian).
"""

import re
from functools import cache
from typing import Any

import snowballstemmer  # type: ignore[import-untyped]  # ships no types
from django.db import transaction
from django.db.models import Count, QuerySet

from irtis.core import permissions
from irtis.sql import insert_values

from .models import Article, ArticleTerm

WORD = re.compile(r"\w{2,}", re.UNICODE)
LONGEST = 60  # ArticleTerm.term's length
MAX_WORDS = 12  # of a query
PREFIX_TERMS = 20  # words an unfinished one may become


@cache
def _stemmer(language: str) -> Any:
    return snowballstemmer.stemmer({"lt": "lithuanian", "en": "english"}[language])


def words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text) if not w.isdigit() or len(w) > 2]


def stems(text: str, language: str) -> set[str]:
    return {s[:LONGEST] for s in _stemmer(language).stemWords(words(text))}


def index(articles: list[Article]) -> None:
    """(Re)write the terms of `articles` (after they were saved)."""
    with transaction.atomic():
        ArticleTerm.objects.filter(article__in=[a.pk for a in articles]).delete()
        rows = [[a.pk, term] for a in articles for term in sorted(stems(f"{a.title}\n{a.body}", a.language))]
        insert_values(ArticleTerm, ("article", "term"), rows)


def search(query: str, user: Any, *, prefix: bool = False, limit: int = 10) -> list[Article]:
    """The articles `user` may view best matching `query`; with `prefix`, its last word may be unfinished."""
    typed = words(query)[:MAX_WORDS]
    if not typed:
        return []
    terms = {s for language in ("lt", "en") for s in _stemmer(language).stemWords(typed)}
    if prefix and len(typed[-1]) >= 3:  # the words the unfinished one may become: a range of the index
        last = typed[-1][:LONGEST]
        terms |= set(ArticleTerm.objects.filter(term__gte=last, term__lt=last + "\U0010ffff")
                     .values_list("term", flat=True).order_by("term").distinct()[:PREFIX_TERMS])
    matches: QuerySet[ArticleTerm] = ArticleTerm.objects.filter(term__in=terms)
    visible = permissions.restrict(Article.objects.all(), user)
    ranked = (matches.filter(article__in=visible.values("pk")).values("article")
              .annotate(hits=Count("term")).order_by("-hits", "article")[:limit])
    order = [row["article"] for row in ranked]
    found = Article.objects.in_bulk(order)
    return [found[pk] for pk in order if pk in found]
