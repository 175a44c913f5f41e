"""Values decoded ahead of a run, by the resident server, from the exact bytes a run will read.

A run decodes its cache files (core/cache.py's JSON, the index's entries) from their bytes. The
resident server (app/server.py) decodes them again after each run, between runs, and the process
it forks for the next run starts with them in memory. A run hands its bytes to ``value``: when
the server decoded that very kind of value from those very bytes, the run takes it instead of
decoding; otherwise it decodes, as a run without the server does. Equal bytes, same decoder,
same value: the answer does not depend on whether anything was decoded ahead.

Each held value is handed out once (a run may change what it was given; only a process forked
from the server holds any, and its changes stay in it), and never freed in that process.
Decoders are named functions of workerlint's own code, registered by the modules that read the
files; nothing from the checked tree is run, and the server only re-reads files a run of this
user read.
"""

from __future__ import annotations

# Light: core/cache.py reads through this module, and a replayed run loads only a few modules.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    T = TypeVar("T")

_decoders: dict[str, Callable[[bytes], Any]] = {}
# (kind, path) -> (the bytes it was decoded from, the value)
_held: dict[tuple[str, str], tuple[bytes, Any]] = {}
# What this process decoded or took, in order: what the server decodes for the next run.
_asked: dict[tuple[str, str], None] = {}
# Every held value handed out or found stale, kept for the process's life: a forked run that
# freed the server's objects would write to every memory page they are on, copying it (saleor's
# index: about 8,500 pages, 25 ms); the run's process ends without freeing them (os._exit).
_kept: list[tuple[bytes, Any]] = []


def decoder(kind: str) -> Callable[[Callable[[bytes], T]], Callable[[bytes], T]]:
    """Register ``function`` as the decoder of ``kind`` (a pure function of the bytes)."""

    def register(function: Callable[[bytes], T]) -> Callable[[bytes], T]:
        _decoders[kind] = function
        return function

    return register


def value(kind: str, path: str, data: bytes) -> Any:
    """``kind``'s decoder applied to ``data``, the bytes read at ``path``: the value decoded
    ahead from the same bytes when there is one."""
    _asked[(kind, path)] = None
    held = _held.pop((kind, path), None)
    if held is not None:
        _kept.append(held)
        if held[0] == data:
            return held[1]
    return _decoders[kind](data)


def asked() -> list[tuple[str, str]]:
    """The (kind, path) pairs this process decoded or took, in order."""
    return list(_asked)


def hold(kind: str, path: str, data: bytes) -> None:
    """Decode ``data`` (read at ``path``) ahead, for a process forked later; a decoder that
    fails holds nothing (the run will meet the same failure itself)."""
    decode = _decoders.get(kind)
    if decode is None:
        return
    try:
        _held[(kind, path)] = (data, decode(data))
    except Exception:  # the run decodes it itself, and meets what made this fail
        _held.pop((kind, path), None)


def release() -> None:
    """Forget every held value (the server, before it decodes the files of the last run)."""
    _held.clear()
