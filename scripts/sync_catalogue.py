"""Add every message of the code to the Lithuanian catalogue (empty), without fuzzy guesses.

    .venv/bin/python scripts/sync_catalogue.py
`makemessages` runs on a copy of the code, so the real catalogue is never rewritten; then
scripts/translate.py fills the new entries.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1] / "irtis"
CATALOGUE = ROOT / "locale/lt/LC_MESSAGES/django.po"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "irtis"
        shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns("static", "__pycache__", "*.mo", "*.po"))
        env = {**os.environ, "PYTHONPATH": tmp, "IRTIS_DATA_DIR": str(Path(tmp) / "data")}
        env.pop("IRTIS_DATABASE_URL", None)
        subprocess.run([sys.executable, "-m", "django", "makemessages", "-l", "lt", "-v", "0",
                        "--settings", "irtis.settings"], cwd=copy, env=env, check=True)
        extracted = polib.pofile(str(copy / "locale/lt/LC_MESSAGES/django.po"))
    catalogue = polib.pofile(str(CATALOGUE))
    known = {(e.msgctxt, e.msgid) for e in catalogue}
    added = 0
    for entry in extracted:
        if (entry.msgctxt, entry.msgid) not in known:
            entry.msgstr = ""
            entry.msgstr_plural = {i: "" for i in range(3)} if entry.msgid_plural else {}
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
            catalogue.append(entry)
            added += 1
    for entry in catalogue:
        if "fuzzy" in entry.flags:  # a guess from a similar message is no translation
            entry.flags.remove("fuzzy")
            entry.msgstr = ""
            entry.msgstr_plural = {i: "" for i in entry.msgstr_plural}
    catalogue.save()
    print(f"added {added}; untranslated now {len([e for e in catalogue if not e.translated()])}")


if __name__ == "__main__":
    main()
