"""A real net-snmp agent (Debian's `snmpd`) on loopback for the discovery tests.

`running(root)` installs `snmpd` from Debian if it is missing, writes a configuration that
reads no system files (`-C`), and starts `snmpd -f` on 127.0.0.1 at a free UDP port with:
  - a read-only SNMPv2c community `COMMUNITY`;
  - an SNMPv3 user `V3_USER` at authPriv (SHA + AES, keys `V3_AUTH` / `V3_PRIV`), created by
    `createUser` into a persistent directory of its own (SNMP_PERSISTENT_DIR in `root`);
  - sysName and sysDescr fixed to `SYS_NAME` / `SYS_DESCR`.
Interfaces and addresses are this machine's, as the agent reads them from the kernel. The
agent is stopped at the end; when it cannot be installed or started the tests fail, never skip.
"""

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.debian import ensure

COMMUNITY = "irtis-testai-ro"
V3_USER, V3_AUTH, V3_PRIV = "irtis-v3", "Auth-Slaptas-1", "Priv-Slaptas-1"
SYS_NAME = "snmp-testas.irtis.test"
SYS_DESCR = "Linux snmp-testas 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01) x86_64"
READY = "NET-SNMP version"  # the agent logs this once it listens


@dataclass
class Agent:
    host: str
    port: int
    log: Path
    hosts: tuple[str, ...] = ()


def _free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _configure(root: Path, extra: str = "") -> Path:
    conf = root / "snmpd.conf"
    conf.write_text(
        f"rocommunity {COMMUNITY} 127.0.0.0/8\n"
        f'createUser {V3_USER} SHA "{V3_AUTH}" AES "{V3_PRIV}"\n'
        f"rouser {V3_USER} priv\n"
        f"sysName {SYS_NAME}\n"
        f"sysDescr {SYS_DESCR}\n"
        f"{extra}"
    )
    (root / "persistent").mkdir(exist_ok=True)
    return conf


def _start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen | None:
    """The running agent, or None if its port was taken meanwhile (it then exits at once)."""
    with open(log, "wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   env=env, start_new_session=True)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        if READY in text:
            return process
        if process.poll() is not None:
            return None if "Error opening specified endpoint" in text else _fail(log)
        time.sleep(0.05)
    _stop(process)
    return _fail(log)


def _fail(log: Path) -> None:
    pytest.fail(f"snmpd did not start:\n{log.read_text(errors='replace')[-3000:]}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


@contextmanager
def running(root: Path, extra: str = "", hosts: tuple[str, ...] = ("127.0.0.1",)) -> Iterator[Agent]:
    """An agent on 127.0.0.1 for the duration of the block; `extra`: more configuration lines
    (e.g. `override OID integer 75`, a value the monitoring tests compare with thresholds);
    `hosts`: loopback addresses it answers on, the same agent seen as that many devices."""
    snmpd = ensure("snmpd", "snmpd")
    conf, log = _configure(root, extra), root / "snmpd.log"
    env = {**os.environ, "SNMP_PERSISTENT_DIR": str(root / "persistent"), "MIBS": ""}
    for _attempt in range(3):  # the free port may be taken between finding and binding it
        port = _free_udp_port()
        listen = ",".join(f"udp:{host}:{port}" for host in hosts)
        process = _start([snmpd, "-f", "-Lo", "-C", "-r", "-c", str(conf), listen], env, log)
        if process is not None:
            break
    else:
        _fail(log)
    try:
        yield Agent(hosts[0], port, log, hosts)
    finally:
        _stop(process)
