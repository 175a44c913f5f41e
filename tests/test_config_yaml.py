"""ERB-aware, position-keeping YAML loading."""

import pytest

from workerlint.formats.yaml import (
    ALIAS_LIMIT_MESSAGE,
    CONTROL_FLOW_REASON,
    YamlDoc,
    YamlError,
    YNode,
    key_name,
    load_yaml,
    mapping_get,
    mapping_items,
)

UNSET: dict[str, str] = {}


def load(text: str, env=UNSET, **options) -> YNode:
    result = load_yaml(text.encode(), env, **options)
    assert isinstance(result, YamlDoc), result
    assert result.root is not None
    return result.root


def error(text: str | bytes, **options) -> YamlError:
    data = text.encode() if isinstance(text, str) else text
    result = load_yaml(data, UNSET, **options)
    assert isinstance(result, YamlError), result
    return result


def span(data: str, node: YNode) -> str:
    return data.encode()[node.start : node.end].decode()


SIDEKIQ = """\
:concurrency: <%= ENV.fetch("SIDEKIQ_CONCURRENCY") { 20 } %>
:timeout: 25
:queues:
  - critical
  - [default, 2]
production:
  :concurrency: <%= ENV["PROD_CONCURRENCY"] %>
"""


def test_an_erb_default_is_a_default_value_spanning_the_tag():
    root = load(SIDEKIQ)
    node = mapping_get(root, "concurrency")
    assert node is not None
    assert (node.kind, node.value, node.status) == ("scalar", 20, "default")
    assert node.variables == ("SIDEKIQ_CONCURRENCY",)
    assert span(SIDEKIQ, node) == '<%= ENV.fetch("SIDEKIQ_CONCURRENCY") { 20 } %>'
    assert (node.start, node.end, node.line, node.column) == (14, 60, 1, 15)
    assert node.tag == "tag:yaml.org,2002:int"


def test_a_supplied_variable_makes_the_value_known():
    root = load(SIDEKIQ, {"SIDEKIQ_CONCURRENCY": "12", "PROD_CONCURRENCY": "40"})
    node = mapping_get(root, ":concurrency")
    assert node is not None
    assert (node.value, node.status, node.variables) == (12, "known", ("SIDEKIQ_CONCURRENCY",))
    production = mapping_get(root, "production")
    assert production is not None
    prod = mapping_get(production, "concurrency")
    assert prod is not None
    assert (prod.value, prod.status) == (40, "known")


def test_an_erb_value_without_default_is_unknown():
    root = load(SIDEKIQ)
    production = mapping_get(root, "production")
    assert production is not None
    node = mapping_get(production, "concurrency")
    assert node is not None
    assert (node.value, node.status, node.variables) == (None, "unknown", ("PROD_CONCURRENCY",))
    assert span(SIDEKIQ, node) == '<%= ENV["PROD_CONCURRENCY"] %>'
    assert (node.line, node.column) == (7, 17)


def test_plain_values_positions_and_kinds():
    root = load(SIDEKIQ)
    assert root.kind == "mapping"
    assert (root.line, root.column, root.start) == (1, 1, 0)
    timeout = mapping_get(root, "timeout")
    assert timeout is not None
    assert (timeout.value, timeout.status, timeout.variables) == (25, "known", ())
    assert (timeout.line, timeout.column) == (2, 11)
    queues = mapping_get(root, "queues")
    assert queues is not None
    assert queues.kind == "sequence"
    first, second = queues.value
    assert (first.value, first.line, first.column) == ("critical", 4, 5)
    assert second.kind == "sequence"
    assert [item.value for item in second.value] == ["default", 2]
    assert span(SIDEKIQ, second) == "[default, 2]"


def test_symbol_keys_and_plain_keys_are_the_same_key():
    root = load(":concurrency: 5\nqueues: [a]\n")
    keys = [key_name(key) for key, _ in mapping_items(root)]
    assert keys == ["concurrency", "queues"]
    assert root.value[0][0].value == ":concurrency"  # the tree keeps the text
    assert mapping_get(root, "concurrency") is root.value[0][1]
    assert mapping_get(root, ":queues") is root.value[1][1]
    assert mapping_get(root, "missing") is None
    both = load(":concurrency: 5\nconcurrency: 7\n")
    assert [node.value for _, node in mapping_items(both)] == [7]
    assert mapping_get(both, "concurrency").value == 7


def test_multibyte_characters_before_a_value():
    text = "# Größe: ☃\nname: \"Zoë\"\npool: <%= ENV.fetch('P', 5) %> # é\n"
    root = load(text)
    pool = mapping_get(root, "pool")
    assert pool is not None
    assert (pool.value, pool.status) == (5, "default")
    data = text.encode()
    assert data[pool.start : pool.end] == b"<%= ENV.fetch('P', 5) %>"
    # "# Größe: ☃\n" is 11 characters but 15 bytes; 'name: "Zoë"\n' is 12 characters, 13 bytes
    assert (pool.start, pool.end) == (34, 58)
    assert (pool.line, pool.column) == (3, 7)
    name = mapping_get(root, "name")
    assert name is not None
    assert (name.value, name.style, name.start, name.end) == ("Zoë", '"', 21, 27)
    assert (name.line, name.column) == (2, 7)


def test_column_counts_characters_not_bytes():
    text = "ü: { é: <%= 3 %> }\n"
    root = load(text)
    inner = root.value[0][1]
    value = inner.value[0][1]
    assert value.value == 3
    assert (value.line, value.column) == (1, 9)
    assert value.start == len("ü: { é: ".encode())


def test_a_scalar_partly_made_of_erb():
    text = (
        "url: \"redis://<%= ENV['REDIS_HOST'] %>:6379\"\n"
        "known: \"redis://<%= ENV.fetch('REDIS_HOST', 'localhost') %>:6379\"\n"
        "literal: \"redis://<%= 'cache' %>:6379\"\n"
    )
    root = load(text)
    url = mapping_get(root, "url")
    assert url is not None
    assert (url.value, url.status, url.variables) == (None, "unknown", ("REDIS_HOST",))
    assert span(text, url) == "\"redis://<%= ENV['REDIS_HOST'] %>:6379\""
    known = mapping_get(root, "known")
    assert known is not None
    assert (known.value, known.status) == ("redis://localhost:6379", "default")
    literal = mapping_get(root, "literal")
    assert literal is not None
    assert (literal.value, literal.status, literal.variables) == ("redis://cache:6379", "known", ())


def test_an_erb_tag_that_renders_nothing_is_an_empty_scalar():
    text = "pool: <%= ENV['POOL'] || nil %>\nnext: 1\n"
    root = load(text)
    pool = mapping_get(root, "pool")
    assert pool is not None
    assert (pool.value, pool.status, pool.variables) == (None, "default", ("POOL",))
    assert span(text, pool) == "<%= ENV['POOL'] || nil %>"


def test_values_are_resolved_like_the_safe_loader():
    root = load("a: \"10\"\nb: 10\nc: yes\nd: ~\ne: 1.5\nf: 0x10\ng: 'x'\nh: 2001-12-14\n")
    values = {key_name(k): v.value for k, v in mapping_items(root)}
    assert values == {
        "a": "10",
        "b": 10,
        "c": True,
        "d": None,
        "e": 1.5,
        "f": 16,
        "g": "x",
        "h": "2001-12-14",
    }
    assert mapping_get(root, "a").style == '"'
    assert mapping_get(root, "b").style is None


DATABASE = """\
default: &default
  adapter: postgresql
  pool: <%= ENV.fetch("RAILS_MAX_THREADS") { 5 } %>
  timeout: 5000

production:
  <<: *default
  database: app_production
  pool: 10

staging:
  <<: *default
  database: app_staging
"""


def test_merge_keys_database_yml_style():
    root = load(DATABASE)
    default = mapping_get(root, "default")
    production = mapping_get(root, "production")
    staging = mapping_get(root, "staging")
    assert default is not None and production is not None and staging is not None
    assert default.anchor == "default"
    assert production.anchor is None
    # the tree itself keeps the merge key
    assert [key_name(k) for k, _ in production.value] == ["<<", "database", "pool"]
    assert production.value[0][0].tag == "tag:yaml.org,2002:merge"
    assert production.value[0][1] is default
    items = {key_name(k): v for k, v in mapping_items(production)}
    assert list(items) == ["adapter", "pool", "timeout", "database"]
    assert (items["pool"].value, items["pool"].status, items["pool"].line) == (10, "known", 9)
    assert items["adapter"].value == "postgresql"
    assert items["adapter"].line == 2  # inherited pairs point into the anchor
    inherited = mapping_get(staging, "pool")
    assert inherited is not None
    assert (inherited.value, inherited.status) == (5, "default")
    assert inherited.variables == ("RAILS_MAX_THREADS",)
    assert (inherited.line, inherited.column) == (3, 9)
    assert span(DATABASE, inherited) == '<%= ENV.fetch("RAILS_MAX_THREADS") { 5 } %>'
    assert inherited is mapping_get(default, "pool")


def test_merge_order_follows_psych():
    text = (
        "base: &base {pool: 1, timeout: 2}\n"
        "other: &other {pool: 3, host: h}\n"
        "before: {pool: 9, <<: *base}\n"  # Psych: a merge after a key replaces its value
        "after: {<<: *base, pool: 9}\n"
        "list: {<<: [*other, *base]}\n"  # the first mapping of a list wins
        "nested: {<<: {<<: *base, timeout: 7}}\n"
        'quoted: {"<<": *base}\n'
        "scalar: {<<: 5}\n"
    )
    root = load(text)

    def values(name):
        node = mapping_get(root, name)
        assert node is not None
        return {key_name(k): v.value for k, v in mapping_items(node)}

    assert values("before") == {"pool": 1, "timeout": 2}
    assert values("after") == {"pool": 9, "timeout": 2}
    assert values("list") == {"pool": 3, "timeout": 2, "host": "h"}
    assert values("nested") == {"pool": 1, "timeout": 7}
    assert values("quoted") == {"pool": 1, "timeout": 2}
    assert values("scalar") == {"<<": 5}


def test_mapping_helpers_on_other_nodes():
    root = load("- a\n- b\n")
    assert mapping_items(root) == []
    assert mapping_get(root, "a") is None


def test_aliases_share_the_anchored_node():
    text = "queues: &q [a, b]\nproduction:\n  queues: *q\n"
    root = load(text)
    production = mapping_get(root, "production")
    assert production is not None
    assert mapping_get(production, "queues") is mapping_get(root, "queues")
    assert mapping_get(root, "queues").anchor == "q"


def test_an_anchor_may_be_redefined():
    root = load("a: &x 1\nb: &x 2\nc: *x\n")
    assert mapping_get(root, "c").value == 2


def _billion_laughs() -> list[str]:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
    return lines


def _distinct_nodes(node: YNode, seen: dict[int, YNode]) -> int:
    if id(node) not in seen:
        seen[id(node)] = node
        if node.kind == "mapping":
            for key, value in node.value:
                _distinct_nodes(key, seen)
                _distinct_nodes(value, seen)
        elif node.kind == "sequence":
            for item in node.value:
                _distinct_nodes(item, seen)
    return len(seen)


def test_aliases_are_never_expanded():
    # Without a limit the bomb loads, and its 9 ** 9 expanded "lol"s are the 28 nodes written
    # (the root, 9 keys, 9 lists, 9 scalars): reading costs what the text holds, not what the
    # aliases would expand to.
    loaded = load_yaml(("\n".join(_billion_laughs()) + "\n").encode(), UNSET, max_aliases=10**12)
    assert isinstance(loaded, YamlDoc) and loaded.root is not None
    assert _distinct_nodes(loaded.root, {}) == 28
    assert mapping_get(loaded.root, "i").value[0] is mapping_get(loaded.root, "h")  # shared


def test_billion_laughs_is_refused_early():
    lines = _billion_laughs()
    result = error("\n".join(lines) + "\n")
    assert result.message == ALIAS_LIMIT_MESSAGE
    # c expands to 820 nodes: the limit is crossed at the second alias of line 4
    assert lines[3].startswith("d: &d [*c, *c, ")
    assert (result.line, result.column) == (4, 12)
    assert result.offset == len("\n".join(lines[:3])) + 1 + 11


def test_alias_limit_counts_expanded_nodes():
    text = "a: &a [1, 2, 3, 4]\nb: [*a, *a]\n"  # each alias expands to 5 nodes
    assert isinstance(load_yaml(text.encode(), UNSET, max_aliases=10), YamlDoc)
    assert error(text, max_aliases=9).message == ALIAS_LIMIT_MESSAGE


def test_deep_nesting_is_refused():
    result = error("[" * 5000 + "]" * 5000)
    assert result.message == "YAML nesting deeper than 200 levels"
    assert (result.line, result.column, result.offset) == (1, 201, 200)
    nested = "".join("  " * level + f"k{level}:\n" for level in range(30)) + "  " * 30 + "v\n"
    assert isinstance(load_yaml(nested.encode(), UNSET, max_depth=31), YamlDoc)
    assert error(nested, max_depth=30).line == 30


def test_aliases_count_towards_depth():
    text = "a: &a [[[[1]]]]\nb: [[*a]]\n"  # *a sits at level 4 and is 5 levels tall
    assert isinstance(load_yaml(text.encode(), UNSET, max_depth=8), YamlDoc)
    result = error(text, max_depth=7)
    assert result.message == "YAML nesting deeper than 7 levels"
    assert (result.line, result.column) == (2, 6)


def test_a_recursive_alias_is_an_error():
    result = error("a: &a [1, *a]\n")
    assert result.message == "recursive YAML alias"
    assert (result.line, result.column, result.offset) == (1, 11, 10)


def test_syntax_error_points_into_the_original_file():
    text = "a: <%= ENV.fetch('A') { 1000000 } %>\nb: [1, 2\nc: 3\n"
    result = error(text)
    assert result.message.endswith("expected ',' or ']', but got ':'")
    assert (result.line, result.column) == (3, 2)
    assert result.offset == text.index("c: 3") + 1


def test_syntax_error_after_multibyte_text():
    text = "é: 1\n  ü: 2\n"
    result = error(text)
    assert result.message == "mapping values are not allowed here"
    assert (result.line, result.column) == (2, 4)
    assert result.offset == len("é: 1\n  ü".encode())


def test_undefined_alias_is_an_error():
    result = error("a: *nope\n")
    assert result.message == "found undefined alias 'nope'"
    assert (result.line, result.column, result.offset) == (1, 4, 3)


def test_control_flow_that_breaks_the_yaml_makes_values_unknown():
    text = "production:\n<% if ENV['X'] %>\n  queues: [a,\n<% else %>\n  queues: [b]\n<% end %>\n"
    result = load_yaml(text.encode(), UNSET)
    assert isinstance(result, YamlDoc)
    assert result.root is None
    assert result.unknown_reason == CONTROL_FLOW_REASON
    assert result.rendered is not None and result.rendered.has_control_flow


def test_control_flow_that_composes_keeps_lines():
    text = "<% if true %>\nconcurrency: 5\n<% end %>\ntimeout: 8\n"
    result = load_yaml(text.encode(), UNSET)
    assert isinstance(result, YamlDoc)
    assert result.unknown_reason is None
    assert result.rendered is not None and result.rendered.has_control_flow
    assert result.root is not None
    timeout = mapping_get(result.root, "timeout")
    assert timeout is not None
    assert (timeout.value, timeout.line, timeout.column) == (8, 4, 10)


def test_ruby_object_tags_are_kept_not_constructed():
    text = "job: !ruby/object:Foo\n  bar: 1\nother: !ruby/sym x\n"
    root = load(text)
    job = mapping_get(root, "job")
    assert job is not None
    assert (job.kind, job.tag) == ("mapping", "!ruby/object:Foo")
    assert mapping_get(job, "bar").value == 1
    other = mapping_get(root, "other")
    assert other is not None
    assert (other.value, other.tag) == ("x", "!ruby/sym")


def test_only_the_first_document_is_read():
    root = load("a: 1\n---\nb: [unclosed\n")
    assert [key_name(k) for k, _ in mapping_items(root)] == ["a"]
    root = load("--- \nx: 1\n...\n--- \ny: 2\n")
    assert mapping_get(root, "x").value == 1
    assert mapping_get(root, "y") is None


@pytest.mark.parametrize("text", ["", "# only a comment\n", "<%# only ERB comment %>\n"])
def test_an_empty_file_has_no_root(text):
    result = load_yaml(text.encode(), UNSET)
    assert isinstance(result, YamlDoc)
    assert (result.root, result.unknown_reason) == (None, None)


def test_invalid_utf8_is_an_error():
    result = error(b"a: 1\nb: caf\xe9\n")
    assert result.message == "file is not valid UTF-8 (invalid continuation byte)"
    assert (result.offset, result.line, result.column) == (11, 2, 7)


def test_unclosed_erb_tag_is_an_error():
    result = error("a: 1\nb: <%= ENV['X']\n")
    assert result.message == "unclosed ERB tag"
    assert (result.offset, result.line, result.column) == (8, 2, 4)


def test_non_printable_character_is_an_error():
    result = error("a: <%= 1 %>\nb: \x07\n")
    assert result.message.startswith("invalid character")
    assert (result.offset, result.line, result.column) == (15, 2, 4)


def test_without_erb_the_text_is_yaml_as_is():
    text = "a: <%= 5 %>\n"
    result = load_yaml(text.encode(), UNSET, erb=False)
    assert isinstance(result, YamlDoc)
    assert result.rendered is None
    assert result.root is not None
    node = mapping_get(result.root, "a")
    assert node is not None
    assert (node.value, node.status, node.start, node.end) == ("<%= 5 %>", "known", 3, 11)


def test_placeholders_keep_keys_and_sequences_composable():
    text = "<%= Rails.env %>:\n  queues:\n    - <%= QUEUE_NAME %>\n    - low\n"
    root = load(text)
    key, section = root.value[0]
    assert (key.status, key.value) == ("unknown", None)
    assert (key.start, key.end) == (0, 16)
    queues = mapping_get(section, "queues")
    assert queues is not None
    first, second = queues.value
    assert (first.status, first.value, first.line, first.column) == ("unknown", None, 3, 7)
    assert span(text, first) == "<%= QUEUE_NAME %>"
    assert (second.status, second.value) == ("known", "low")
