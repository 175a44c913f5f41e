"""A cache file of one member per line (core/cache.py ``json_object(lines=True)``,
``read_members``): still the JSON of the same object, read member by member without parsing
the others; the results cache keeps its entries so (a damaged entry is a miss for its file
alone: tests/test_results_cache.py)."""

from __future__ import annotations

import json

import pytest
from conftest import write_files
from test_results_cache import APP, _findings

from workerlint.app import results_cache
from workerlint.core import cache

_AWKWARD = {
    "app/workers/plain_worker.rb": ["key", [[], []], {"q": []}],
    'odd/"quoted",name.rb': [1, "a line\nbreak", {"k": [True, None]}],
    "odd\\back\\slash.rb": "text with a , and a : inside",
    "odd/new\nline.rb": {"nested": {"x": ["\u2028", "\u00e9", "\U0001f600"]}},
    "": [],
}


def test_one_member_per_line_is_the_same_json_read_member_by_member():
    body = b"".join(cache.json_object(_AWKWARD.items(), lines=True))
    assert json.loads(body) == _AWKWARD  # a file read whole reads the same object
    assert body.count(b"\n") == len(_AWKWARD) + 1
    members = cache.members_of(body)
    assert list(members) == list(_AWKWARD)
    assert {key: json.loads(text) for key, text in members.items()} == _AWKWARD
    assert members["app/workers/plain_worker.rb"] == '["key",[[],[]],{"q":[]}]'
    assert cache.members_of(b"".join(cache.json_object([], lines=True))) == {}
    # Written again from the texts as read: the very same bytes.
    again = cache.json_object(((k, cache.raw(t)) for k, t in members.items()), lines=True)
    assert b"".join(again) == body


@pytest.mark.parametrize(
    "body",
    [
        b'{"a":1,"b":2}',  # valid JSON, not one member per line
        b'{\n"a":1\n"b":2\n}',  # no comma between members
        b'{\n"a":1,\n"b":2,\n}',  # a comma after the last
        b'{\n"a"1\n}',  # no colon
        b"{\na:1\n}",  # a key without quotes
        b'{\n"a:1\n}',  # a key never closed
        b'{\n"a":1\n',  # not closed
        b'\xff{\n"a":1\n}',  # not UTF-8
    ],
)
def test_a_body_not_laid_out_so_is_refused(body):
    with pytest.raises(ValueError):
        cache.members_of(body)


def test_the_results_cache_is_written_one_entry_per_line(tmp_path):
    root = write_files(tmp_path / "app", APP)
    _findings(root)
    path = cache.folder(root) / results_cache.CACHE_FILE
    body = path.read_bytes().partition(b"\n")[2]
    stored = results_cache.ResultsCache(root, "", enabled=False)._header()
    members = cache.read_members(path, stored)
    assert sorted(members) == sorted(json.loads(body))
    assert len(members) == body.count(b"\n") - 1 > 5
