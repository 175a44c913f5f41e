"""Values decoded ahead of a run, by the resident server, from the exact bytes a run will read.

A run decodes its cache files (core/cache.py's JSON, the index's entries) from their bytes. The
resident server (app/server.py) decodes them again after each run, between runs, and the process
it forks for the next run starts with them in memory. A run hands its file to ``value_in``: when
the server decoded that very kind of value from those very bytes, the run takes it instead of
decoding; otherwise it decodes, as a run without the server does. Equal bytes, same decoder,
same value: the answer does not depend on whether anything was decoded ahead.

The server also derives, from a held value, tables a run would otherwise work out from it
(``deriver``, ``derived``: the Python index's tasks per module, lang/python/derived.py). A
run takes such a table only together with the very value it was derived from, before it
changes that value, and the table's own code says when it still holds for the run's.

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
    from typing import Any, BinaryIO, TypeVar

    T = TypeVar("T")

_decoders: dict[str, Callable[[bytes], Any]] = {}
_PIECE = 1 << 18  # how much of a file ``value_in`` compares at a time
# name -> (the kind of value it derives from, the deriver)
_derivers: dict[str, tuple[str, Callable[[Any, str], Any]]] = {}
# (kind, path) -> (the bytes it was decoded from, the value)
_held: dict[tuple[str, str], tuple[bytes, Any]] = {}
# What this process decoded or took, in order: what the server decodes for the next run.
_asked: dict[tuple[str, str], None] = {}
# (name, path, params) -> (the held value it was derived from, what was derived)
_derived: dict[tuple[str, str, str], tuple[Any, Any]] = {}
# What this process asked to be derived, in order: what the server derives for the next run.
_asked_derived: dict[tuple[str, str, str], None] = {}
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


def deriver(name: str, source: str) -> Callable[[Callable[[Any, str], T]], Callable[[Any, str], T]]:
    """Register ``function(value, params)`` as the deriver ``name``: what it gives is a pure
    function of a value of kind ``source`` (as decoded) and of ``params`` (a string)."""

    def register(function: Callable[[Any, str], T]) -> Callable[[Any, str], T]:
        _derivers[name] = (source, function)
        return function

    return register


def derived(name: str, path: str, params: str, value: Any) -> Any:
    """What the deriver ``name`` gave, ahead, for ``params`` and the value decoded at ``path``,
    when ``value`` is that very value as this process took it (``value_in``): the caller has not
    changed it yet. None otherwise (the caller works it out). Noted either way: the server
    derives it again for the next run."""
    _asked_derived[(name, path, params)] = None
    found = _derived.pop((name, path, params), None)
    if found is None:
        return None
    _kept.append(found)
    return found[1] if found[0] is value else None


def derive(name: str, path: str, params: str) -> None:
    """Derive ahead (the server, after ``hold``) with ``name`` from the value held for
    ``path``; a deriver that fails derives nothing (the run works it out, and meets the
    failure itself)."""
    registered = _derivers.get(name)
    if registered is None:
        return
    source, function = registered
    held = _held.get((source, path))
    if held is None:
        return
    try:
        _derived[(name, path, params)] = (held[1], function(held[1], params))
    except Exception:  # the run works it out itself
        _derived.pop((name, path, params), None)


def value_in(kind: str, path: str, file: BinaryIO) -> Any:
    """``kind``'s decoder applied to the bytes of ``file`` (open at its start; read at
    ``path``): the value decoded ahead from the same bytes when there is one. The bytes are
    compared with the held ones piece by piece, and read into memory only when they differ: a
    forked run's new memory is a page fault per page (saleor's 6 MB index: about 1,500)."""
    _asked[(kind, path)] = None
    held = _held.pop((kind, path), None)
    if held is not None:
        _kept.append(held)
        if _same(file, held[0]):
            return held[1]
        file.seek(0)
    return _decoded(kind, file.read())


def _same(file: BinaryIO, data: bytes) -> bool:
    """Whether the rest of ``file`` is ``data`` (one reused buffer; a C comparison a piece)."""
    buffer = bytearray(_PIECE)
    view = memoryview(buffer)
    at = 0
    while count := file.readinto(buffer):
        if not data.startswith(view[:count], at):
            return False
        at += count
    return at == len(data)


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


def asked_derived() -> list[tuple[str, str, str]]:
    """The (name, path, params) this process asked to be derived, in order."""
    return list(_asked_derived)


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
    _derived.clear()
