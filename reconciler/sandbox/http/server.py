"""The sandbox's HTTP transport: a threaded werkzeug server with HTTP/1.1 keep-alive.

werkzeug always sends ``Connection: close`` because the standard library's HTTP server
cannot drain an unread request body before the next request. The front reads every
body in full (``app.DRAINED``), so those connections stay open and boto3's connection
pool reuses them; that saves a TCP handshake, a thread and werkzeug's 10 ms drain per
call. Each response's ``Date`` header is the sandbox clock's time, as AWS's is its
servers' time (a client that reads it sees time travel too).
"""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from moto.moto_server.werkzeug_app import MotoRequestHandler
from werkzeug.serving import ThreadedWSGIServer

from reconciler.sandbox.http.app import DRAINED, WsgiApp

_NO_BODY = frozenset({204, 304})


class _Handler(MotoRequestHandler):
    """Serves one WSGI call per request and keeps the connection open when it is safe.

    werkzeug's own ``run_wsgi`` always closes the connection and, after each response,
    waits 10 ms to discard unread input, which would swallow a pipelined next request.
    The front reads every body in full, so here the response is buffered, sent with an
    exact Content-Length, and the socket is reused.
    """

    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        # Small responses on a reused connection would otherwise wait ~40 ms for
        # Nagle's algorithm and the client's delayed ACK.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.track(self.connection, True)

    def finish(self) -> None:
        self.server.track(self.connection, False)
        super().finish()

    def run_wsgi(self) -> None:
        if self.headers.get("Expect", "").lower().strip(" \t") == "100-continue":
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        self.environ = environ = self.make_environ()
        status, headers, body = self._call_app(environ)
        code, _, reason = status.partition(" ")
        self.send_response(int(code), reason)
        self._send_headers(int(code), headers, body)
        if self.command != "HEAD" and int(code) not in _NO_BODY:
            self.wfile.write(body)

    def _call_app(self, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
        started: list[Any] = []
        chunks: list[bytes] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc: Any = None
        ) -> Callable[[bytes], None]:
            started[:] = [status, headers]
            return chunks.append

        try:
            result = self.server.app(environ, start_response)
            try:
                chunks.extend(result)
            finally:
                getattr(result, "close", lambda: None)()
            return started[0], started[1], b"".join(chunks)
        except Exception:
            traceback.print_exc(file=sys.stderr)
            self.close_connection = True
            return "500 Internal Server Error", [("Content-Type", "text/plain")], b"sandbox error"

    def _send_headers(self, code: int, headers: list[tuple[str, str]], body: bytes) -> None:
        passthrough = self.command == "HEAD" or code in _NO_BODY
        for key, value in headers:
            lower = key.lower()
            if lower in ("connection", "transfer-encoding") or (
                lower == "content-length" and not passthrough
            ):
                continue
            self.send_header(key, value)
        if not passthrough:
            self.send_header("Content-Length", str(len(body)))
        if not self.environ.get(DRAINED, False):
            self.send_header("Connection", "close")
        self.end_headers()

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        if self.server.verbose:
            super().log_request(*args, **kwargs)

    def date_time_string(self, timestamp: float | None = None) -> str:
        return super().date_time_string(self.server.clock() if timestamp is None else timestamp)


class _Server(ThreadedWSGIServer):
    """werkzeug's threaded server that knows its open connections, to close them on stop."""

    def __init__(
        self, host: str, port: int, app: WsgiApp, verbose: bool, clock: Callable[[], float]
    ) -> None:
        super().__init__(host, port, app, handler=_Handler)
        self.verbose, self.clock = verbose, clock
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()

    def track(self, conn: socket.socket, is_open: bool) -> None:
        with self._open_lock:
            (self._open.add if is_open else self._open.discard)(conn)

    def close_connections(self) -> None:
        with self._open_lock:
            conns, self._open = list(self._open), set()
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)


class HttpServer:
    """A WSGI app served on a background thread; ``port=0`` picks a free port."""

    def __init__(
        self,
        app: WsgiApp,
        host: str = "127.0.0.1",
        port: int = 0,
        verbose: bool = False,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._server = _Server(host, port, app, verbose, clock)
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="sandbox-http", daemon=True
        )

    @property
    def endpoint(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._server.close_connections()
        self._thread.join(timeout=5)
