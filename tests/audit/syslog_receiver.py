"""A real syslog receiver for the tests: RFC 6587 octet-counted frames over TCP or TLS.

    python syslog_receiver.py PORT OUT [--tls CERT KEY] [--die-after N]

Appends each message to OUT (one per line, flushed), closes a connection after the sender's
end of stream, and with --die-after exits abruptly (no close, unread data) after N messages.
"""

import argparse
import os
import socket
import ssl


def read_exact(conn: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))  # never more than the frame: nothing read ahead
        if not chunk:
            raise EOFError
        data += chunk
    return data


def read_frame(conn: socket.socket) -> bytes | None:
    digits = b""
    while True:
        byte = conn.recv(1)
        if not byte:
            return None
        if byte == b" ":
            return read_exact(conn, int(digits))
        digits += byte


def serve(port: int, out: str, context: ssl.SSLContext | None, die_after: int) -> None:
    listener = socket.create_server(("127.0.0.1", port), reuse_port=False)
    print("ready", flush=True)
    received = 0
    with open(out, "ab", buffering=0) as sink:
        while True:
            conn, _ = listener.accept()
            if context is not None:
                conn = context.wrap_socket(conn, server_side=True)
            try:
                while (frame := read_frame(conn)) is not None:
                    sink.write(frame.replace(b"\n", b" ") + b"\n")
                    received += 1
                    if received == die_after:
                        os._exit(1)  # killed mid-stream
                if context is not None:
                    conn = conn.unwrap()
            except (EOFError, OSError):
                pass
            finally:
                conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("out")
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--die-after", type=int, default=0)
    args = parser.parse_args()
    context = None
    if args.tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*args.tls)
    serve(args.port, args.out, context, args.die_after)


if __name__ == "__main__":
    main()
