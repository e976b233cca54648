"""How `irtis serve`'s gunicorn spreads connections over its workers.

A gthread worker serves every request of the connections it accepted, and which of the workers,
all woken by a new connection, accepts it is a race: on two busy cores one worker could accept
six or all eight of eight clients' connections while the other sat idle for as long as they
lived. Here each worker's count of open connections is kept in memory shared by all of them, and
a worker holding more than another leaves a new connection to that one."""

import socket
import time
from multiprocessing.sharedctypes import RawArray
from typing import Any

from gunicorn.workers.gthread import ThreadWorker

SLOTS = 64  # workers sharing their counts (more, added by TTIN, accept as gunicorn's do)
LEAVE_FOR = 0.05  # s: a worker holding fewer that has not accepted by then (hung, full) is not waited for


class BalancedThreadWorker(ThreadWorker):
    """gunicorn's gthread worker that leaves a new connection to a worker holding fewer."""

    held: Any = None  # every worker's count, -1 for a free slot; given by `balanced` before the fork
    slot = -1
    _own = 0
    _leaving_since: float | None = None
    _offered = False

    @property
    def nr_conns(self) -> int:  # gunicorn's count of this worker's connections
        return self._own

    @nr_conns.setter
    def nr_conns(self, value: int) -> None:
        self._own = value
        if self.held is not None:
            self.held[self.slot] = value

    def accept(self, listener: socket.socket) -> None:
        self._offered = True
        if self._holds_more():
            now = time.monotonic()
            if self._leaving_since is None:
                self._leaving_since = now
            if now - self._leaving_since < LEAVE_FOR:
                time.sleep(0.001)  # the listener stays readable: not a busy loop meanwhile
                return
        self._leaving_since = None
        super().accept(listener)

    def wait_for_and_dispatch_events(self, timeout: float | None) -> None:
        self._offered = False
        super().wait_for_and_dispatch_events(timeout)
        if not self._offered:
            self._leaving_since = None  # the connection left was taken by another

    def _holds_more(self) -> bool:
        if self.held is None:
            return False
        mine = self._own
        return any(0 <= count < mine for slot, count in enumerate(self.held) if slot != self.slot)


def balanced() -> dict[str, Any]:
    """gunicorn settings for workers that share their counts: the worker class, and the arbiter's
    hooks giving each new worker a free slot and freeing a dead one's."""
    held = RawArray("i", [-1] * SLOTS)

    def pre_fork(server: Any, worker: BalancedThreadWorker) -> None:
        taken = {other.slot for other in server.WORKERS.values()}
        free = next((slot for slot in range(SLOTS) if slot not in taken), None)
        if free is not None:
            held[free] = 0
            worker.held, worker.slot = held, free

    def child_exit(server: Any, worker: BalancedThreadWorker) -> None:
        if worker.slot >= 0:
            held[worker.slot] = -1

    return {"worker_class": BalancedThreadWorker, "pre_fork": pre_fork, "child_exit": child_exit}
