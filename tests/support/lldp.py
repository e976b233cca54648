"""Two real LLDP speakers (Debian's `lldpd`) joined by a veth pair, one end in a network
namespace of its own, and a net-snmp agent exposing the first one's LLDP-MIB over AgentX.

`linked(root)` yields the agent (on 127.0.0.1) and the names: the local system and its veth
end, the neighbour's system name and its veth end. lldpd sends only on the two veth ends
(`-I`), so nothing leaves the machine. Everything is removed at the end; a step that fails
fails the test, never skips it.
"""

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import snmpd
from tests.support.debian import ensure


@dataclass
class Link:
    agent: snmpd.Agent
    local_system: str
    local_port: str
    neighbour_system: str
    neighbour_port: str


def _run(*command: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        pytest.fail(f"{' '.join(command)}: {done.stderr.strip()}")


def _lldpd(stack: ExitStack, lldpd: str, root: Path, name: str, system: str, port: str, *options: str,
           namespace: str = "") -> None:
    """lldpd on `port`; its files in `root`, which its unprivileged half (user _lldpd) can reach."""
    (root / f"{name}.conf").write_text(
        f"configure system hostname {system}\nconfigure lldp portidsubtype ifname\nconfigure lldp tx-interval 1\n")
    command = [lldpd, "-d", "-I", port, "-u", str(root / f"{name}.socket"), "-O", str(root / f"{name}.conf"), *options]
    if namespace:
        command = ["ip", "netns", "exec", namespace, *command]
    with open(root / f"{name}.log", "wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
    stack.callback(snmpd._stop, process)


@contextmanager
def linked(root: Path, local_system: str, neighbour_system: str) -> Iterator[Link]:
    if os.geteuid() != 0:
        pytest.fail("the LLDP test needs root to create a network namespace and a veth pair")
    lldpd = ensure("lldpd", "lldpd")
    ensure("snmpwalk", "snmp")
    tag = f"{os.getpid() % 100000}"
    namespace, local_port, neighbour_port = f"irtis-lldp-{tag}", f"irl{tag}a", f"irl{tag}b"
    with ExitStack() as stack:
        # lldpd drops to user _lldpd, which must reach its control socket: not in pytest's 0700 tree.
        sockets = Path(tempfile.mkdtemp(prefix="irtis-lldp-"))
        stack.callback(shutil.rmtree, sockets, ignore_errors=True)
        sockets.chmod(0o755)
        agentx = sockets / "agentx"
        _run("ip", "netns", "add", namespace)
        stack.callback(subprocess.run, ["ip", "netns", "del", namespace], capture_output=True)
        _run("ip", "link", "add", local_port, "type", "veth", "peer", "name", neighbour_port)
        stack.callback(subprocess.run, ["ip", "link", "del", local_port], capture_output=True)
        _run("ip", "link", "set", neighbour_port, "netns", namespace)
        _run("ip", "link", "set", local_port, "up")
        _run("ip", "netns", "exec", namespace, "ip", "link", "set", neighbour_port, "up")
        agent = stack.enter_context(snmpd.running(
            root, extra=f"master agentx\nagentXSocket unix:{agentx}\n"))
        _lldpd(stack, lldpd, sockets, "local", local_system, local_port, "-x", "-X", str(agentx))
        _lldpd(stack, lldpd, sockets, "neighbour", neighbour_system, neighbour_port, namespace=namespace)
        deadline = time.monotonic() + 30
        walk = ["snmpwalk", "-v2c", "-c", snmpd.COMMUNITY, "-On", f"{agent.host}:{agent.port}",
                "1.0.8802.1.1.2.1.4.1.1.9"]
        while neighbour_system not in subprocess.run(walk, capture_output=True, text=True).stdout:
            if time.monotonic() > deadline:
                logs = "\n".join((sockets / f"{n}.log").read_text(errors="replace")[-1500:]
                                  for n in ("local", "neighbour"))
                pytest.fail(f"the agent shows no LLDP neighbour after 30 s:\n{logs}")
            time.sleep(0.5)
        yield Link(agent, local_system, local_port, neighbour_system, neighbour_port)
