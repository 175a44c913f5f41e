"""The index cache's entries as a run works on them (project/index.py ``build_index``).

The cache is a base file and a delta over it (core/cache.py ``write_layer``). A run starts from
the base's entries with the delta's over them (``Cached``), re-reads the files whose stamp
changed, and changes those entries in place: it never reads an entry it does not change.

That matters in a resident server's run (app/server.py): the server decodes the cache files
ahead (core/warm.py), and each run is a process forked from it, sharing the decoded entries
until it writes to them. Python writes an object's reference count whenever the object is read
into a variable or a container, and that write copies the memory page the object is on; an
entry's tuple, stamp, JSON data and facts are on different pages, so reading every entry copied
3-4 pages per indexed file (saleor, 2,600 files: about 8,700 copies, 45 ms of a 180 ms run). So
each decoded ``Layer`` also holds what a run needs of every entry, made together once decoded
(so on few pages): each file's stamp, each language's facts by path, in path order, and the
fingerprint's lines as one ``bytes`` with each path's span in it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from workerlint.core.digest import blake2b
from workerlint.core.records import record

if TYPE_CHECKING:  # types only: a run loads the model of a language it has files of
    from typing import TypeAlias

    from workerlint.lang.python.model import ModuleFacts
    from workerlint.lang.ruby.model import FileFacts

    Facts: TypeAlias = FileFacts | ModuleFacts
    # Per file: ((size, mtime_ns), content digest, facts).
    Entry: TypeAlias = tuple[tuple[int, int], str, Facts]
LANGUAGES = ("ruby", "python")


def is_python(rel: str) -> bool:
    return rel.endswith(".py")


def language(rel: str) -> str:
    return "python" if is_python(rel) else "ruby"


def line(rel: str, digest: str) -> bytes:
    """One file's part of the index's fingerprint."""
    return f"{rel}\0{digest}\n".encode()


@record
class Layer:
    """One cache file's entries (and each one's JSON data as read), with what a run needs of
    every entry laid out together: ``stamps``, ``files`` (per language, in path order), and
    ``lines``, the fingerprint's lines in path order, each path's at ``spans[rel]``."""

    table: dict[str, Entry]
    raw: dict[str, Any]
    stamps: dict[str, tuple[int, int]]
    files: dict[str, dict[str, Facts]]
    lines: bytes
    spans: dict[str, tuple[int, int]]


def layer(table: dict[str, Entry], raw: dict[str, Any]) -> Layer:
    """The layer of decoded entries (the companions made here, after the entries: together)."""
    rels = sorted(table)
    stamps = {rel: (table[rel][0][0], table[rel][0][1]) for rel in rels}
    files: dict[str, dict[str, Facts]] = {name: {} for name in LANGUAGES}
    for rel in rels:
        files[language(rel)][rel] = table[rel][2]
    pieces: list[bytes] = []
    spans: dict[str, tuple[int, int]] = {}
    at = 0
    for rel in rels:
        piece = line(rel, table[rel][1])
        spans[rel] = (at, at + len(piece))
        at += len(piece)
        pieces.append(piece)
    return Layer(table, raw, stamps, files, b"".join(pieces), spans)


def empty() -> Layer:
    return layer({}, {})


class Cached:
    """The entries a run starts from (``base``, with ``delta``'s entries over it), and the
    run's changes to them, made in place (``put``, ``drop``)."""

    def __init__(self, base: Layer, delta: Layer | None = None) -> None:
        self.base = base  # the very layer (what the resident server derived from: core/warm.py)
        self.table = base.table
        self.raw = base.raw
        self.stamps = base.stamps
        self.files = base.files
        self._lines = base.lines
        self._spans = base.spans
        # Each changed entry's new fingerprint line (b"": dropped), over ``_lines``.
        self._replaced: dict[str, bytes] = {}
        # Whether every entry is one of the base's, in its order (False: sort again).
        self._ordered = True
        self.dropped = False
        self.changed: set[str] = set()
        self.delta_keys: set[str] = set()
        if delta is not None:
            self.delta_keys = set(delta.table)
            for rel in sorted(self.delta_keys):
                self.put(rel, delta.table[rel], delta.raw[rel])
        # Whether the base file holds an entry the delta does not override.
        self.has_base = len(self.table) > len(self.delta_keys)
        self.changed = set()  # the entries this run put

    def __len__(self) -> int:
        return len(self.table)

    def __contains__(self, rel: object) -> bool:
        return rel in self.table

    def put(self, rel: str, entry: Entry, data: Any | None) -> None:
        """Set ``rel``'s entry (``data``: its JSON data, or None to encode it when written)."""
        new = rel not in self.table
        self.table[rel] = entry
        if data is None:
            self.raw.pop(rel, None)
        else:
            self.raw[rel] = data
        self.stamps[rel] = entry[0]
        self.files[language(rel)][rel] = entry[2]
        if new:  # at the end of its facts' dict: not in path order any more
            self._ordered = False
        else:
            self._replaced[rel] = line(rel, entry[1])
        self.changed.add(rel)

    def drop(self, rel: str) -> None:
        del self.table[rel]
        self.raw.pop(rel, None)
        self.stamps.pop(rel, None)
        self.files[language(rel)].pop(rel, None)
        self._replaced[rel] = b""
        self.changed.discard(rel)
        self.dropped = True

    def by_language(self, name: str) -> dict[str, Facts]:
        """``name``'s facts by path, in path order."""
        files = self.files[name]
        if self._ordered:
            return files
        return {rel: files[rel] for rel in sorted(files)}

    def for_delta(self) -> dict[str, Entry]:
        """The entries that differ from the base file's: the delta's and those this run put."""
        rels = [rel for rel in self.delta_keys | self.changed if rel in self.table]
        return {rel: self.table[rel] for rel in sorted(rels)}

    def fingerprint(self, problems: list[str]) -> str:
        """A digest of every entry's path and content digest, in path order, then of
        ``problems``: the base's lines as they are, the changed ones replaced."""
        digest = blake2b(digest_size=16)
        if self._ordered:
            digest.update(b"".join(self._spliced()))
        else:
            for rel in sorted(self.table):
                digest.update(line(rel, self.table[rel][1]))
        for problem in sorted(problems):
            digest.update(f"problem\0{problem}\n".encode())
        return digest.hexdigest()

    def _spliced(self) -> Iterator[bytes]:
        at = 0
        for rel in sorted(self._replaced, key=lambda r: self._spans[r]):
            start, end = self._spans[rel]
            yield self._lines[at:start]
            yield self._replaced[rel]
            at = end
        yield self._lines[at:]
