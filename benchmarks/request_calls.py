"""Python calls a token read makes through the production WSGI application, in this process.

    .venv/bin/python benchmarks/request_calls.py \\
        --database postgresql://postgres@127.0.0.1:5432/irtis_readbench [--requests 100]

The reads of http_reads_bench.py, on a database it loaded. Unlike time, the number of calls does
not move with the machine's load: it compares two versions of the code on a busy machine.
"""

import argparse
import cProfile
import os
import pstats
import tempfile
from typing import Any
from wsgiref.util import setup_testing_defaults

from http_reads_bench import existing, reads


def environ(path: str, token: str) -> dict[str, Any]:
    path, _, query = path.partition("?")
    request = {"PATH_INFO": path, "QUERY_STRING": query, "REMOTE_ADDR": "127.0.0.1",
               "HTTP_AUTHORIZATION": f"Bearer {token}"}
    setup_testing_defaults(request)
    return request


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True, help="a PostgreSQL URL loaded by http_reads_bench.py")
    parser.add_argument("--requests", type=int, default=100, help="requests counted per read")
    args = parser.parse_args()
    os.environ.update({"IRTIS_DATA_DIR": tempfile.mkdtemp(prefix="irtis-calls-"), "IRTIS_DATABASE_URL": args.database,
                       "DJANGO_SETTINGS_MODULE": "irtis.settings", "IRTIS_DEBUG": "false",
                       "IRTIS_ALLOW_PRIVILEGED_DATABASE": "true"})
    token, ids = existing(args.database)
    import irtis.wsgi

    def read(path: str) -> None:
        status: list[str] = []
        answer = irtis.wsgi.application(environ(path, token), lambda line, *_: status.append(line))
        b"".join(answer)
        answer.close()  # the request ends (Django closes its response)
        assert status[0].startswith("200"), (path, status)

    print("| token read | calls a request |\n|---|---:|")
    for name, path in reads(ids):
        for _ in range(10):  # kept statements, grants and caches as in a worker that has served a while
            read(path)
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            read(path)
        profile.disable()
        print(f"| {name} | {pstats.Stats(profile).total_calls // args.requests:,} |", flush=True)


if __name__ == "__main__":
    main()
