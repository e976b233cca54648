"""Installing the Debian packages a test needs, the way a new machine would get them."""

import os
import shutil
import subprocess

import pytest

_updated = False


def ensure(command: str, *packages: str) -> str:
    """The path of `command`, installing `packages` with apt-get first if it is missing."""
    global _updated
    path = shutil.which(command)
    if path:
        return path
    if os.geteuid() != 0:
        pytest.fail(f"{command} is missing and only root can install {' '.join(packages)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages]
    if subprocess.run(install, env=env, capture_output=True).returncode != 0 and not _updated:
        subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True, check=True)
        _updated = True
        subprocess.run(install, env=env, capture_output=True, check=True)
    path = shutil.which(command)
    if not path:
        pytest.fail(f"installing {' '.join(packages)} did not provide {command}")
    return path
