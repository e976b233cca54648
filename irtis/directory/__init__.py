"""Active Directory as a managed service (statute 2.9): its domains and domain controllers as
records, and a scheduled reading of each domain over LDAPS (sites, subnets, controllers,
replication, FSMO role holders, trusts, health) compared with the records. What differs is shown
to a person to review; nothing in the records changes until someone applies it.
"""
