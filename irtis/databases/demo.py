"""Demo DBMS instances and databases (shared domain facts, section 4): Oracle RAC in DC1 with
Data Guard standbys in DC2, an MS SQL Server availability group, PostgreSQL on virtual machines,
and pre-production, test and development copies.

Oracle databases are pluggable databases of the RAC's container database; they are recorded on
the RAC's first node.
"""

from decimal import Decimal

from irtis.core.demo import ensure
from irtis.inventory.models import Device, SoftwareVersion, Team
from irtis.virtualization.models import Environment, VirtualMachine

from .models import Database, DBMSInstance, Engine

E = Environment
R = DBMSInstance.Role
VERSIONS = {
    Engine.ORACLE: "Oracle Database 19c",
    Engine.POSTGRESQL: "PostgreSQL 16",
    Engine.MSSQL: "SQL Server 2019",
}
CHARSETS: dict[str, str] = {
    Engine.ORACLE: "AL32UTF8",
    Engine.POSTGRESQL: "UTF8",
    Engine.MSSQL: "Lithuanian_100_CI_AS",
}

# name, engine, server or virtual machine, role, cluster, environment, description
INSTANCES = [
    (
        "ORAPRDA1",
        Engine.ORACLE,
        "dc1-ora-01",
        R.RAC_NODE,
        "RAC-PRD-A",
        E.PRODUCTION,
        "Oracle RAC A 1-asis mazgas: deklaravimo ir tranzito sistemos",
    ),
    (
        "ORAPRDA2",
        Engine.ORACLE,
        "dc1-ora-02",
        R.RAC_NODE,
        "RAC-PRD-A",
        E.PRODUCTION,
        "Oracle RAC A 2-asis mazgas",
    ),
    (
        "ORAPRDB1",
        Engine.ORACLE,
        "dc1-ora-03",
        R.RAC_NODE,
        "RAC-PRD-B",
        E.PRODUCTION,
        "Oracle RAC B 1-asis mazgas: tarifas, apskaita, rizikos DWH",
    ),
    (
        "ORAPRDB2",
        Engine.ORACLE,
        "dc1-ora-04",
        R.RAC_NODE,
        "RAC-PRD-B",
        E.PRODUCTION,
        "Oracle RAC B 2-asis mazgas",
    ),
    (
        "ORASBYA",
        Engine.ORACLE,
        "dc2-ora-01",
        R.STANDBY,
        "DG-PRD-A",
        E.PRODUCTION,
        "Data Guard atsarginė RAC A kopija rezerviniame DC",
    ),
    (
        "ORASBYB",
        Engine.ORACLE,
        "dc2-ora-02",
        R.STANDBY,
        "DG-PRD-B",
        E.PRODUCTION,
        "Data Guard atsarginė RAC B kopija rezerviniame DC",
    ),
    (
        "MSSQLPRD1",
        Engine.MSSQL,
        "dc1-sql-01",
        R.PRIMARY,
        "AG-PRD",
        E.PRODUCTION,
        "MS SQL Server prieinamumo grupės pagrindinė replika",
    ),
    (
        "MSSQLPRD2",
        Engine.MSSQL,
        "dc1-sql-02",
        R.REPLICA,
        "AG-PRD",
        E.PRODUCTION,
        "Sinchroninė replika DC1",
    ),
    (
        "MSSQLDR1",
        Engine.MSSQL,
        "dc2-sql-01",
        R.REPLICA,
        "AG-PRD",
        E.PRODUCTION,
        "Asinchroninė replika rezerviniame DC",
    ),
    (
        "PGPRD1",
        Engine.POSTGRESQL,
        "pgsql-01.prod",
        R.PRIMARY,
        "PG-PRD",
        E.PRODUCTION,
        "PostgreSQL (Patroni) klasterio pagrindinis mazgas",
    ),
    (
        "PGPRD2",
        Engine.POSTGRESQL,
        "pgsql-02.prod",
        R.STANDBY,
        "PG-PRD",
        E.PRODUCTION,
        "PostgreSQL srautinės replikacijos atsarginis mazgas",
    ),
    (
        "PGCMDB",
        Engine.POSTGRESQL,
        "cmdb-01.prod",
        R.STANDALONE,
        "",
        E.PRODUCTION,
        "irtis (CMDB) duomenų bazė",
    ),
    (
        "ORAPP1",
        Engine.ORACLE,
        "ora-01.preprod",
        R.STANDALONE,
        "",
        E.PRE_PRODUCTION,
        "Parengiamosios aplinkos Oracle egzempliorius",
    ),
    (
        "PGPP1",
        Engine.POSTGRESQL,
        "pgsql-01.preprod",
        R.STANDALONE,
        "",
        E.PRE_PRODUCTION,
        "Parengiamosios aplinkos PostgreSQL",
    ),
    (
        "ORATST1",
        Engine.ORACLE,
        "ora-01.test",
        R.STANDALONE,
        "",
        E.TEST,
        "Bandomosios aplinkos Oracle egzempliorius",
    ),
    (
        "PGTST1",
        Engine.POSTGRESQL,
        "pgsql-01.test",
        R.STANDALONE,
        "",
        E.TEST,
        "Bandomosios aplinkos PostgreSQL",
    ),
    (
        "MSSQLTST1",
        Engine.MSSQL,
        "mssql-01.test",
        R.STANDALONE,
        "",
        E.TEST,
        "Bandomosios aplinkos MS SQL Server",
    ),
    (
        "ORADEV1",
        Engine.ORACLE,
        "ora-01.dev",
        R.STANDALONE,
        "",
        E.DEVELOPMENT,
        "Kūrimo aplinkos Oracle egzempliorius",
    ),
    (
        "PGDEV1",
        Engine.POSTGRESQL,
        "pgsql-01.dev",
        R.STANDALONE,
        "",
        E.DEVELOPMENT,
        "Kūrimo aplinkos PostgreSQL",
    ),
]

# instance, database, size GB, description
DATABASES = [
    ("ORAPRDA1", "MDAS", "4200", "Muitinės deklaracijų apdorojimo sistemos duomenų bazė"),
    ("ORAPRDA1", "IMDAS", "1800", "Išmaniosios MDAS (importo deklaracijų) duomenų bazė"),
    ("ORAPRDA1", "NTKS", "2600", "Nacionalinės tranzito kontrolės sistemos duomenų bazė"),
    ("ORAPRDA1", "IDAIS", "900", "Intrastat duomenų bazė"),
    ("ORAPRDA1", "GVS", "300", "Garantijų valdymo sistemos duomenų bazė"),
    ("ORAPRDA1", "MLS", "250", "Muitinės leidimų sistemos duomenų bazė"),
    ("ORAPRDB1", "LITAR", "400", "Integruoto tarifo duomenų bazė"),
    ("ORAPRDB1", "MAPS", "350", "Mokesčių apskaičiavimo ir patikrinimo duomenų bazė"),
    ("ORAPRDB1", "MAKIS", "1200", "Muitinės apskaitos ir kontrolės duomenų bazė"),
    ("ORAPRDB1", "SMS", "80", "Muitinės žymų (spaudų) duomenų bazė"),
    ("ORAPRDB1", "DWH_RISK", "9500", "Rizikos analizės duomenų saugykla"),
    ("ORAPRDB1", "AUDITLOG", "3100", "Informacinių sistemų audito žurnalų duomenų bazė"),
    ("PGPRD1", "bap", "120", "Bendro naudotojų valdymo portalo duomenų bazė"),
    ("PGPRD1", "ppmks", "600", "Prekių pateikimo muitinei duomenų bazė"),
    ("PGPRD1", "ics2_nat", "1400", "ICS2 nacionalinės dalies duomenų bazė"),
    ("PGCMDB", "cmdb", "15", "irtis: infrastruktūros apskaita ir audito žurnalas"),
    (
        "MSSQLPRD1",
        "ANPR",
        "2200",
        "Valstybinių numerių ir konteinerių kodų atpažinimo duomenų bazė",
    ),
    ("MSSQLPRD1", "XRAY", "5400", "Rentgeno vaizdų mainų tinklo duomenų bazė"),
    ("MSSQLPRD1", "SCCM", "180", "Kompiuterių konfigūracijos valdymo (SCCM) duomenų bazė"),
    ("MSSQLPRD1", "VOIP", "60", "IP telefonijos skambučių apskaitos duomenų bazė"),
    ("ORAPP1", "MDAS_PP", "1500", "MDAS parengiamosios aplinkos kopija"),
    ("ORAPP1", "NTKS_PP", "900", "NTKS parengiamosios aplinkos kopija"),
    ("PGPP1", "bap_pp", "40", "BAP parengiamosios aplinkos kopija"),
    ("ORATST1", "MDAS_TST", "800", "MDAS bandomoji duomenų bazė (nuasmeninti duomenys)"),
    ("ORATST1", "IMDAS_TST", "400", "iMDAS bandomoji duomenų bazė"),
    ("ORATST1", "NTKS_TST", "500", "NTKS bandomoji duomenų bazė"),
    ("PGTST1", "bap_tst", "20", "BAP bandomoji duomenų bazė"),
    ("PGTST1", "ics2_nat_tst", "150", "ICS2 bandomoji duomenų bazė"),
    ("MSSQLTST1", "ANPR_TST", "200", "ANPR bandomoji duomenų bazė"),
    ("ORADEV1", "MDAS_DEV", "120", "MDAS kūrimo duomenų bazė"),
    ("PGDEV1", "bap_dev", "5", "BAP kūrimo duomenų bazė"),
]


def load() -> None:
    hosts = [h for _, _, h, *_ in INSTANCES]
    devices = {d.name: d for d in Device.objects.filter(name__in=hosts)}
    machines = {m.name: m for m in VirtualMachine.objects.filter(name__in=hosts)}
    versions = {v.name: v for v in SoftwareVersion.objects.filter(name__in=VERSIONS.values())}
    if missing := set(VERSIONS.values()) - set(versions):
        raise LookupError(f"the inventory demo has no software version {sorted(missing)}")
    team = Team.objects.filter(name__startswith="Duomenų bazių").order_by("name").first()
    instances = {}
    for name, engine, host, role, cluster, environment, description in INSTANCES:
        device, machine = devices.get(host), machines.get(host)
        if device is None and machine is None:
            raise LookupError(f"the inventory demo has no server or virtual machine {host!r} for {name}")
        instances[name] = ensure(
            DBMSInstance,
            "name",
            {
                "name": name,
                "engine": engine,
                "software_version": versions[VERSIONS[engine]],
                "device": device,
                "virtual_machine": None if device else machine,
                "role": role,
                "cluster_name": cluster,
                "environment": environment,
                "team": team,
                "description": description,
            },
        )
    for instance_name, name, size_gb, description in DATABASES:
        instance = instances.get(instance_name)
        if instance is None:
            continue
        _ensure_database(
            {
                "instance": instance,
                "name": name,
                "size_gb": Decimal(size_gb),
                "character_set": CHARSETS[instance.engine],
                "description": description,
            }
        )


def _ensure_database(values: dict) -> None:
    """`core.demo.ensure` for a database, whose name is unique only within its instance."""
    database = Database.objects.filter(instance=values["instance"], name=values["name"]).first()
    if database is None:
        database = Database(**values)
    elif all(getattr(database, k) == v for k, v in values.items()):
        return
    for name, value in values.items():
        setattr(database, name, value)
    database.full_clean()
    database.save()
