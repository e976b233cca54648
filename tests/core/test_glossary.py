"""The Lithuanian catalogue speaks the division's terms (../shared/domain-facts.md, glossary).

Each English term found in a message must be rendered by one of its Lithuanian stems, and words
the glossary replaces must not appear. A reviewer's rule written down, so that a new message
that says "ugniasienė" for a firewall or "pradžia" for an IP prefix fails here.
"""

import re
from pathlib import Path

import polib
import pytest

CATALOGUE = Path(__file__).resolve().parents[2] / "irtis" / "locale" / "lt" / "LC_MESSAGES" / "django.po"

# English term (a regular expression, case-insensitive) → Lithuanian stems, any of which will do.
TERMS = {
    r"\bservers?\b": ("tarnybin", "server"),
    r"\bvirtual machines?\b": ("virtuali",),
    r"\bdisk arrays?\b": ("diskų masyv",),
    r"\bfirewalls?\b": ("saugasien",),
    r"\bdata cent(re|er)s?\b": ("duomenų centr",),
    r"\bDBMS\b": ("dbvs", "duomenų bazių valdymo"),
    r"\bbackups?\b": ("atsargin", "kopij"),
    r"\bvulnerabilit(y|ies)\b": ("pažeidžiam",),
    r"\bmonitoring\b": ("stebėsen",),
    r"\busers?\b": ("naudotoj", "%(user)s"),
    r"\bpasswords?\b": ("slaptažod",),
    r"\bcertificates?\b": ("sertifikat",),
    r"\binformation systems?\b": ("informacin",),
    r"\bsuppliers?\b": ("tiekėj", "%(supplier)s"),
    r"\bcontracts?\b": ("sutar",),
    r"\bincidents?\b": ("incident",),
    r"\b(ip )?prefix(es)?\b": ("prefiks", "%(prefix)s"),
    r"\btags?\b": ("žymė", "žymi", "žymes", "žymę", "%(tag)s"),
    r"\bpermissions?\b": ("teis",),
    r"\binterconnections?\b": ("es sąsaj",),  # a network interface is "sąsaja"
}
# Messages where the English word means something else (a token's first characters, a name's
# beginning, the staff's word for a service desk request).
OTHER_SENSE = {
    ("token", "prefix"), ("token", "Prefix"),
    (None, "The host name, tag or archive name prefix of this object's snapshots."),
    (None, "Token %(prefix)s… revoked."),
}
# Nouns whose field label and column heading must agree (verbs and adjectives may not: "Check" is
# a button, "check" a noun; "approved" agrees with its noun's gender).
NOUNS = r"\b(queue length|gateways?|mail systems?|warning sent|report sent|security zones?|backup polic|firewalls?|" \
        r"prefix|tags?|roles?|permissions?)\b"
# Words the glossary replaces.
AVOIDED = {"ugniasien": "saugasienė (firewall)"}


def _entries() -> list[tuple[str | None, str, str]]:
    catalogue = polib.pofile(str(CATALOGUE))
    found = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        texts = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        found.append((entry.msgctxt, entry.msgid_plural or entry.msgid, " ".join(texts)))
    return found


@pytest.mark.parametrize("term", TERMS)
def test_terms_follow_the_glossary(term: str) -> None:
    stems = TERMS[term]
    off = [(msgid, text) for context, msgid, text in _entries()
           if (context, msgid) not in OTHER_SENSE and re.search(term, msgid, re.IGNORECASE)
           and not any(stem in text.lower() for stem in stems)]
    assert not off, f"{term} should be one of {stems}: {off[:10]}"


def test_avoided_words_are_absent() -> None:
    found = [(word, msgid) for _context, msgid, text in _entries() for word in AVOIDED
             if re.search(rf"\b{word}", text, re.IGNORECASE)]
    assert not found, [(word, AVOIDED[word], msgid) for word, msgid in found[:10]]


def test_one_sense_one_word() -> None:
    """A term and its capitalised twin (a field and a column heading) say the same."""
    by_term: dict[tuple[str | None, str], set[str]] = {}
    for context, msgid, text in _entries():
        if len(msgid.split()) <= 3 and re.search(NOUNS, msgid, re.IGNORECASE):
            by_term.setdefault((context, msgid.lower()), set()).add(text.lower())
    differing = {term: texts for term, texts in by_term.items() if len(texts) > 1}
    assert not differing, differing


def test_every_kind_of_object_has_a_name_of_its_own() -> None:
    """Two kinds of object never share a Lithuanian name, singular or plural (a network interface
    and an EU interconnection were both "sąsaja" on the dependency map's legend)."""
    from django.utils import translation

    from irtis.core import registry

    names: dict[str, set[str]] = {}
    with translation.override("lt"):
        for entry in registry.entries():
            meta = entry.model._meta
            for name in (meta.verbose_name, meta.verbose_name_plural):
                names.setdefault(str(name).lower(), set()).add(meta.label)
    assert not {name: labels for name, labels in names.items() if len(labels) > 1}


@pytest.mark.parametrize(("one", "other"), [("site", "position (U)"), ("interface", "interconnection")])
def test_different_things_have_different_words(one: str, other: str) -> None:
    """A device's site and its place in the rack, a network interface and an EU interconnection:
    a reader tells them apart by their first word."""
    texts = {e.msgid: e.msgstr for e in polib.pofile(str(CATALOGUE)) if e.msgid in (one, other) and not e.msgctxt}
    assert texts[one].split()[0] != texts[other].split()[0], texts
