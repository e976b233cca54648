"""The platform contract for every systems model: pages, API, import/export, search, audit."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models

from irtis.inventory.models import Location, Site
from irtis.network.models import SecurityZone
from irtis.systems.models import (
    Certificate,
    Component,
    ConformanceCampaign,
    Dependency,
    Deployment,
    EUSystem,
    FailoverPath,
    ImportanceCategory,
    InformationSystem,
    Interconnection,
    SystemSite,
)
from tests.support.contract import PAGE_QUERY_BUDGET, ModelContract
from tests.virtualization.factories import server, vm

from .factories import any_cluster, category, eu, system


class TestImportanceCategory(ModelContract):
    model = ImportanceCategory
    change = {"name": "Pervadinta"}

    def make(self, n: int) -> ImportanceCategory:
        return ImportanceCategory.objects.create(code=f"K{n}", name=f"Kategorija {n}", rank=n)

    def new_values(self) -> dict:
        return {"code": "NEW", "name": "Nauja kategorija", "rank": 4, "analyse_spof": True}


class TestInformationSystem(ModelContract):
    model = InformationSystem
    change = {"name": "Pervadinta sistema"}
    # The hub page: availability (one reading of the service level, maintenance and changes for
    # day, month, year and the 90-day strip), backups, risks and architecture conformance panels,
    # the impact walk (on PostgreSQL inside a savepoint with JIT off: 3 statements).
    detail_budget = PAGE_QUERY_BUDGET + 9

    def many_targets(self, field: models.ManyToManyField, n: int) -> list:
        if field.name == "sites":
            return [Site.objects.create(code=f"PKP{i}", name=f"Postas {i}", kind="road_bcp") for i in range(n)]
        if field.name == "responsible":
            from django.contrib.auth import get_user_model

            start = get_user_model().objects.count()
            return [get_user_model().objects.create_user(f"atsakingas{start + i}", first_name=f"Atsakingas {i}")
                    for i in range(n)]
        return super().many_targets(field, n)

    def make(self, n: int) -> InformationSystem:
        return InformationSystem.objects.create(code=f"SYS{n}", name=f"Sistema {n}", category=category())

    def new_values(self) -> dict:
        return {"code": "NTKS", "name": "Nacionalinė tranzito kontrolės sistema", "category": category(),
                "rto_hours": "2.00", "rpo_minutes": 5, "availability_target": "99.700", "lifecycle": "production",
                "security_officer": "Saugos įgaliotinis"}


class TestComponent(ModelContract):
    model = Component
    change = {"required_instances": 3}

    def many_targets(self, field: models.ManyToManyField, n: int) -> list:
        if field.name == "zones":
            return [SecurityZone.objects.create(code=f"Z{i}", name=f"Zona {i}") for i in range(n)]
        return super().many_targets(field, n)

    def make(self, n: int) -> Component:
        return Component.objects.create(system=system("MDAS"), name=f"Komponentas{n}", kind="web")

    def new_values(self) -> dict:
        return {"system": system("NTKS"), "environment": "test", "kind": "application", "name": "NTKS app",
                "required_instances": 2}


class TestDeployment(ModelContract):
    model = Deployment
    change = {"description": "Perkelta"}

    def make(self, n: int) -> Deployment:
        component = Component.objects.get_or_create(system=system("MDAS"), name="Diegimas", kind="web")[0]
        return Deployment.objects.create(component=component, virtual_machine=vm(f"mdas-web-{n}", any_cluster()))

    def new_values(self) -> dict:
        component = Component.objects.create(system=system("NTKS"), name="NTKS db", kind="database")
        return {"component": component, "device": server("dc1-ora-09"), "description": "RAC mazgas"}


class TestEUSystem(ModelContract):
    model = EUSystem
    change = {"name": "Pervadinta"}

    def make(self, n: int) -> EUSystem:
        return EUSystem.objects.create(code=f"EU{n}", name=f"ES sistema {n}", area="transit")

    def new_values(self) -> dict:
        return {"code": "ICS2", "name": "Import Control System 2", "area": "transit"}


class TestInterconnection(ModelContract):
    model = Interconnection
    change = {"queue": "LT.NCTS.P6.IN"}

    def make(self, n: int) -> Interconnection:
        return Interconnection.objects.create(name=f"LINK{n} ryšys", system=system("NTKS"), eu_system=eu(),
                                              protocol="ccn_csi")

    def new_values(self) -> dict:
        return {"name": "MDAS–AES", "system": system("MDAS"), "eu_system": eu("AES"), "protocol": "ccn_csi",
                "gateway_device": server("dc1-ccn-01"), "queue": "LT.AES.IN"}


class TestCertificate(ModelContract):
    model = Certificate
    change = {"expires": datetime.date(2031, 1, 31)}

    def make(self, n: int) -> Certificate:
        return Certificate.objects.create(subject=f"CERT{n}.lrmuitine.lt", issuer="CN=CCN PKI CA", serial=f"S{n}",
                                          expires=datetime.date(2027, 1, n + 1))

    def new_values(self) -> dict:
        return {"subject": "CN=ntks-ccn.lrmuitine.lt", "issuer": "CN=CCN PKI CA", "serial": "4F2A01",
                "expires": datetime.date(2027, 6, 30), "not_before": datetime.date(2025, 6, 30)}


class TestConformanceCampaign(ModelContract):
    model = ConformanceCampaign
    change = {"result": "passed"}

    def make(self, n: int) -> ConformanceCampaign:
        return ConformanceCampaign.objects.create(name=f"Kampanija{n}", eu_system=eu(), system=system("NTKS"),
                                                  started=datetime.date(2026, 2, n + 1))

    def new_values(self) -> dict:
        return {"name": "NCTS P6 testai", "eu_system": eu(), "system": system("NTKS"),
                "started": datetime.date(2026, 2, 2), "result": "running"}


class TestDependency(ModelContract):
    model = Dependency
    change = {"description": "Pakeista"}

    def make(self, n: int) -> Dependency:
        source = Site.objects.create(code=f"DS{n}", name=f"Šaltinis {n}", kind="datacentre")
        target = Site.objects.get_or_create(code="DT", defaults={"name": "Tikslas", "kind": "datacentre"})[0]
        kind = ContentType.objects.get_for_model(Site)
        return Dependency.objects.create(source_type=kind, source_id=source.pk, target_type=kind, target_id=target.pk)

    def new_values(self) -> dict:
        kind = ContentType.objects.get_for_model(Site)
        a = Site.objects.create(code="NA", name="A", kind="datacentre")
        b = Site.objects.create(code="NB", name="B", kind="datacentre")
        return {"source_type": kind, "source_id": a.pk, "kind": "powered_by", "effect": "degrades",
                "target_type": kind, "target_id": b.pk}

    def differ(self, name: str, first: Dependency, second: Dependency) -> str:
        """The ends are a type and an id together: change both."""
        end = name.removesuffix("_type").removesuffix("_id")
        if end not in ("source", "target"):
            return super().differ(name, first, second)
        if name.endswith("_type"):
            other = Location.objects.create(site=Site.objects.get(code="DT"), code=f"DL-{end}", name="Patalpa")
        else:
            other = Site.objects.create(code=f"DX-{end}", name="Kitas", kind="datacentre")
        setattr(first, f"{end}_type", ContentType.objects.get_for_model(other))
        setattr(first, f"{end}_id", other.pk)
        first.full_clean()
        first.save()
        return str(getattr(first, f"{end}_type_id" if name.endswith("_type") else f"{end}_id"))


class TestSystemSite(ModelContract):
    model = SystemSite
    change = {"workstations": 12}

    def make(self, n: int) -> SystemSite:
        site = Site.objects.create(code=f"P{n}", name=f"Postas {n}", kind="road_bcp")
        return SystemSite.objects.create(system=system("MDAS"), site=site, fallback_procedure=True)

    def new_values(self) -> dict:
        site = Site.objects.create(code="MED", name="Medininkų PKP", kind="road_bcp")
        return {"system": system("NTKS"), "site": site, "workstations": 24, "fallback_procedure": True}


def failover_objects(n: int) -> dict:
    """A system with a production component at site A<n> and its standby at site B<n>."""
    primary_site, standby_site = (Site.objects.create(code=f"{c}{n}", name=f"Duomenų centras {c}{n}",
                                                      kind="datacentre") for c in ("A", "B"))
    owner = system(f"FO{n}")
    primary = Component.objects.create(system=owner, name=f"FO{n} app", kind="application")
    Deployment.objects.create(component=primary, device=server(f"p{n}", at=primary_site))
    spare = Component.objects.create(system=owner, name=f"FO{n} app (DR)", kind="application", standby_for=primary)
    standby = Deployment.objects.create(component=spare, device=server(f"s{n}", at=standby_site))
    return {"system": owner, "component": primary, "primary_site": primary_site, "standby_site": standby_site,
            "standby": standby}


class TestFailoverPath(ModelContract):
    model = FailoverPath
    change = {"method": "automatic"}

    def make(self, n: int) -> FailoverPath:
        return FailoverPath.objects.create(
            **failover_objects(n), rto_hours=n + 1, test_result="passed" if n % 2 == 0 else "failed",
            last_tested=datetime.date(2026, 1, 1) + datetime.timedelta(days=n))

    def new_values(self) -> dict:
        return {**failover_objects(99), "rto_hours": "4.00", "method": "automatic",
                "last_tested": "2026-03-01", "test_result": "passed", "description": "Pratybos"}
