"""SNMP discovery of a device: read the agent (`snmp`), compare with the records (`plan`), apply.

The reading is turned into a plan of creates and updates that the user sees before anything is
written; applying rebuilds the plan from the same reading against the records as they are then
and refuses if it differs from what the user confirmed (see `plan.apply`). Credentials are used
for one read and never stored.
"""
