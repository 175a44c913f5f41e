"""The parse floor of one project: read and tree-sitter-parse every file that could matter.

    python benchmarks/floor.py PROJECT

A project with a Gemfile: every ``.rb`` under ``app/``, ``lib/`` and ``config/``. Otherwise:
every ``.py`` outside workerlint's default excludes. Prints the number of files parsed. It
imports only tree-sitter and the grammars, so its time is the floor any linter built on them pays.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import tree_sitter

# workerlint's DEFAULT_EXCLUDES (workerlint/project/files.py), copied so that the floor does not
# pay for importing workerlint; tests/test_benchmarks.py keeps the two equal.
EXCLUDES = frozenset(
    {
        "vendor", "node_modules", "tmp", "log", "spec", "test", "tests", "features", "db",
        "venv", "site-packages", "__pypackages__", "__pycache__", "build", "dist",
    }
)  # fmt: skip


def files(root: Path, folders: tuple[str, ...], suffix: str) -> Iterator[Path]:
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(root / folder):
            dirnames[:] = [d for d in dirnames if d not in EXCLUDES and not d.startswith(".")]
            for name in filenames:
                if name.endswith(suffix):
                    yield Path(dirpath, name)


def main() -> int:
    root = Path(sys.argv[1])
    if (root / "Gemfile").exists():
        import tree_sitter_ruby as grammar

        found = files(root, ("app", "lib", "config"), ".rb")
    else:
        import tree_sitter_python as grammar  # type: ignore[no-redef]

        found = files(root, (".",), ".py")
    parser = tree_sitter.Parser(tree_sitter.Language(grammar.language()))
    count = 0
    for path in found:
        parser.parse(path.read_bytes())
        count += 1
    print(count)
    return 0


if __name__ == "__main__":
    sys.exit(main())
