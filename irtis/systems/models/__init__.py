"""Information systems (statute 1.1, 2.18): systems, components, deployments, EU systems,
interconnections, certificates, conformance campaigns and the typed dependency graph."""

from .catalogue import Component, Deployment, ImportanceCategory, InformationSystem, SystemSite
from .dependency import Dependency
from .edge import Edge
from .eu import Certificate, ConformanceCampaign, EUSystem, Interconnection
from .failover import FailoverPath

__all__ = [
    "Certificate", "Component", "ConformanceCampaign", "Dependency", "Deployment", "EUSystem", "Edge", "FailoverPath",
    "ImportanceCategory", "InformationSystem", "Interconnection", "SystemSite",
]
