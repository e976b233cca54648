"""One writer of incidents at a time.

Checks' batches and alert webhooks (several server threads and processes) open, merge and
resolve incidents concurrently; each decides from what it reads (the open incidents, the next
incident number), so two of them at once could open two incidents for one cause or take one
number twice (a unique-key error: a lost notification). `incidents()` takes a transaction-level
lock on PostgreSQL (`pg_advisory_xact_lock`, released at commit or rollback) before reading;
SQLite already lets one transaction write at a time. Call it inside the transaction.
"""

from django.db import connection

KEY = 0x69727469_730C  # "irtis", 12: an arbitrary 64-bit key of this lock


def incidents() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [KEY])
