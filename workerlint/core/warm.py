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
# Whether a decoded value is then kept out of the cyclic garbage collector's sight (gc.freeze):
# set by the console command (app/entry.py), whose process ends with the run. Decoded values
# hold no cycles; a run's later collections no longer walk them (saleor's three-file run: 600
# -> 450 ms), and no garbage of the process is ever freed by the collector before that point.
freeze_decoded = False


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
    return _decoded(kind, data)


def _decoded(kind: str, data: bytes) -> Any:
    """``kind``'s decoder on ``data``, the cyclic garbage collector paused: a decode makes
    hundreds of thousands of objects and no garbage, and the collections their number sets off
    each walked every one (saleor's index: 219 -> 107 ms)."""
    import gc

    running = gc.isenabled()
    gc.disable()
    try:
        return _decoders[kind](data)
    finally:
        if freeze_decoded:
            gc.freeze()
        if running:
            gc.enable()


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
        _held[(kind, path)] = (data, _decoded(kind, data))
    except Exception:  # the run decodes it itself, and meets what made this fail
        _held.pop((kind, path), None)


def release() -> None:
    """Forget every held value (the server, before it decodes the files of the last run)."""
    _held.clear()
