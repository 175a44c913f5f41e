"""The index cache's entries changed in place (project/index_layers.py): after any base, delta and
run's changes, the same entries, facts by language in path order, delta and fingerprint as built
from scratch, in sorted order, from the final table."""

from __future__ import annotations

import random

import pytest

from workerlint.core.digest import blake2b
from workerlint.project import index_layers
from workerlint.project.index_layers import Cached, layer

RELS = [f"app/workers/w{n}.rb" for n in range(8)] + [f"shop/m{n}.py" for n in range(8)]


def _entry(rel: str, version: int) -> tuple:
    return (
        (100 + version, 1_700_000_000 + version),
        f"digest-{rel}-{version}",
        f"facts {rel} {version}",
    )


def _fingerprint(table: dict, problems: list[str]) -> str:
    """The index's fingerprint as build_index computed it before the layers."""
    digest = blake2b(digest_size=16)
    for rel in sorted(table):
        digest.update(f"{rel}\0{table[rel][1]}\n".encode())
    for problem in sorted(problems):
        digest.update(f"problem\0{problem}\n".encode())
    return digest.hexdigest()


def _layer(entries: dict) -> index_layers.Layer:
    return layer(dict(entries), {rel: ["json", rel, e[1]] for rel, e in entries.items()})


@pytest.mark.parametrize("seed", range(40))
def test_changes_in_place_give_what_a_fresh_build_gives(seed):
    rng = random.Random(seed)
    base = {rel: _entry(rel, 0) for rel in rng.sample(RELS, rng.randint(0, len(RELS)))}
    delta = {rel: _entry(rel, 1) for rel in rng.sample(RELS, rng.randint(0, 4))}
    cached = Cached(_layer(base), _layer(delta) if delta else None)
    expected = {**base, **delta}
    assert cached.has_base == bool(set(expected) - set(delta))
    put: set[str] = set()
    for step in range(rng.randint(0, 6)):
        rel = rng.choice(RELS)
        if rel in expected and rng.random() < 0.3:
            cached.drop(rel)
            del expected[rel]
            put.discard(rel)
        else:
            entry = _entry(rel, 2 + step)
            cached.put(rel, entry, None if rng.random() < 0.5 else ["json", rel])
            expected[rel] = entry
            put.add(rel)
    assert cached.table == expected
    for name in index_layers.LANGUAGES:
        files = cached.by_language(name)
        rels = sorted(r for r in expected if index_layers.language(r) == name)
        assert list(files) == rels
        assert [files[r] for r in rels] == [expected[r][2] for r in rels]
    assert cached.stamps == {rel: e[0] for rel, e in expected.items()}
    delta_rels = sorted((set(delta) | put) & set(expected))
    assert cached.for_delta() == {rel: expected[rel] for rel in delta_rels}
    assert cached.fingerprint(["b", "a"]) == _fingerprint(expected, ["a", "b"])


def test_an_unchanged_base_keeps_its_facts_dicts_and_splices_its_lines():
    base = {rel: _entry(rel, 0) for rel in RELS}
    built = _layer(base)
    cached = Cached(built)
    cached.put(RELS[3], _entry(RELS[3], 5), None)
    cached.drop(RELS[10])
    assert cached.by_language("ruby") is built.files["ruby"]  # no copy: read only where changed
    expected = {**base, RELS[3]: _entry(RELS[3], 5)}
    del expected[RELS[10]]
    assert cached.fingerprint([]) == _fingerprint(expected, [])
    assert cached.dropped and cached.raw.keys() == set(expected) - {RELS[3]}


def test_the_facts_shape_written_in_the_index_is_the_facts_shape():
    """The index cache's header names the facts' shape by the digest written in project/index.py
    (a run neither describes the types nor loads a language's model for it): a change to a
    fact's fields must change it, or caches of the old shape would be read as the new."""
    from workerlint.project import index

    assert index.facts_shape() == index.FACTS_SHAPE, (
        f"the facts changed shape: set FACTS_SHAPE = {index.facts_shape()!r} in project/index.py"
    )
    assert index._cache_header()["shape"] == index.FACTS_SHAPE
