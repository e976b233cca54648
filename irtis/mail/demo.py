"""Demo of the customs Exchange organisation (shared domain facts, section 4; synthetic): four
mailbox servers on virtual machines in DC1 and DC2 in one DAG, four databases with two copies each
(one copy failed), the gateway, connectors, accepted domains and certificates (one expiring soon)."""

import datetime

from django.utils import timezone

from irtis.core.demo import ensure
from irtis.inventory.models import SoftwareVersion
from irtis.virtualization.models import VirtualMachine

from .models import (
    AcceptedDomain,
    Connector,
    DatabaseAvailabilityGroup,
    DatabaseCopy,
    MailboxDatabase,
    MailCertificate,
    MailServer,
    MailSystem,
)

INSPECTED = datetime.datetime(2026, 11, 30, 7, 0, tzinfo=datetime.UTC)
MAILBOX = ["exch-01", "exch-02", "exch-03", "exch-04"]  # 01–02 in DC1, 03–04 in DC2
# database, (server, status, copy queue, replay queue) in activation order
COPIES = [
    ("DB01", [("exch-01", "mounted", 0, 0), ("exch-03", "healthy", 0, 2)]),
    ("DB02", [("exch-02", "mounted", 0, 0), ("exch-04", "healthy", 1, 0)]),
    ("DB03", [("exch-03", "mounted", 0, 0), ("exch-01", "healthy", 0, 0)]),
    ("DB04", [("exch-04", "mounted", 0, 0), ("exch-02", "failed", 412, 0)]),
]
THUMBPRINTS = {
    "mail": "3F2A9C41D07B5E8816AC2F90B4E7D3615C08A9F2",
    "smtp": "A81C5E0F93D24B7760E1F3A2C9B85D4E17F06C3B",
    "auth": "5D0E7B2C91F84A3365D2C0E9A1B47F8E2C93D650",
}


def load() -> None:
    exchange = ensure(MailSystem, "name", {
        "name": "Muitinės Exchange", "domains": "lrmuitine.lt, cust.lt",
        "software_version": SoftwareVersion.objects.get(name="Exchange Server 2019 CU15"),
        "description": "El. pašto sistema, DAG iš 4 mazgų (DC1 ir DC2)"})
    servers = {}
    for n, name in enumerate(MAILBOX, start=1):
        servers[name] = ensure(MailServer, "name", {
            "name": name, "mail_system": exchange, "role": "mailbox", "device": None,
            "virtual_machine": VirtualMachine.objects.get(name=f"{name}.prod"),
            "description": f"DAG narys, {'DC1' if n <= 2 else 'DC2'} (virtualioji mašina)"})
    ensure(MailServer, "name", {"name": "smtp-gw-01", "mail_system": exchange, "role": "gateway", "device": None,
                                "description": "Išorinis pašto šliuzas DMZ"})
    _dag(exchange, servers)
    _transport(exchange, servers)
    _domains(exchange)
    _certificates(servers)


def _dag(exchange: MailSystem, servers: dict[str, MailServer]) -> None:
    dag = ensure(DatabaseAvailabilityGroup, "name", {
        "name": "DAG-MUITINE", "mail_system": exchange, "witness_server": "hq-fs-01.ad.lrmuitine.lt",
        "witness_directory": r"C:\DAGWitness\DAG-MUITINE.ad.lrmuitine.lt",
        "description": "Liudytojas Muitinės departamente, trečioje vietoje"})
    if set(dag.members.all()) != set(servers.values()):
        dag.members.set(servers.values())
    for name, copies in COPIES:
        database = ensure(MailboxDatabase, "name", {
            "name": name, "dag": dag, "description": f"Pašto dėžutės, aktyvi kopija {copies[0][0]}"})
        for preference, (server, status, copy_queue, replay_queue) in enumerate(copies, start=1):
            ensure(DatabaseCopy, {"database": database, "server": servers[server]}, {
                "activation_preference": preference, "status": status, "copy_queue_length": copy_queue,
                "replay_queue_length": replay_queue, "last_inspected": INSPECTED})


def _transport(exchange: MailSystem, servers: dict[str, MailServer]) -> None:
    for values in (
        {"name": "Į internetą per šliuzą", "kind": "send", "address_spaces": "*",
         "smart_hosts": "smtp-gw-01.lrmuitine.lt", "fqdn": "mail.lrmuitine.lt", "require_tls": True,
         "description": "Visas išorinis paštas per DMZ šliuzą"},
        {"name": "VMI (privalomas TLS)", "kind": "send", "address_spaces": "vmi.lt", "smart_hosts": "",
         "fqdn": "mail.lrmuitine.lt", "require_tls": True,
         "description": "Abipusis TLS su Valstybine mokesčių inspekcija"},
        {"name": "Iš šliuzo", "kind": "receive", "address_spaces": "", "smart_hosts": "",
         "fqdn": "mail.lrmuitine.lt", "require_tls": True, "description": "Gaunamas paštas iš DMZ šliuzo"},
        {"name": "Programų relė", "kind": "receive", "address_spaces": "", "smart_hosts": "",
         "fqdn": "relay.lrmuitine.lt", "require_tls": False,
         "description": "MDAS, NTKS ir stebėsenos pranešimai iš vidaus tinklo"},
    ):
        connector = ensure(Connector, "name", {"mail_system": exchange, "enabled": True, **values})
        if set(connector.source_servers.all()) != set(servers.values()):
            connector.source_servers.set(servers.values())


def _domains(exchange: MailSystem) -> None:
    for domain, kind, default, selectors, description in (
        ("lrmuitine.lt", "authoritative", True, "s1, s2", "Muitinės pagrindinis pašto domenas"),
        ("cust.lt", "authoritative", False, "s1", "Trumpasis domenas"),
        ("vidus.lrmuitine.lt", "internal_relay", False, "", "Vidaus sistemų pranešimai"),
    ):
        ensure(AcceptedDomain, "domain", {
            "domain": domain, "mail_system": exchange, "kind": kind, "default": default,
            "dkim_selectors": selectors, "description": description})


def _certificates(servers: dict[str, MailServer]) -> None:
    today = timezone.localdate()
    mailbox = list(servers.values())
    for key, values, on in (
        ("mail", {"subject": "CN=mail.lrmuitine.lt, O=Muitinės informacinių sistemų centras, C=LT",
                  "sans": "mail.lrmuitine.lt, autodiscover.lrmuitine.lt, owa.lrmuitine.lt, autodiscover.cust.lt",
                  "services": "IIS, SMTP, IMAP, POP", "issuer": "CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1",
                  "not_before": datetime.date(2026, 1, 12), "not_after": datetime.date(2027, 1, 12),
                  "description": "Viešas sertifikatas: OWA, ActiveSync, Autodiscover"}, mailbox),
        ("smtp", {"subject": "CN=smtp.lrmuitine.lt", "sans": "smtp.lrmuitine.lt, relay.lrmuitine.lt",
                  "services": "SMTP", "issuer": "CN=Muitinės vidinė CA, DC=ad, DC=lrmuitine, DC=lt",
                  # expiring soon on every demo: the expiring certificates page is never empty
                  "not_before": today - datetime.timedelta(days=712), "not_after": today + datetime.timedelta(days=18),
                  "description": "Vidinis SMTP (TLS tarp serverių ir šliuzo); atnaujinti"}, mailbox),
        ("auth", {"subject": "CN=Microsoft Exchange Server Auth Certificate", "sans": "",
                  "services": "SMTP", "issuer": "CN=Microsoft Exchange Server Auth Certificate",
                  "not_before": datetime.date(2022, 3, 1), "not_after": datetime.date(2027, 2, 5),
                  "description": "OAuth sertifikatas (savarankiškai pasirašytas)"}, mailbox),
    ):
        certificate = ensure(MailCertificate, "thumbprint", {"thumbprint": THUMBPRINTS[key], **values})
        if set(certificate.servers.all()) != set(on):
            certificate.servers.set(on)
