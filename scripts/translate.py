"""Fill the Lithuanian catalogue from a Python file of translations (T: msgid → text, P: plurals).

    .venv/bin/python scripts/translate.py translations.py
Only empty or fuzzy entries are filled; existing translations stay.
"""

import runpy
import sys
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parents[1] / "irtis/locale/lt/LC_MESSAGES/django.po"


def main(path: str) -> None:
    source = runpy.run_path(path)
    singular, plural = source.get("T", {}), source.get("P", {})
    catalogue = polib.pofile(str(CATALOGUE))
    filled = 0
    for entry in catalogue:
        if entry.translated() and "fuzzy" not in entry.flags:
            continue
        if entry.msgid_plural and entry.msgid in plural:
            entry.msgstr_plural = dict(enumerate(plural[entry.msgid]))
        elif not entry.msgid_plural and entry.msgid in singular:
            entry.msgstr = singular[entry.msgid]
        else:
            continue
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        filled += 1
    catalogue.save()
    missing = [e.msgid for e in catalogue if not e.translated()]
    print(f"filled {filled}; still untranslated {len(missing)}")
    for msgid in missing:
        print("  ", repr(msgid))


if __name__ == "__main__":
    main(sys.argv[1])
