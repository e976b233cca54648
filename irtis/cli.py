"""The `irtis` command: `serve`, `demo`, and every Django management command.

    irtis serve            migrate, create the first administrator, run the production server
    irtis demo             load the demo estate (idempotent)
    irtis <command> …      any management command: migrate, createsuperuser, audit, token, …
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "irtis.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "irtis"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
