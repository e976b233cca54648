"""Lithuanian first: every message translated, the compiled catalogue current, templates marked."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import django
import polib
import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.template.base import Lexer, TokenType
from django.utils import translation

from irtis.core.api import api
from tests.support import debian

ROOT = Path(__file__).resolve().parents[2] / "irtis"
CATALOGUE = ROOT / "locale" / "lt" / "LC_MESSAGES" / "django.po"

# Words that are the same in every language: product and standard names, format names.
UNTRANSLATED_WORDS = {"irtis", "EN", "LT", "Lietuvių", "English", "ID", "CSV", "XLSX", "JSON", "YAML", "API"}


def test_every_entry_is_translated() -> None:
    catalogue = polib.pofile(str(CATALOGUE))
    gaps = [e.msgid for e in catalogue if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert not gaps, f"untranslated or fuzzy Lithuanian entries: {gaps[:20]}"


def test_compiled_catalogue_matches() -> None:
    def entries(catalogue: polib._BaseFile) -> dict:
        return {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0) for e in catalogue if not e.obsolete}

    source = entries(polib.pofile(str(CATALOGUE)))
    compiled = entries(polib.mofile(str(CATALOGUE.with_suffix(".mo"))))
    assert source == compiled, "run `irtis compilemessages` and commit django.mo"


def test_every_message_in_code_is_in_the_catalogue(tmp_path: Path) -> None:
    """Extract messages from a copy of the code (makemessages) and compare with the catalogue."""
    debian.ensure("xgettext", "gettext")
    copy = tmp_path / "irtis"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns("static", "__pycache__", "*.mo"))
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "IRTIS_DATA_DIR": str(tmp_path / "data")}
    env.pop("IRTIS_DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "lt", "--no-obsolete", "-v", "0",
         "--settings", "irtis.settings"],
        cwd=copy, env=env, check=True, capture_output=True,
    )
    extracted = {e.msgid for e in polib.pofile(str(copy / "locale" / "lt" / "LC_MESSAGES" / "django.po"))}
    known = {e.msgid for e in polib.pofile(str(CATALOGUE)) if not e.obsolete}
    missing = sorted(extracted - known)
    assert not missing, f"messages missing from the Lithuanian catalogue: {missing[:20]}"


def _text_outside_tags(text: str) -> list[str]:
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]*>", " ", text)  # attributes carry ids and classes, not prose
    text = re.sub(r"&#?\w+;", " ", text)  # entities such as &nbsp;
    words = re.findall(r"[^\W\d_]{2,}", text)
    return [w for w in words if w not in UNTRANSLATED_WORDS]


@pytest.mark.parametrize("template", sorted(p.relative_to(ROOT) for p in ROOT.rglob("templates/**/*.html")), ids=str)
def test_template_text_is_marked_for_translation(template: Path) -> None:
    source = (ROOT / template).read_text()
    # Lithuanian or English prose between tags must come from {% translate %}, not the file.
    depth = 0
    text = []
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            depth += name in {"blocktranslate", "blocktrans"}
            depth -= name in {"endblocktranslate", "endblocktrans"}
        if token.token_type == TokenType.TEXT and depth == 0:
            text.append(token.contents)
        else:
            text.append("\x00")
    stray = _text_outside_tags("".join(text))
    assert not stray, f"text not marked for translation in {template}: {stray[:10]}"


def test_the_api_description_speaks_the_readers_language() -> None:
    """Every operation's summary and tag in Lithuanian, and in English for an English reader."""

    def described(language: str) -> dict[tuple[str, str], tuple[str, tuple[str, ...]]]:
        with translation.override(language):  # the lazy texts are read as the document is written
            schema = json.loads(json.dumps(api.get_openapi_schema(), cls=DjangoJSONEncoder))
        return {(path, method): (op.get("summary", ""), tuple(op.get("tags", [])))
                for path, ops in schema["paths"].items() for method, op in ops.items()}

    lithuanian, english = described("lt"), described("en")
    assert lithuanian[("/api/inventory/devices/", "get")] == ("įrenginiai: sąrašas", ("įrenginiai",))
    assert english[("/api/inventory/devices/", "get")] == ("List devices", ("devices",))
    untranslated = [key for key, (summary, tags) in lithuanian.items()
                    if not summary or (summary, tags) == english[key]]
    assert not untranslated, untranslated[:10]


# Django's messages untranslated in its own Lithuanian catalogue that irtis never shows: other
# languages' names, durations (no page says "3 days ago"), the formsets' counts, the CSRF page
# (irtis's own: core.pages.csrf_failure), generic date and list views, static serving, admindocs.
NEVER_SHOWN = {
    "Algerian Arabic", "Igbo", "Kyrgyz", "Malay", "Tajik", "Turkmen", "Uzbek", "…", "A JSON object",
    "Positive big integer", "%(num)d year", "%(num)d month", "%(num)d week", "%(num)d day", "%(num)d hour",
    "%(num)d minute", "Please submit at most %d form.", "Please submit at least %d form.",
    "Invalid date string “%(datestr)s” given format “%(format)s”",
    "Page is not “last”, nor can it be converted to an int.", "Empty list and “%(class_name)s.allow_empty” is False.",
    "“%(path)s” does not exist", "Topics, references, &amp; how-to’s",
}


def test_djangos_messages_that_irtis_shows_are_lithuanian() -> None:
    """Validation messages of Django's fields and forms (an import's "“x” value must be an
    integer.", a filter's "“x” is not a valid value.") that Django's catalogue leaves in English
    are translated in irtis's; a Django upgrade that adds such a gap fails here."""
    djangos = polib.pofile(str(Path(django.__file__).parent / "conf" / "locale" / "lt" / "LC_MESSAGES" / "django.po"))
    gaps = [e.msgid for e in djangos if not e.obsolete and not e.translated()
            and e.msgid not in NEVER_SHOWN and not e.msgid.startswith(("You are seeing", "If you"))]
    with translation.override("lt"):
        english = [msgid for msgid in gaps if translation.gettext(msgid) == msgid]
    assert gaps and not english, english
