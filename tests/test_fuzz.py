"""Mutated fixtures never crash the engine or a rule, with or without fixes.

Each case copies a fixture project, damages a few of its files with random deletions, insertions
of Ruby/YAML/ERB fragments and invalid bytes (seeded, so a failure reproduces), and runs the whole
pipeline twice: plain, and with every fix applied.
"""

from __future__ import annotations

import random

import pytest
from conftest import FIXTURES, copy_project

from workerlint.app.linter import Options
from workerlint.app.runner import run

FRAGMENTS = [
    b"(", b")", b"do", b"end", b"{", b"}", b"<%=", b"%>", b"<% if x %>", b"\n", b" ", b"**", b"&",
    b":", b"'", b'"', b"#", b"- ", b"[", b"]", b"|", b"=", b"\xff", b"\x00", b"Faraday.new",
    b".get(", b"HTTParty.post(", b"Order.where(x).each", b"size: ", b"concurrency: ",
    b"<<: *default", b"&a ", b"*a", b"# workerlint:disable WL201", b"def x = raise 'y'",
]  # fmt: skip
PROJECTS = [FIXTURES / "sample_app", *sorted(p for p in (FIXTURES / "config").iterdir())]


def mutate(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        at = rng.randint(0, len(out))
        roll = rng.random()
        if roll < 0.4 and out:
            del out[at : at + rng.randint(1, 8)]
        elif roll < 0.8:
            out[at:at] = rng.choice(FRAGMENTS)
        else:
            start = rng.randint(0, max(0, len(out) - 1))
            out[at:at] = out[start : start + rng.randint(1, 30)]
    return bytes(out)


@pytest.mark.parametrize("seed", range(40))
def test_mutated_projects_never_crash(seed, tmp_path):
    rng = random.Random(seed)
    source = rng.choice(PROJECTS)
    root = tmp_path / source.name
    copy_project(source, root)
    files = sorted(p for p in root.rglob("*") if p.is_file())
    for path in rng.sample(files, k=min(len(files), rng.randint(1, 4))):
        path.write_bytes(mutate(path.read_bytes(), rng))
    for options in (
        Options(use_cache=False),
        Options(use_cache=False, fix=True, unsafe_fixes=True),
    ):
        result = run([root], options)
        internal = [d.message for d in result.diagnostics if d.internal]
        assert not internal, f"seed {seed} on {source.name}: {internal}"
        assert not result.warnings, f"seed {seed} on {source.name}: {result.warnings}"
