"""The per-file results cache (ARCHITECTURE.md, Cache): each file's findings, kept as data.

An entry holds what linting one file gave (its diagnostics and its --verbose notes) under a
key that digests the file's own inputs:

- the file's bytes, its path and kind;
- the effective settings of its folder, the selected rules (and whether only project rules
  run), workerlint's version and its code (``tool_stamp``);
- the project rules' findings in the file (filtered with the file's own, so part of the key);

and, beside the key, what the lint asked of the project (app/deps.py): each query made of the
Ruby and Python indexes, the Sidekiq setup and the Celery setup, with a canonical digest of its
answer. A later run reuses the findings only when the key is the same and every query, asked
again of that run's indexes and setups, gives the same digest; so editing a base class, a model
scope, ``sidekiq.yml``, a Procfile, ``db/schema.rb``, an enqueue site or a Celery settings module
re-lints the files whose lint read what changed, and no others. A record that could not be
kept exactly (an answer or an argument that is not plain data) is *coarse*: it holds while
every input is unchanged (the index fingerprint, every indexed file's content, and every
file-system answer the setups got). Digests are built from sorted data only (never a set's
order, which changes per process). The file is JSON through core/cache.py (never trusted when
git tracks it, a symbolic link, or damaged: then every file is linted), one entry per file
path, in two files each written atomically: ``results.json`` and a delta of the entries changed
since it was written (``results-delta.json``, as project/index.py keeps the index), so a one-file
run writes one entry, not the project's 4 MB; the base is rewritten with every entry when the
delta would grow past ``cache.DELTA_MAX`` entries. Each entry is a line of its own, parsed when
its file is looked up (``cache.read_members``): a one-file run needs a few of thousands. A delta
is read only over a base, and one written beside another base (two runs at once) is still
exact: every entry holds only under its own key and deps, whichever file it comes from; a stored
query is asked only of the index objects' own query methods (never a name starting with ``__``),
and one that fails counts as changed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from workerlint.app.stamp import tool_stamp
from workerlint.core import cache as cache_mod
from workerlint.core.diagnostics import Applicability, Diagnostic, Edit, Fix, Level, Span
from workerlint.core.digest import content_digest
from workerlint.core.discovery import SourceFile

CACHE_FILE = "results.json"  # and its delta (core/cache.py ``write_layer``: results-delta.json)
_KIND = "results"


def _digest(*parts: str) -> str:
    return content_digest("\0".join(parts).encode())


def encode_diagnostic(d: Diagnostic, root: Path) -> list[Any]:
    fix = None
    if d.fix is not None:
        edits = [[e.start, e.end, e.content] for e in d.fix.edits]
        fix = [d.fix.applicability.value, d.fix.title, edits]
    try:
        path = d.path.relative_to(root).as_posix()
    except ValueError:
        path = "/" + d.path.as_posix().lstrip("/")
    return [d.code, d.name, int(d.level), d.message, path, d.span.start, d.span.end, fix,
            d.internal, d.cwe]  # fmt: skip


class _Bad(ValueError):
    pass


def _of(value: Any, kind: type) -> Any:
    if type(value) is not kind:
        raise _Bad(f"expected {kind.__name__}")
    return value


def decode_diagnostic(data: Any, root: Path) -> Diagnostic:
    if not isinstance(data, list) or len(data) != 10:
        raise _Bad("a diagnostic is a list of 10")
    code, name, level, message, path, start, end, fix, internal, cwe = data
    decoded_fix = None
    if fix is not None:
        if not isinstance(fix, list) or len(fix) != 3 or not isinstance(fix[2], list):
            raise _Bad("a fix is a list of 3")
        edits = []
        for edit in fix[2]:
            if not isinstance(edit, list) or len(edit) != 3:
                raise _Bad("an edit is a list of 3")
            edits.append(Edit(_of(edit[0], int), _of(edit[1], int), _of(edit[2], str)))
        decoded_fix = Fix(Applicability(_of(fix[0], str)), _of(fix[1], str), tuple(edits))
    text = _of(path, str)
    return Diagnostic(
        _of(code, str),
        _of(name, str),
        Level(_of(level, int)),
        _of(message, str),
        Path(text) if text.startswith("/") else root / text,
        Span(_of(start, int), _of(end, int)),
        decoded_fix,
        internal=_of(internal, bool),
        cwe=None if cwe is None else _of(cwe, int),
    )


class ResultsCache:
    """The cached findings of one project's files, read once per run and written once."""

    def __init__(self, root: Path, context: str, enabled: bool = True) -> None:
        self.root = root
        self.context = context  # everything but the file and its project findings
        self.enabled = enabled
        self.path = cache_mod.folder(root) / CACHE_FILE
        # Each file's entry: its JSON text as read (parsed when looked up), or as put.
        self._base: dict[str, str | list[Any]] = self._load(self.path) if enabled else {}
        # The entries over the base file's: the delta file's, then those put. Kept apart, not
        # merged: a merge reads every entry, and in a resident server's run each read copies
        # the memory page the entry is on (saleor: about 1,100 pages).
        self._delta = self._load(cache_mod.delta_path(self.path)) if self._base else {}
        self._changed = False

    def _header(self) -> dict[str, object]:
        return {"format": cache_mod.FORMAT, "tool": tool_stamp(), "shape": _KIND}

    def _load(self, path: Path) -> dict[str, str | list[Any]]:
        if not path.is_file():
            return {}
        try:
            # Each entry is parsed and its shape checked when it is looked up (``_entry``); the
            # table itself is not copied (in a resident server's run, a copy would copy the
            # memory page of every entry: saleor, about 700 pages).
            found: dict[str, Any] = cache_mod.read_members(path, self._header())
        except cache_mod.CacheError:
            return {}
        return found

    def key(
        self, chain_context: str, file: SourceFile, digest: str, extra: Sequence[Diagnostic]
    ) -> str:
        encoded = json.dumps([encode_diagnostic(d, self.root) for d in extra])
        return _digest(self.context, chain_context, file.relpath, file.kind, digest, encoded)

    def get(
        self, rel: str, key: str, holds: Callable[[Any], bool]
    ) -> tuple[list[Diagnostic], list[str]] | None:
        """The stored findings and notes of ``rel`` under ``key``, when ``holds`` says that
        what its lint asked of the project is unchanged; None when absent, stale or damaged
        (then the file is linted)."""
        entry = self._entry(rel)
        if entry is None or entry[0] != key or not holds(entry[2]):
            return None
        try:
            diagnostics, skipped = entry[1]
            found = [decode_diagnostic(d, self.root) for d in diagnostics]
            notes = [_of(s, str) for s in skipped]
        except (_Bad, ValueError, TypeError, KeyError):
            return None
        return found, notes

    def put(
        self,
        rel: str,
        key: str,
        diagnostics: Iterable[Diagnostic],
        skipped: list[str],
        deps: dict[str, Any],
    ) -> None:
        """Keep ``rel``'s findings under ``key`` with what its lint asked of the project."""
        encoded = [encode_diagnostic(d, self.root) for d in diagnostics]
        entry = [key, [encoded, list(skipped)], deps]
        if self._entry(rel) != entry:
            self._delta[rel] = entry
            self._changed = True

    def _entry(self, rel: str) -> list[Any] | None:
        """``rel``'s entry (None: none, or not one of this shape)."""
        found: Any = self._delta.get(rel)
        if found is None:
            found = self._base.get(rel)
        if isinstance(found, str):
            try:
                found = json.loads(found)
            except (ValueError, RecursionError):
                return None
        if isinstance(found, list) and len(found) == 3 and isinstance(found[0], str):
            return found
        return None

    def save(self) -> None:
        """Write the entries that are not the base file's own (those put or read from the
        delta) to the delta file, or every entry to the base file and no delta when
        ``cache.rewrites_base`` says so."""
        if not (self.enabled and self._changed):
            return
        whole = cache_mod.rewrites_base(bool(self._base), len(self._delta))
        written = {**self._base, **self._delta} if whole else self._delta
        body = cache_mod.json_object(
            (
                (rel, cache_mod.raw(e) if isinstance(e, str) else e)
                for rel, e in sorted(written.items())
            ),
            lines=True,
        )
        cache_mod.write_layer(self.path, self._header(), body, base=whole)
        if whole:
            self._base, self._delta = written, {}
        self._changed = False


def chain_context(settings: object, codes: Iterable[str], explicit: Iterable[str],
                  project_only: bool) -> str:  # fmt: skip
    """The part of a key a linter gives: its settings (repr: tuples, in their file's order) and
    its rules."""
    return _digest(repr(settings), ",".join(sorted(codes)), ",".join(sorted(explicit)),
                   str(project_only))  # fmt: skip


def project_context(root: Path) -> str:
    return _digest(tool_stamp(), str(root))


def stored_deps(asked: dict[str, Any], fingerprint: str) -> dict[str, Any]:
    """What a file's lint asked (app/deps.py's record), as its entry keeps it: the queries
    with their digests, and the index fingerprint when the record is coarse."""
    return {"q": asked["q"], "fp": fingerprint if asked["coarse"] else None}


def deps_hold(stored: Any, fingerprint: str, queries: Callable[[Any], bool]) -> bool:
    """Whether an entry's stored deps are what this run's project gives."""
    if not (isinstance(stored, dict) and set(stored) == {"q", "fp"}):
        return False
    if stored["fp"] is not None and stored["fp"] != fingerprint:
        return False
    return queries(stored["q"])
