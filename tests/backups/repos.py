"""Real restic and Borg repositories in temporary directories, with a few files backed up."""

import os
import subprocess
from pathlib import Path

PASSWORD = "Slaptas-Kopiju-2026!"


def source_tree(root: Path) -> Path:
    source = root / "duomenys"
    (source / "sub").mkdir(parents=True)
    (source / "deklaracija.txt").write_text("Muitinės deklaracija Nr. 1\n", encoding="utf-8")
    (source / "sub" / "dvejetainis.bin").write_bytes(os.urandom(300_000))
    return source


def restic_repo(root: Path, host: str = "mdas-db-01", tag: str = "mdas") -> Path:
    repo = root / "restic-repo"
    env = {**os.environ, "RESTIC_PASSWORD": PASSWORD, "RESTIC_REPOSITORY": str(repo),
           "RESTIC_CACHE_DIR": str(root / "restic-cache")}
    subprocess.run(["restic", "init", "-q"], env=env, check=True, capture_output=True)
    source = source_tree(root)
    subprocess.run(["restic", "backup", "-q", "--host", host, "--tag", tag, str(source)], env=env, check=True,
                   capture_output=True)
    return repo


def borg_repo(root: Path, prefix: str = "mdas-db") -> Path:
    repo = root / "borg-repo"
    env = {**os.environ, "BORG_PASSPHRASE": PASSWORD, "BORG_BASE_DIR": str(root / "borg-home")}
    subprocess.run(["borg", "init", "-e", "repokey", str(repo)], env=env, check=True, capture_output=True)
    source = source_tree(root)
    subprocess.run(["borg", "create", f"{repo}::{prefix}-2026-12-01", "duomenys"], env=env, check=True,
                   capture_output=True, cwd=source.parent)
    return repo
