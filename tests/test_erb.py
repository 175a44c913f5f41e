"""The safe ERB evaluator: expression shapes, statuses, rendering and the source map."""

import builtins
import os
import subprocess

import pytest

from workerlint.formats.erb import ErbValue, Symbol, evaluate, placeholder, render, ruby_to_s

UNSET: dict[str, str] = {}


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("10", 10),
        ("1_000", 1000),
        ("010", 8),
        ("0x1f", 31),
        ("-3", -3),
        ("2.5", 2.5),
        ('"text"', "text"),
        ("'it\\'s'", "it's"),
        ('"a\\tb"', "a\tb"),
        (":critical", Symbol("critical")),
        ("nil", None),
        ("true", True),
        ("false", False),
        ("(7)", 7),
        ("2 + 3", 5),
        ("4 * 5", 20),
        ("2 + 3 * 4", 14),
        ("(2 + 3) * 4", 20),
        ("10 - 4", 6),
        ('"a" + "b"', "ab"),
        ("-2.to_s", "-2"),
        ('"42abc".to_i', 42),
        ('"abc".to_i', 0),
        ('"1.5".to_f', 1.5),
        ("5.to_s", "5"),
        ('Integer("25")', 25),
        ('Integer(" 25 ")', 25),
        ('Integer("0x10")', 16),
        ('Integer("010")', 8),
        ('Integer("010", 10)', 10),
        ("Integer(9.9)", 9),
        ('Float("2.5")', 2.5),
        ("Float(3)", 3.0),
    ],
)
def test_literals_and_conversions_are_known(source, value):
    assert evaluate(source, UNSET) == ErbValue(value, "known", ())


@pytest.mark.parametrize(
    "source",
    [
        'ENV.fetch("SIDEKIQ_CONCURRENCY") { 20 }',
        "ENV.fetch('SIDEKIQ_CONCURRENCY', 20)",
        'ENV["SIDEKIQ_CONCURRENCY"] || 20',
        "ENV['SIDEKIQ_CONCURRENCY'].presence || 20",
        'ENV.fetch("SIDEKIQ_CONCURRENCY", "20").to_i',
        'ENV.fetch("SIDEKIQ_CONCURRENCY") { "20" }.to_i',
        'Integer(ENV.fetch("SIDEKIQ_CONCURRENCY", "20"))',
        'Integer(ENV["SIDEKIQ_CONCURRENCY"] || 20)',
        '(ENV["SIDEKIQ_CONCURRENCY"] || "20").to_i',
        'ENV["SIDEKIQ_CONCURRENCY"]&.to_i || 20',
        'ENV["SIDEKIQ_CONCURRENCY"] or 20',
        'ENV.fetch("SIDEKIQ_CONCURRENCY", 10) { 20 }',
    ],
)
def test_defaults_when_the_variable_is_unset(source):
    assert evaluate(source, UNSET) == ErbValue(20, "default", ("SIDEKIQ_CONCURRENCY",))


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ('ENV.fetch("SIDEKIQ_CONCURRENCY") { 20 }', "30"),
        ('ENV.fetch("SIDEKIQ_CONCURRENCY", 20).to_i', 30),
        ('ENV["SIDEKIQ_CONCURRENCY"] || 20', "30"),
        ('ENV["SIDEKIQ_CONCURRENCY"]', "30"),
        ('ENV.fetch("SIDEKIQ_CONCURRENCY")', "30"),
        ('Integer(ENV["SIDEKIQ_CONCURRENCY"])', 30),
        ('Float(ENV["SIDEKIQ_CONCURRENCY"])', 30.0),
        ('ENV["SIDEKIQ_CONCURRENCY"].to_f', 30.0),
    ],
)
def test_a_supplied_variable_is_known(source, value):
    env = {"SIDEKIQ_CONCURRENCY": "30"}
    assert evaluate(source, env) == ErbValue(value, "known", ("SIDEKIQ_CONCURRENCY",))


def test_a_blank_variable_falls_back_through_presence_but_not_through_or():
    env = {"X": "  "}
    assert evaluate('ENV["X"].presence || 5', env) == ErbValue(5, "known", ("X",))
    assert evaluate('ENV["X"] || 5', env) == ErbValue("  ", "known", ("X",))


def test_several_variables_are_all_named():
    assert evaluate('ENV["A"] || ENV["B"] || 3', UNSET) == ErbValue(3, "default", ("A", "B"))
    assert evaluate('ENV["A"] || ENV["B"] || 3', {"B": "4"}) == ErbValue("4", "known", ("A", "B"))
    assert evaluate('ENV.fetch("A") { ENV["B"] }', {"B": "4"}) == ErbValue("4", "known", ("A", "B"))
    assert evaluate('ENV["A"] || ENV["B"] || 3', {"A": "1"}) == ErbValue("1", "known", ("A",))
    assert evaluate('ENV.fetch("A", 1).to_i + ENV.fetch("B", 2).to_i', {"B": "5"}) == ErbValue(
        6, "default", ("A", "B")
    )


@pytest.mark.parametrize(
    ("source", "variables"),
    [
        ('ENV["X"]', ("X",)),  # no default
        ('ENV.fetch("X")', ("X",)),  # KeyError at boot
        ('ENV["X"].to_i', ("X",)),  # nil.to_i is 0: not a value the file meant
        ('Integer(ENV["X"])', ("X",)),  # TypeError
        ('ENV["X"] || ENV["Y"]', ("X", "Y")),
        ('ENV["X"].upcase', ("X",)),
        ('ENV.fetch("X") { Rails.env }', ("X",)),
        ("Rails.env", ()),
        ("Rails.application.config.x", ()),
        ("MAX_THREADS", ()),
        ("Foo::BAR", ()),
        ("threads", ()),
        ("`echo 5`", ()),
        ("%x(echo 5)", ()),
        ('system("echo 5")', ()),
        ('"#{1}"', ()),
        ('Integer("abc")', ()),
        ('Integer("12abc")', ()),
        ("Integer(nil)", ()),
        ('Float("1.5x")', ()),
        ('"a" * 3', ()),
        ('1 + "a"', ()),
        ("1 ? 2 : 3", ()),
        ("x = 5", ()),
        ("5 5", ()),
        ("08", ()),
        ("9" * 5000, ()),
        ("", ()),
        ("(" * 200 + "1" + ")" * 200, ()),
    ],
)
def test_anything_else_is_unknown(source, variables):
    assert evaluate(source, UNSET) == ErbValue(None, "unknown", variables)


def test_nothing_is_ever_executed(tmp_path, monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("the evaluator must not execute anything")

    for name in ("eval", "exec"):
        monkeypatch.setattr(builtins, name, forbidden)
    monkeypatch.setattr(os, "system", forbidden)
    monkeypatch.setattr(subprocess, "Popen", forbidden)
    marker = tmp_path / "pwned"
    text = (
        f'a: <%= system("touch {marker}") %>\n'
        f"b: <%= `touch {marker}` %>\n"
        f'c: <%= Kernel.exec("touch {marker}") %>\n'
        f"d: [<%= `touch {marker}`.strip %>_default, 2]\n"
        f'<% File.write("{marker}", "x") %>\n'
    )
    rendered = render(text, UNSET)
    assert [tag.status for tag in rendered.tags] == ["unknown"] * 4
    assert not marker.exists()


def test_render_output_tags_and_statuses():
    text = 'concurrency: <%= ENV.fetch("SIDEKIQ_CONCURRENCY") { 20 } %>\ntimeout: <%= 25 %>\n'
    rendered = render(text, UNSET)
    assert rendered.text == "concurrency: 20\ntimeout: 25\n"
    assert rendered.has_control_flow is False
    first, second = rendered.tags
    assert (first.start, first.end) == (13, 59)
    assert text[first.start : first.end] == '<%= ENV.fetch("SIDEKIQ_CONCURRENCY") { 20 } %>'
    assert (first.rendered_start, first.rendered_end) == (13, 15)
    assert (first.value, first.status, first.variables) == (20, "default", ("SIDEKIQ_CONCURRENCY",))
    assert first.source == 'ENV.fetch("SIDEKIQ_CONCURRENCY") { 20 }'
    assert (second.value, second.status, second.variables) == (25, "known", ())


def test_render_with_a_supplied_variable():
    rendered = render(
        'pool: <%= ENV.fetch("RAILS_MAX_THREADS") { 5 } %>\n', {"RAILS_MAX_THREADS": "12"}
    )
    assert rendered.text == "pool: 12\n"
    assert rendered.tags[0].status == "known"
    assert rendered.tags[0].value == "12"


def test_unknown_tags_render_unique_placeholders():
    rendered = render("a: <%= 1 %>\nb: <%= Rails.env %>\nc: <%= ENV['X'] %>\n", UNSET)
    assert rendered.text == "a: 1\nb: __wl_erb_unknown_1__\nc: __wl_erb_unknown_2__\n"
    assert placeholder(1) == "__wl_erb_unknown_1__"
    assert [tag.status for tag in rendered.tags] == ["known", "unknown", "unknown"]
    assert rendered.tags[2].variables == ("X",)
    assert rendered.tags[2].value is None


def test_rendered_values_are_ruby_to_s():
    rendered = render(
        "<%= nil %>|<%= true %>|<%= :low %>|<%= 1.0e20 %>|<%= 2.0 %>|<%= 1e-05 %>", UNSET
    )
    assert rendered.text == "|true|low|1.0e+20|2.0|1.0e-05"
    assert ruby_to_s(float("inf")) == "Infinity"


def test_control_and_comment_tags_are_removed_keeping_lines():
    text = (
        "production:\n"
        "  <% if ENV['BIG'] %>\n"
        "  concurrency: 50\n"
        "  <%- else -%>\n"
        "  <%# a comment\n spanning two lines %>\n"
        "<% end %>\n"
        "timeout: 8\n"
    )
    rendered = render(text, UNSET)
    assert rendered.text == "production:\n  \n  concurrency: 50\n\n  \n\n\ntimeout: 8\n"
    assert rendered.text.count("\n") == text.count("\n")
    assert rendered.has_control_flow is True
    assert rendered.tags == ()
    assert rendered.to_original(rendered.text.index("timeout")) == text.index("timeout")
    assert rendered.to_original(rendered.text.index("concurrency")) == text.index("concurrency")


def test_comment_tags_alone_are_not_control_flow():
    rendered = render("<%# just a note %>\na: 1\n", UNSET)
    assert rendered.text == "\na: 1\n"
    assert rendered.has_control_flow is False


def test_trim_markers_keep_the_newline():
    rendered = render("a: <%= 5 -%>\nb: 1\n  <%- x = 1 %>\n", UNSET)
    assert rendered.text == "a: 5\nb: 1\n\n"
    assert rendered.tags[0].source == "5"


def test_escaped_percent_tags_are_text():
    rendered = render("a: <%% not a tag %>\nb: <%= '%%>' %>\n", UNSET)
    assert rendered.text == "a: <% not a tag %>\nb: %>\n"
    assert rendered.to_original(rendered.text.index("not")) == 7


def test_unclosed_tag_is_an_error():
    rendered = render("a: 1\nb: <%= ENV['X']\n", UNSET)
    assert rendered.error is not None
    assert rendered.error.message == "unclosed ERB tag"
    assert rendered.error.offset == 8


def test_source_map():
    text = "é: <%= ENV.fetch('X', 7) %> ü\n<% if y %>\nk: v\n"
    rendered = render(text, UNSET)
    assert rendered.text == "é: 7 ü\n\nk: v\n"
    tag_start = text.index("<%=")
    tag_end = text.index("%>") + 2
    assert rendered.to_original(0) == 0
    assert rendered.to_original(3) == tag_start  # the value's first character
    assert rendered.to_original(4) == tag_end  # just after the value: the literal text
    assert rendered.to_original(4, end=True) == tag_end  # the value's end
    assert rendered.to_original(3, end=True) == 3  # an end before the tag stays before it
    assert rendered.to_original(5) == text.index("ü")
    assert rendered.to_original(7) == text.index("\n", text.index("<% if"))
    assert rendered.to_original(rendered.text.index("k")) == text.index("k:")
    assert rendered.to_original(len(rendered.text)) == len(text)
    assert rendered.to_original(10_000) == len(text)


def test_source_map_inside_a_placeholder():
    text = "a: <%= foo %>\n"
    rendered = render(text, UNSET)
    inside = rendered.text.index("wl")
    assert rendered.to_original(inside) == 3
    assert rendered.to_original(inside, end=True) == text.index("\n")


def test_empty_template_and_no_tags():
    assert render("", UNSET).text == ""
    assert render("", UNSET).to_original(0) == 0
    plain = render("a: 1\n", UNSET)
    assert plain.text == "a: 1\n"
    assert plain.to_original(3) == 3
