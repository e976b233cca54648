"""A small estate for the graph tests: a site with a rack, servers, a cluster, machines, a DBMS
instance and a database, systems with components and deployments."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from irtis.databases.models import Database, DBMSInstance, Engine
from irtis.inventory.models import Device, Rack
from irtis.systems.models import (
    Component,
    Dependency,
    Deployment,
    EUSystem,
    ImportanceCategory,
    InformationSystem,
)
from irtis.virtualization.models import Cluster, ClusterHost, VirtualMachine
from tests.virtualization.factories import cluster, server, site, vm


def category(code: str = "I", analyse: bool = True) -> ImportanceCategory:
    return ImportanceCategory.objects.get_or_create(
        code=code, defaults={"name": f"Kategorija {code}", "rank": len(code), "analyse_spof": analyse},
    )[0]


def system(code: str, cat: str = "I") -> InformationSystem:
    values = {"name": f"Sistema {code}", "category": category(cat)}
    return InformationSystem.objects.get_or_create(code=code, defaults=values)[0]


def component(of: InformationSystem, name: str, targets: list[models.Model], required: int = 1,
              environment: str = "production", kind: str = "application") -> Component:
    made = Component.objects.create(system=of, name=name, kind=kind, required_instances=required,
                                    environment=environment)
    for target in targets:
        deploy(made, target)
    return made


def deploy(to: Component, target: models.Model) -> Deployment:
    field = {VirtualMachine: "virtual_machine", Device: "device", DBMSInstance: "dbms_instance",
             Database: "database"}[type(target)]
    return Deployment.objects.create(component=to, **{field: target})


def depends(source: models.Model, target: models.Model, kind: str = "depends_on", effect: str = "stops") -> Dependency:
    return Dependency.objects.create(
        source_type=ContentType.objects.get_for_model(source), source_id=source.pk, kind=kind, effect=effect,
        target_type=ContentType.objects.get_for_model(target), target_id=target.pk,
    )


def rack(name: str = "R1") -> Rack:
    return Rack.objects.get_or_create(name=name, defaults={"site": site()})[0]


def racked(name: str) -> Device:
    made = server(name)
    made.rack = rack()
    made.save()
    return made


def estate() -> dict[str, Any]:
    """Two hosts in a cluster (in a rack) with three VMs; an Oracle instance on its own server;
    system S with a redundant web tier (2 of 2 deployments, 1 required) and an app tier on one VM."""
    cl = cluster("CL-T")
    hosts = [ClusterHost.objects.create(cluster=cl, device=racked(f"esx-{n}"), cpu_cores=32, memory_gb=256)
             for n in (1, 2)]
    web1, web2, app = vm("web-1", cl), vm("web-2", cl), vm("app-1", cl)
    ora_host = racked("ora-1")
    instance = DBMSInstance.objects.create(name="ORA1", engine=Engine.ORACLE, device=ora_host)
    database = Database.objects.create(instance=instance, name="SDB")
    s = system("S")
    web = component(s, "S web", [web1, web2], required=1, kind="web")
    app_c = component(s, "S app", [app])
    db_c = component(s, "S db", [database], kind="database")
    return {"cluster": cl, "hosts": [h.device for h in hosts], "web1": web1, "web2": web2, "app": app,
            "ora_host": ora_host, "instance": instance, "database": database, "system": s, "web": web,
            "app_c": app_c, "db_c": db_c, "site": site(), "rack": rack()}


def eu(code: str = "NCTS") -> EUSystem:
    return EUSystem.objects.get_or_create(code=code, defaults={"name": code, "area": "transit"})[0]


def any_cluster() -> Cluster:
    return Cluster.objects.filter(name="CL-PROD").first() or cluster()
