"""The signed head of the trail (its last id and hash), kept outside the database.

Someone with full database rights can delete the newest entries together with their
checkpoints, or replace the whole trail with a forged, self-consistent chain: nothing left
in the database shows it. So after every commit that appended entries the new head is signed
with the audit key and written to a file in the data directory (and shipped with every syslog
batch, `irtis.audit.syslog`). `verify` then requires the entry the file names to be in the
table with that hash: a trail shorter than its head, or a different chain, fails.

The file only moves forward (a lock file orders concurrent writers; an older head never
replaces a newer one). It may lag behind the table (a process killed between commit and
write): that is allowed, the entries after it are still covered by the chain.
"""

import fcntl
import json
import os
import re
import threading
import weakref
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from . import conf, keys


class HeadError(Exception):
    """The head file exists but cannot be trusted (unreadable or not signed with the key)."""


@dataclass(frozen=True)
class Head:
    entry_id: int
    hash: str
    time: str
    signature: str


def path() -> Path:
    """IRTIS_AUDIT_HEAD_FILE, else a file in the data directory named after the database."""
    if configured := conf.get("IRTIS_AUDIT_HEAD_FILE"):
        return Path(configured)
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", Path(str(connection.settings_dict["NAME"])).name)
    return Path(settings.DATA_DIR) / f"audit_head.{connection.vendor}.{name}.json"


def message(entry_id: int, entry_hash: str, time: str) -> bytes:
    return f"irtis-audit-head:v1:{entry_id}:{entry_hash}:{time}".encode()


def signed(entry_id: int, entry_hash: str) -> Head:
    time = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return Head(entry_id, entry_hash, time, keys.sign(message(entry_id, entry_hash, time)))


def read() -> Head | None:
    """The head in the file; None if there is none yet."""
    target = path()
    try:
        data = json.loads(target.read_text())
        head = Head(int(data["id"]), str(data["hash"]), str(data["time"]), str(data["signature"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise HeadError(f"{target} is unreadable: {exc}") from exc
    if not keys.valid(message(head.entry_id, head.hash, head.time), head.signature):
        raise HeadError(f"{target} is not signed with this key ({keys.key_id()})")
    return head


def advance(entry_id: int, entry_hash: str) -> None:
    """Write the head unless the file already names this entry or a later one."""
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.with_name(target.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            current = read()
        except HeadError:
            current = None  # replaced by a good one; verify reported the bad one
        if current is not None and current.entry_id >= entry_id:
            return
        head = signed(entry_id, entry_hash)
        temp = target.with_name(f".{target.name}.{os.getpid()}")
        temp.write_text(json.dumps(
            {"id": head.entry_id, "hash": head.hash, "time": head.time, "signature": head.signature}
        ) + "\n")
        # No fsync (it would cost every write request a disk flush): a crash may leave the
        # previous head, which verify accepts; rename keeps the file whole either way.
        os.replace(temp, target)


def write_on_commit(entry_id: int, entry_hash: str) -> None:
    """Advance the head once the appending transaction has committed (a failure to write is
    logged, not raised: the entries are committed, and the head may lag)."""
    transaction.on_commit(_Advance(entry_id, entry_hash), robust=True)


class _Registered(threading.local):
    """This thread's head callbacks, oldest first (weak references)."""

    def __init__(self) -> None:
        self.callbacks: deque[weakref.ref[_Advance]] = deque()


_registered = _Registered()


class _Advance:
    """The commit callback of one append. A transaction of many appends (an import, the demo)
    writes the file once, at its last callback: one whose later ones are still alive leaves the
    writing to them. A callback discarded with its rolled-back savepoint is never run and dies
    with Django's record of it, so alive-and-later means it will run after this one: the head
    never names an entry that was rolled back."""

    __slots__ = ("__weakref__", "entry_hash", "entry_id")

    def __init__(self, entry_id: int, entry_hash: str) -> None:
        self.entry_id, self.entry_hash = entry_id, entry_hash
        pending = _registered.callbacks
        while pending and pending[-1]() is None:  # those of rolled-back transactions
            pending.pop()
        pending.append(weakref.ref(self))

    def __call__(self) -> None:
        pending = _registered.callbacks
        while pending:  # the earlier ones have run or were discarded
            if pending.popleft()() is self:
                break
        if not any(later() is not None for later in pending):
            pending.clear()
            advance(self.entry_id, self.entry_hash)
