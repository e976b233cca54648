"""A real Samba Active Directory domain controller for the tests (domain IRTIS, IRTIS.TEST).

`samba_dc` (session scope) installs Samba from Debian if it is missing, provisions a fresh
domain in a temporary directory, gives it a certificate from a test CA whose name is
`localhost`, starts `samba` listening on the loopback interface only (LDAP 389 with StartTLS,
LDAPS 636), creates the users and groups below, and stops and removes everything at the end.

Users (password `PASSWORDS[name]`):
  jonas   Jonas Žemaitis, mail, department; member of G_INNER, which is a member of G_OUTER
  ona     Ona Šimkutė, member of G_INNER (tests remove her from it)
  petras  plain account, for wrong-password attempts
  dalia   disabled
  lukas   locked out by three wrong passwords (the domain locks after 3)
  egle    expired (accountExpires now)
  svc-irtis  service account used to look users up
Samba must run as root; when it cannot be installed or started the tests fail, never skip.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.support.debian import ensure, ensure_packages

REALM = "IRTIS.TEST"
DOMAIN = "IRTIS"
BASE_DN = "DC=irtis,DC=test"
HOST = "localhost"  # the name in the DC's certificate, and what clients connect to
ADMIN_PASSWORD = "Adm1n-Slaptas-2024!"
PASSWORDS = {
    "svc-irtis": "Svc-Irtis-Slaptas1!",
    "jonas": "Slaptas-Jonas1!",
    "ona": "Slaptas-Ona1!",
    "petras": "Slaptas-Petras1!",
    "dalia": "Slaptas-Dalia1!",
    "lukas": "Slaptas-Lukas1!",
    "egle": "Slaptas-Egle1!",
}
# samba-vfs-modules: acl_xattr, with which provisioning sets the sysvol ACLs; winbind: the DC
# starts winbindd and stops when it cannot.
PACKAGES = ("samba", "samba-ad-provision", "samba-dsdb-modules", "samba-vfs-modules", "winbind")


@dataclass
class SambaDC:
    root: Path
    ca_file: Path
    wrong_ca_file: Path
    process: subprocess.Popen | None = None
    started_in: float = 0.0
    dns: dict[str, str] = field(default_factory=dict)

    ldaps_uri = f"ldaps://{HOST}:636"
    starttls_uri = f"ldap://{HOST}:389"
    realm = REALM
    domain = DOMAIN
    base_dn = BASE_DN
    upn_suffix = REALM.lower()
    passwords = PASSWORDS

    @property
    def conf(self) -> Path:
        return self.root / "etc" / "smb.conf"

    def settings(self, **overrides: Any) -> dict[str, Any]:
        """An ACTIVE_DIRECTORY setting for this DC (LDAPS, service account, our CA)."""
        values = {
            "URI": [self.ldaps_uri], "DOMAIN": DOMAIN, "UPN_SUFFIX": self.upn_suffix,
            "BASE_DN": BASE_DN, "BIND_DN": self.dns["svc-irtis"],
            "BIND_PASSWORD": PASSWORDS["svc-irtis"], "STARTTLS": False,
            "CA_FILE": str(self.ca_file), "TIMEOUT": 5, "GROUP_ROLES": {},
        }
        values.update(overrides)
        return values

    def admin(self) -> Any:
        """An ldap3 connection bound as Administrator over LDAPS."""
        import ldap3

        tls = ldap3.Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=str(self.ca_file))
        server = ldap3.Server(HOST, port=636, use_ssl=True, tls=tls, get_info=ldap3.NONE,
                              connect_timeout=5)
        return ldap3.Connection(server, f"Administrator@{self.upn_suffix}", ADMIN_PASSWORD,
                                auto_bind=True, receive_timeout=10)

    def set_member(self, group: str, user: str, member: bool) -> None:
        """Add or remove `user` (a user's sAMAccountName or a group's CN) in `group`."""
        import ldap3

        conn = self.admin()
        try:
            op = ldap3.MODIFY_ADD if member else ldap3.MODIFY_DELETE
            dn = self.dns.get(user) or f"CN={user},CN=Users,{BASE_DN}"
            ok = conn.modify(f"CN={group},CN=Users,{BASE_DN}", {"member": [(op, [dn])]})
            assert ok or conn.result["result"] in (20, 16), conn.result  # already so
        finally:
            conn.unbind()

    def tool(self, *args: str) -> str:
        return _run(["samba-tool", *args, "-s", str(self.conf)])

    def start(self) -> None:
        with open(self.root / "samba.out", "ab") as out:
            self.process = subprocess.Popen(
                ["samba", "-i", "-M", "single", "-s", str(self.conf)],
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group: stopped as one
            )
        _wait_ready(self, time.monotonic() + 60)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)


def _run(command: list[str], **kwargs: Any) -> str:
    done = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          timeout=300, **kwargs)
    if done.returncode != 0:
        pytest.fail(f"{' '.join(command[:4])}… failed ({done.returncode}):\n"
                    f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def _install() -> None:
    if os.geteuid() != 0:
        pytest.fail("the Samba AD DC tests must run as root (samba binds ports 389/636)")
    # Also when samba is there already (e.g. as a file server) without the AD DC parts.
    ensure_packages(*PACKAGES)
    ensure("openssl", "openssl")


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def _certificates(root: Path) -> tuple[Path, Path]:
    """A test CA, a DC certificate it signs for `localhost` (not 127.0.0.1, so a client
    connecting by address must fail host-name checking), and an unrelated second CA."""
    tls = root / "tls"
    tls.mkdir(mode=0o700)
    for name in ("ca", "other-ca"):
        _run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
              "-subj", f"/O=irtis tests/CN={name}", "-keyout", str(tls / f"{name}.key"),
              "-out", str(tls / f"{name}.pem"),
              "-addext", "basicConstraints=critical,CA:TRUE",
              "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
    _run(["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/O=irtis tests/CN={HOST}",
          "-keyout", str(tls / "dc.key"), "-out", str(tls / "dc.csr")])
    ext = tls / "dc.ext"
    ext.write_text(f"subjectAltName=DNS:{HOST},DNS:dc1.{REALM.lower()}\n"
                   "extendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n")
    _run(["openssl", "x509", "-req", "-in", str(tls / "dc.csr"), "-CA", str(tls / "ca.pem"),
          "-CAkey", str(tls / "ca.key"), "-CAcreateserial", "-days", "2", "-extfile", str(ext),
          "-out", str(tls / "dc.pem")])
    (tls / "dc.key").chmod(0o600)
    return tls / "ca.pem", tls / "other-ca.pem"


def _configure(conf: Path, root: Path) -> None:
    """Only the LDAP server, on loopback, with our certificate; logs in the temp dir."""
    extra = {
        "server services": "ldap",
        "interfaces": "lo",
        "bind interfaces only": "yes",
        "tls enabled": "yes",
        "tls keyfile": str(root / "tls" / "dc.key"),
        "tls certfile": str(root / "tls" / "dc.pem"),
        "tls cafile": str(root / "tls" / "ca.pem"),
        "ldap server require strong auth": "yes",  # simple binds only over TLS
        "log file": str(root / "log.%m"),
        "pid directory": str(root / "run"),
        "disable netbios": "yes",
    }
    (root / "run").mkdir(exist_ok=True)
    # Provision wrote some of these keys (all its server services, rpc on port 135 included):
    # ours replace them, or its later lines would win.
    lines = [line for line in conf.read_text().splitlines()
             if line.partition("=")[0].strip().lower() not in extra]
    at = lines.index("[global]") + 1
    lines[at:at] = [f"\t{k} = {v}" for k, v in extra.items()]
    conf.write_text("\n".join(lines) + "\n")


def _populate(dc: SambaDC) -> None:
    """Users, groups and the lockout policy, written over LDAPS as Administrator (one
    connection: far quicker than a samba-tool process per object)."""
    import ldap3

    minute = -60 * 10**7  # AD durations: negative 100 ns intervals
    people = {
        "jonas": {"givenName": "Jonas", "sn": "Žemaitis", "mail": "jonas@irtis.test",
                  "department": "Tinklų skyrius"},
        "ona": {"givenName": "Ona", "sn": "Šimkutė", "mail": "ona@irtis.test",
                "department": "Duomenų bazių skyrius"},
    }
    conn = dc.admin()
    try:
        def check(ok: bool) -> None:
            assert ok, conn.result

        check(conn.modify(BASE_DN, {
            "lockoutThreshold": [(ldap3.MODIFY_REPLACE, ["3"])],
            "lockoutDuration": [(ldap3.MODIFY_REPLACE, [str(10 * minute)])],
            "lockOutObservationWindow": [(ldap3.MODIFY_REPLACE, [str(10 * minute)])],
        }))
        for name, password in PASSWORDS.items():
            dn = f"CN={name},CN=Users,{BASE_DN}"
            check(conn.add(dn, ["top", "person", "organizationalPerson", "user"], {
                "sAMAccountName": name, "userPrincipalName": f"{name}@{dc.upn_suffix}",
                "userAccountControl": "514", **people.get(name, {}),
            }))
            check(conn.extend.microsoft.modify_password(dn, password))
            uac = "514" if name == "dalia" else "512"  # dalia stays disabled
            changes = {"userAccountControl": [(ldap3.MODIFY_REPLACE, [uac])]}
            if name == "egle":  # expired a minute ago
                now = 116444736000000000 + int(time.time() * 10**7)
                changes["accountExpires"] = [(ldap3.MODIFY_REPLACE, [str(now + minute)])]
            check(conn.modify(dn, changes))
            dc.dns[name] = dn
        for group, members in (("G_INNER", ["jonas", "ona"]), ("G_OUTER", []), ("G_UNUSED", [])):
            check(conn.add(f"CN={group},CN=Users,{BASE_DN}", ["top", "group"], {
                "sAMAccountName": group, "groupType": str(-2147483646),  # global security
                **({"member": [dc.dns[m] for m in members]} if members else {}),
            }))
        dc.set_member("G_OUTER", "G_INNER", member=True)  # G_INNER ⊂ G_OUTER
    finally:
        conn.unbind()


def _wait_ready(dc: SambaDC, deadline: float) -> None:
    from ldap3.core.exceptions import LDAPException

    last: object = None
    while time.monotonic() < deadline:
        if dc.process is None or dc.process.poll() is not None:
            break
        try:
            dc.admin().unbind()
            return
        except LDAPException as exc:
            last = exc
            time.sleep(0.3)
    log = (dc.root / "samba.out").read_text(errors="replace")[-4000:]
    code = dc.process.poll() if dc.process else None
    pytest.fail(f"Samba AD DC did not answer LDAPS ({last}); exit {code}:\n{log}")


def _lock_out(dc: SambaDC, user: str) -> None:
    """Lock `user` the way it happens in real life: wrong passwords over LDAPS."""
    import ldap3

    tls = ldap3.Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=str(dc.ca_file))
    server = ldap3.Server(HOST, port=636, use_ssl=True, tls=tls, get_info=ldap3.NONE)
    for _ in range(3):
        conn = ldap3.Connection(server, f"{user}@{dc.upn_suffix}", "not-the-password")
        assert not conn.bind()
        conn.unbind()


@pytest.fixture(scope="session")
def samba_dc() -> Iterator[SambaDC]:
    started = time.monotonic()
    _install()
    for port in (389, 636):
        if not _port_free(port):
            pytest.fail(f"port {port} on 127.0.0.1 is taken; the Samba AD DC tests need it")
    root = Path(tempfile.mkdtemp(prefix="irtis-samba-"))
    dc = None
    try:
        _run(["samba-tool", "domain", "provision", "--use-rfc2307", f"--realm={REALM}",
              f"--domain={DOMAIN}", "--server-role=dc", "--dns-backend=NONE",
              f"--adminpass={ADMIN_PASSWORD}", f"--targetdir={root}", "--host-name=dc1",
              "--option=interfaces=lo", "--option=bind interfaces only=yes"])
        ca_file, wrong_ca = _certificates(root)
        _configure(root / "etc" / "smb.conf", root)
        dc = SambaDC(root=root, ca_file=ca_file, wrong_ca_file=wrong_ca)
        dc.start()
        _populate(dc)
        _lock_out(dc, "lukas")
        dc.started_in = time.monotonic() - started
        yield dc
    finally:
        if dc is not None:
            dc.stop()
        shutil.rmtree(root, ignore_errors=True)
