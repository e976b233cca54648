"""Installing the Debian packages a test needs, the way a new machine would get them."""

import fcntl
import os
import shutil
import subprocess

import pytest

_updated = False


def _install(packages: tuple[str, ...], reason: str) -> None:
    global _updated
    if os.geteuid() != 0:
        pytest.fail(f"{reason} and only root can install {' '.join(packages)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages]
    # Test workers install one at a time: apt-get fails at once while another holds dpkg's lock.
    with open("/tmp/irtis-tests-apt.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if subprocess.run(install, env=env, capture_output=True).returncode != 0 and not _updated:
            subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True, check=True)
            _updated = True
            subprocess.run(install, env=env, capture_output=True, check=True)


def ensure(command: str, *packages: str) -> str:
    """The path of `command`, installing `packages` with apt-get first if it is missing."""
    path = shutil.which(command)
    if path:
        return path
    _install(packages, f"{command} is missing")
    path = shutil.which(command)
    if not path:
        pytest.fail(f"installing {' '.join(packages)} did not provide {command}")
    return path


def ensure_packages(*packages: str) -> None:
    """Install those of `packages` that are not installed (for files that are not commands)."""
    def installed(package: str) -> bool:
        query = ["dpkg-query", "-W", "-f=${db:Status-Status}", package]
        return subprocess.run(query, capture_output=True, text=True).stdout == "installed"

    missing = tuple(p for p in packages if not installed(p))
    if missing:
        _install(missing, f"{' '.join(missing)} not installed")
