"""Background work on Django's Tasks API: runs, progress, retries, one run per object, schedules.

A job is a task (`irtis.tasks.runs.job`) whose every start is a `Run` row: who started it, on
which object, its attempts, progress and error. The engine is the embedded database queue or RQ,
chosen by IRTIS_TASKS; `irtis worker` works a queue off and keeps schedules and lost runs.
"""
