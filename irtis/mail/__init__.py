"""E-mail as a managed service (statute 2.8): the Exchange organisation, its servers, DAGs, databases and
their copies, connectors, accepted domains with their SPF/DKIM/DMARC records, and certificates."""
