"""Demo access: an owner, a security officer and a requester; a system role, an AD group and a
network flow; a request awaiting approval, a granted membership and a draft campaign."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from irtis.core.demo import ensure
from irtis.systems.models import InformationSystem

from .models import AccessRequest, Entitlement, Kind, Membership, RecertificationCampaign

PEOPLE = (
    ("r.savickas", "Rimas", "Savickas", ""),
    ("s.saugaite", "Sigita", "Saugaitė", "security_officer"),
    ("j.prasytojas", "Jonas", "Prašytojas", ""),
)


def load() -> None:
    model = get_user_model()
    people = {}
    for username, first, last, code in PEOPLE:
        people[username] = ensure(model, "username", {
            "username": username, "first_name": first, "last_name": last, "email": f"{username}@muitine.lt",
            "password": "!demo",  # unusable: demo people do not sign in
        })
        if code:
            people[username].groups.add(Group.objects.get(name=code))
    owner, requester = people["r.savickas"], people["j.prasytojas"]
    mdas = InformationSystem.objects.get(code="MDAS")
    role = ensure(Entitlement, "name", {
        "name": "MDAS: deklaracijų tikrintojas", "kind": Kind.SYSTEM_ROLE, "reference": "tikrintojas",
        "owner": owner, "system": mdas, "max_days": 365})
    group = ensure(Entitlement, "name", {
        "name": "MDAS operatoriai (AD)", "kind": Kind.AD_GROUP,
        "reference": "CN=G_MDAS_Operatoriai,OU=Grupes,DC=muitine,DC=lt", "owner": owner, "system": mdas,
        "privileged": True, "max_days": 90})
    ensure(Entitlement, "name", {
        "name": "VPN į MDAS administravimo zoną", "kind": Kind.NETWORK_FLOW, "reference": "FW-MDAS-ADM-22",
        "owner": owner, "system": mdas, "max_days": 30})
    today = timezone.localdate()
    ensure(AccessRequest, {"entitlement": group, "beneficiary": requester}, {
        "requester": requester, "justification": "Naktinės pamainos budėjimas", "valid_from": today,
        "valid_until": today + dt.timedelta(days=60)})
    ensure(Membership, {"entitlement": role, "user": requester}, {"valid_until": today + dt.timedelta(days=300)})
    ensure(RecertificationCampaign, "name", {"name": f"{today.year} m. prieigų peržiūra",
                                             "deadline": today + dt.timedelta(days=30)})
