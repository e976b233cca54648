"""Run irtis in production: migrate, make sure an administrator exists, start gunicorn and the
embedded task worker (with IRTIS_TASKS=database)."""

import os
import secrets
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.core.servers.basehttp import get_internal_wsgi_application
from django.db.models import Q
from gunicorn.app.base import BaseApplication
from gunicorn.http.wsgi import Response

from irtis.audit import roles
from irtis.audit.context import changes_by
from irtis.audit.models import Source
from irtis.core import serving

PASSWORD_FILE = settings.DATA_DIR / "initial_admin_password"


def _without_server_header(response: Response) -> list[str]:
    """gunicorn's own header lines but its `Server` (name and version, a guide to its known
    flaws); gunicorn has no setting for it."""
    return [line for line in _gunicorn_headers(response) if not line.startswith("Server:")]


_gunicorn_headers = Response.default_headers


class Server(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)
        Response.default_headers = _without_server_header  # type: ignore[method-assign,assignment]  # before the workers fork

    def load(self) -> Any:
        return get_internal_wsgi_application()  # settings.WSGI_APPLICATION: irtis.wsgi's


def gunicorn_options(host: str, port: int, workers: int) -> dict[str, Any]:
    """How gunicorn serves irtis (also what the HTTP benchmarks serve their bare application with).
    `IRTIS_THREADS` threads a worker: requests that wait on the database (an alert webhook's
    commit) leave the processor to others; more of them gather in one commit (irtis.monitoring.inbox)."""
    return {"bind": f"{host}:{port}", "workers": workers, "threads": settings.IRTIS_THREADS, "accesslog": "-",
            "timeout": 120, **serving.balanced()}


def first_administrator() -> tuple[str, str | None]:
    """Create `admin` with a random password when there is no administrator; return its sign-in.
    (Other users may exist already: the demo's people, or users signed in from AD.)"""
    User = get_user_model()
    if not User.objects.filter(Q(is_superuser=True) | Q(username="admin")).exists():
        password = secrets.token_urlsafe(12)
        with changes_by(source=Source.CLI):
            User.objects.create_superuser("admin", "", password)
        PASSWORD_FILE.write_text(password)
        PASSWORD_FILE.chmod(0o600)
    admin = User.objects.filter(username="admin").first()
    if admin and PASSWORD_FILE.exists():
        password = PASSWORD_FILE.read_text().strip()
        if admin.check_password(password):
            return "admin", password
        PASSWORD_FILE.unlink()  # changed since: never print it again
    return "admin", None


class Command(BaseCommand):
    help = "Apply migrations and serve irtis with gunicorn (IRTIS_HOST, IRTIS_PORT, IRTIS_WORKERS)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("IRTIS_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("IRTIS_PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("IRTIS_WORKERS", "2")))

    def handle(self, *args: Any, host: str, port: int, workers: int, **options: Any) -> None:
        roles.refuse_privileged("serve")
        # Migrations run in a process of their own: what loading them costs (~100 MB) would
        # otherwise stay in this process and be inherited by every forked worker.
        # This command has just run the system checks: the migrations do not run them again.
        subprocess.run([sys.executable, "-m", "irtis.cli", "migrate", "--no-input", "-v", "0", "--skip-checks"],
                       check=True)
        # Static files under hashed names with gzip copies (irtis.core.staticfiles); in this
        # process, so that the workers it forks start with the manifest loaded.
        call_command("collectstatic", interactive=False, verbosity=0)
        username, password = first_administrator()
        shown_host = f"[{host}]" if ":" in host else host
        self.stdout.write(self.style.SUCCESS(f"irtis: http://{shown_host}:{port}/"))
        if password:
            self.stdout.write(f"Sign in as: {username} / {password}")
        # The embedded task queue's worker runs beside the web server: no other service to start.
        worker = None
        if settings.IRTIS_TASKS == "database":
            worker = subprocess.Popen([sys.executable, "-m", "irtis.cli", "worker"])
        try:
            Server(gunicorn_options(host, port, workers)).run()
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(30)
