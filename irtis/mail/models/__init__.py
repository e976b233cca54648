"""Mail models, one module per concept: systems and servers, the Exchange DAG, transport, domains,
certificates."""

from .certificates import MailCertificate
from .domains import AcceptedDomain, DomainCheck
from .exchange import DatabaseAvailabilityGroup, DatabaseCopy, MailboxDatabase
from .servers import MailServer, MailSystem
from .transport import Connector

__all__ = [
    "AcceptedDomain",
    "Connector",
    "DatabaseAvailabilityGroup",
    "DatabaseCopy",
    "DomainCheck",
    "MailCertificate",
    "MailServer",
    "MailSystem",
    "MailboxDatabase",
]
