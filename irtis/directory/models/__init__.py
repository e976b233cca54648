"""The directory's records (domains, controllers) and what a reading of AD found."""

from .readings import ReadController, Reading, ReadSite, ReadSubnet, ReplicationConnection, Trust
from .records import FSMO_ROLES, DirectoryDomain, DomainController, DomainSecret

__all__ = [
    "FSMO_ROLES",
    "DirectoryDomain",
    "DomainController",
    "DomainSecret",
    "ReadController",
    "ReadSite",
    "ReadSubnet",
    "Reading",
    "ReplicationConnection",
    "Trust",
]
