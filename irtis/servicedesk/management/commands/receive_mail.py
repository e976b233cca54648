"""`irtis receive_mail`: run the service desk's SMTP receiver until stopped."""

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from irtis.servicedesk.smtp import controller


class Command(BaseCommand):
    help = "Receive the service desk's e-mail over SMTP (aiosmtpd) and turn it into requests."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=2525)

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        # Connections kept for the receiver's life (SQLite's settings close them after each
        # request: a reconnect per message cost more than storing it).
        connection.settings_dict["CONN_MAX_AGE"] = None
        receiver = controller(host, port)
        receiver.start()
        self.stdout.write(f"Receiving mail on {host}:{port}")
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
        finally:
            receiver.stop()
