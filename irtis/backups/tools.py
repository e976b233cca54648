"""Running restic and BorgBackup: the password through the environment, a deadline, clear errors.

The password never reaches a command line (visible in `ps`) or a message: it is handed over in
RESTIC_PASSWORD / BORG_PASSPHRASE and scrubbed from whatever the tool prints before irtis keeps
any of it. Each command runs in its own process group, killed whole when the deadline passes.
"""

import json
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from irtis.core import secrets


class ToolError(Exception):
    """The tool failed; the message is safe to show and keep (no password in it)."""


class TimeBudgetExceeded(ToolError):
    pass


@dataclass(frozen=True)
class Repo:
    """What a command needs to open a repository."""

    tool: str
    location: str
    password: str


def environment(repo: Repo, cache: Path | None = None) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("RESTIC_", "BORG_")) and name not in secrets.SETTINGS}
    if repo.tool == "restic":
        env["RESTIC_PASSWORD"] = repo.password
        env["RESTIC_REPOSITORY"] = repo.location
        if cache is not None:
            env["RESTIC_CACHE_DIR"] = str(cache)
    elif repo.tool == "borg":
        env["BORG_PASSPHRASE"] = repo.password
        env["BORG_RELOCATED_REPO_ACCESS_IS_OK"] = "yes"
        env["BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK"] = "no"
        if cache is not None:
            env["BORG_CACHE_DIR"] = str(cache / "cache")
            env["BORG_CONFIG_DIR"] = str(cache / "config")
            env["BORG_SECURITY_DIR"] = str(cache / "security")
            env["BORG_KEYS_DIR"] = str(cache / "keys")
    return env


def scrub(text: str, repo: Repo) -> str:
    """The tool's message, without the password and cut to a readable length."""
    if repo.password:
        text = text.replace(repo.password, "***")
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return " ".join(lines[-3:])[:400]


def spawn(command: list[str], *, env: dict[str, str], cwd: Path | None = None) -> subprocess.Popen[bytes]:
    """Start a command in its own process group (so `stop` can kill all it started)."""
    return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env, cwd=cwd, start_new_session=True)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Kill the process group if it still runs, and reap it."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def finish(process: subprocess.Popen[bytes], *, deadline: float, tool: str) -> tuple[int, bytes, bytes]:
    """Wait for a spawned command: (exit code, output, errors); TimeBudgetExceeded, the whole
    group killed, when `deadline` (a time.monotonic() value) passes."""
    try:
        out, err = process.communicate(timeout=max(deadline - time.monotonic(), 0.001))
    except subprocess.TimeoutExpired:
        stop(process)
        raise TimeBudgetExceeded(_("%(tool)s did not finish within the time budget and was stopped.")
                                 % {"tool": tool}) from None
    return process.returncode, out, err


def execute(command: list[str], *, env: dict[str, str], deadline: float, tool: str,
            cwd: Path | None = None) -> tuple[int, bytes, bytes]:
    """Run a command under the deadline: (exit code, output, errors), or TimeBudgetExceeded."""
    if deadline - time.monotonic() <= 0:
        raise TimeBudgetExceeded(_("The time budget was used up before %(tool)s started.") % {"tool": tool})
    return finish(spawn(command, env=env, cwd=cwd), deadline=deadline, tool=tool)


def command_of(repo: Repo, args: list[str]) -> list[str]:
    command = ["restic", "--no-lock", *args] if repo.tool == "restic" else ["borg", *args]
    if repo.tool == "restic" and args and args[0] == "restore":
        command.remove("--no-lock")  # a restore reads a consistent repository; locking is cheap here
    return command


def outcome(repo: Repo, result: tuple[int, bytes, bytes]) -> bytes:
    """The output of a finished command, or ToolError with its scrubbed message."""
    code, out, err = result
    if code != 0:
        raise ToolError(explain(repo, code, err.decode(errors="replace")))
    return out


def run(repo: Repo, args: list[str], *, deadline: float, cwd: Path | None = None,
        cache: Path | None = None) -> bytes:
    """Run the tool with `args`; its standard output, or ToolError with its scrubbed message.

    `deadline` is a time.monotonic() value: passing it kills the whole process group."""
    return outcome(repo, execute(command_of(repo, args), env=environment(repo, cache), deadline=deadline,
                                 tool=repo.tool, cwd=cwd))


def explain(repo: Repo, code: int, stderr: str) -> str:
    """A clear reason for the common failures, else the tool's own last lines."""
    message = scrub(stderr, repo)
    lowered = stderr.lower()
    if ("wrong password" in lowered or "passphrase supplied" in lowered
            or ("incorrect" in lowered and "pass" in lowered)):
        return _("Wrong repository password.")
    if ("does not exist" in lowered or "no such file" in lowered or "is not a valid repository" in lowered
            or "unable to open config" in lowered or ("repository" in lowered and "not found" in lowered)):
        return _("The repository cannot be reached: %(detail)s") % {"detail": message}
    if "no space left" in lowered:
        return _("The scratch location is full: %(detail)s") % {"detail": message}
    return _("%(tool)s failed (exit code %(code)s): %(detail)s") % {"tool": repo.tool, "code": code,
                                                                      "detail": message}


def json_of(repo: Repo, args: list[str], *, deadline: float, cache: Path | None = None) -> Any:
    out = run(repo, args, deadline=deadline, cache=cache)
    try:
        return json.loads(out)
    except ValueError as error:
        raise ToolError(_("%(tool)s printed no JSON: %(error)s") % {"tool": repo.tool, "error": error}) from None
