"""A real DNS server (Debian's `dnsmasq`) on loopback for the mail domain checks.

`serving(records, log)` installs dnsmasq from Debian if it is missing and starts it in the
foreground on 127.0.0.1 at a free port, reading no system files (`--conf-file=/dev/null
--no-resolv --no-hosts`), with the given TXT records (name → strings; a name may hold several
records), answering "no such name" for other names in their top-level domains. It is stopped at
the end; when it cannot start the test fails, never skips.
"""

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dns.message
import dns.query
import pytest

from tests.support.debian import ensure

HOST = "127.0.0.1"


def free_port() -> int:
    """A UDP port nothing listens on now (also the port of a resolver that never answers)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _ready(port: int) -> bool:
    try:
        dns.query.udp(dns.message.make_query("ready.test", "TXT"), HOST, port=port, timeout=0.2)
        return True
    except (OSError, dns.exception.Timeout):
        return False


@contextmanager
def serving(records: dict[str, list[str]], log: Path) -> Iterator[int]:
    """dnsmasq answering `records` (TXT) on 127.0.0.1; yields its port."""
    binary = ensure("dnsmasq", "dnsmasq-base")
    for _attempt in range(5):
        port = free_port()
        command = [binary, "--no-daemon", "--conf-file=/dev/null", f"--port={port}", f"--listen-address={HOST}",
                   "--bind-interfaces", "--no-resolv", "--no-hosts", "--user=root" if os.geteuid() == 0 else "",
                   "--pid-file=", "--log-facility=-", "--txt-record=ready.test,ready"]
        # dnsmasq refuses names it does not know; within these zones it answers "no such name"
        command += [f"--local=/{zone}/" for zone in sorted({name.rsplit(".", 1)[-1] for name in records} | {"test"})]
        for name, texts in records.items():
            command += [f"--txt-record={name},{text}" for text in texts]
        with open(log, "wb") as out:
            process = subprocess.Popen([c for c in command if c], stdout=out, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and process.poll() is None and not _ready(port):
            time.sleep(0.05)
        if process.poll() is None and _ready(port):
            try:
                yield port
            finally:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=10)
            return
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
        if "Address already in use" not in log.read_text(errors="replace"):
            break
    pytest.fail(f"dnsmasq did not start:\n{log.read_text(errors='replace')[-3000:]}")
