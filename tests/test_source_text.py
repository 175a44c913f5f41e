"""SourceText (core/diagnostics.py): the line index is built when a position is first asked."""

from __future__ import annotations

from workerlint.core.diagnostics import SourceText


def test_the_line_index_is_built_on_first_use_with_the_same_positions():
    source = SourceText(b"a = 1\n\nb = \xc3\xa9t\xc3\xa9\r\nlast")
    assert "line_starts" not in vars(source)  # a file reporting nothing never needs it
    assert source.line_starts == [0, 6, 7, 18]
    assert source.line_count == 4
    assert (source.position(13).line, source.position(13).column) == (3, 6)
    assert source.line_text(2) == "b = été"
    assert source.offset(4, 2) == 19
    assert SourceText(b"").line_starts == [0]
