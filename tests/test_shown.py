"""Code quoted in messages is shortened at token boundaries, never inside a name."""

from __future__ import annotations

import re

import pytest

from workerlint.lang.shown import shorten


@pytest.mark.parametrize(
    ("source", "limit", "expected"),
    [
        ("Order.where(id: ids)", 40, "Order.where(id: ids)"),
        ("Order\n  .where(id: ids)\n  .each", 40, "Order.where(id: ids).each"),
        (
            "Order\n  &.where(id: ids)\n  .map { |o| o.x }",
            60,
            "Order&.where(id: ids).map { |o| o.x }",
        ),
        ('x.where("a .b")\n  .each', 40, 'x.where("a .b").each'),
        ("(1..\n  10).each", 40, "(1.. 10).each"),
        ("(mailchimp_integration.total_items / count)", 30, "(mailchimp_integration...)"),
        ("Foo.bar(baz, qux).quux(1, 2, 3)", 20, "Foo.bar(baz, qux)..."),
        ("Organization.with_enabled_feature_slugs(slugs)", 20, "Organization..."),
        ("a.b.c.d.e.f.g.h.i.j.k.l.m.n", 12, "a.b.c.d.e..."),
        ("foo(:a, :bbbbbbbbbbbbbbbbbbbb)", 15, "foo(:a...)"),
        ('{ "a" => 1, "b" => 2, "c" => 3 }', 20, '{ "a" => 1, "b"...}'),
        (
            '"https://carrier.example.com/pickups/very/long/path"',
            40,
            '"https://carrier.example.com/pickups/..."',
        ),
        ('"#{user.name} signed up at #{Time.now}"', 25, '"#{user.name} signed..."'),
        ("an_identifier_longer_than_the_limit.call", 10, "an_identifier_longer_than_the_limit..."),
        ("@cache[key] ||= compute(key, other_argument)", 20, "@cache[key] ||= ..."),
    ],
)
def test_shorten_cuts_at_a_token_boundary(source: str, limit: int, expected: str) -> None:
    assert shorten(source, limit) == expected


def test_no_name_is_ever_cut() -> None:
    """Over every cut of a long chain, what precedes ``...`` is a whole name of the source."""
    source = "mailchimp_integration.total_items.fetch_members_page(list_identifier, count)"
    names = set(re.findall(r"\w+", source))
    for limit in range(4, len(source)):
        shown = shorten(source, limit)
        head = shown.split("...")[0]
        last = re.findall(r"\w+", head)
        assert not last or last[-1] in names, (limit, shown)


def test_no_module_cuts_quoted_code_by_character_count() -> None:
    """Quoted code goes through lang/shown.py: a slice followed by ``"..."`` (``written[:27] +
    "..."``) is the character cut that showed ``values_...`` and ``self.class.p...``."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    cut = re.compile(r"\]\s*(?:\.rstrip\([^)]*\))?\s*\+\s*\"\.\.\.\"")
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for folder in ("workerlint", "rules")
        for path in sorted((root / folder).rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if cut.search(line) and path.name != "examples.py"
    ]
    assert offenders == []
