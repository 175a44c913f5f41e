"""PYTHON.md §2/§9 WL201: ``socket.setdefaulttimeout(N)`` bounds urllib (and the other stdlib
clients that leave their timeout at the socket default) but not requests, which passes an
explicit None down to the socket. Checked against a local server that accepts connections and
never answers."""

from __future__ import annotations

import socket
import threading
import time
import urllib.request
from collections.abc import Iterator

import pytest
import requests

DEFAULT = 0.5


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A URL whose server accepts the connection and never sends a byte."""
    server = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.05)
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            accepted.append(connection)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(DEFAULT)
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}/"
    finally:
        socket.setdefaulttimeout(previous)
        stop.set()
        thread.join(1)
        for connection in accepted:  # the hung client gets its connection closed, and returns
            connection.close()
        server.close()


def test_urllib_times_out_at_the_socket_default(silent_server: str) -> None:
    started = time.monotonic()
    with pytest.raises((TimeoutError, socket.timeout, urllib.error.URLError)):
        urllib.request.urlopen(silent_server)
    assert time.monotonic() - started < DEFAULT + 0.8


def test_requests_ignores_the_socket_default(silent_server: str) -> None:
    outcome: list[object] = []

    def fetch() -> None:
        try:
            outcome.append(requests.get(silent_server))
        except requests.RequestException as error:
            outcome.append(error)

    thread = threading.Thread(target=fetch, daemon=True)
    thread.start()
    thread.join(DEFAULT * 3)
    # Still waiting three times past the process-wide default: requests passed timeout=None.
    assert thread.is_alive()
    assert outcome == []
