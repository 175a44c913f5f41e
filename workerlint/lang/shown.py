"""Source code shown in a message, for every language: on one line, and shortened only at a
token boundary.

A message that quotes code must quote it exactly: ``(mailchimp_integration.tota...`` reads as
a method that does not exist. ``shorten`` never cuts a name, a number or a symbol: it keeps
whole tokens while they fit, cuts a long string literal between words, ends with ``...`` and
closes the brackets and quotes it left open (``(mailchimp_integration...)``). The tokens are
those Ruby and Python share (names, strings, numbers, punctuation); Ruby's ``@ivar``, ``$global``
and ``:symbol`` are whole words too. Each language's ``describe(node)`` (lang/ruby/shown.py,
lang/python/nodes.py) quotes a node with it.
"""

from __future__ import annotations

import re

ELLIPSIS = "..."
_TOKEN = re.compile(
    r"""
      (?P<string>"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?)
    | (?P<word>(?:@@?|\$|:)?[A-Za-z_\d][\w]*[?!]?(?:\.\d+)?)
    | (?P<space>\s+)
    | (?P<punct>::|&\.|\.\.\.?|=>|->|\*\*|[^\w\s])
    """,
    re.VERBOSE,
)
_CLOSERS = {"(": ")", "[": "]", "{": "}"}
_DOTS = frozenset({".", "&."})  # a call's dot (not a range's `..`)
# Nothing to show after a cut: a dangling call dot, scope or comma.
_DANGLING = re.compile(r"(?:\s|\.|::|&\.|,)+$")
_OPERATOR_END = re.compile(r"[-+*/%|&=<>!^~?]$")
# Where a string may be cut: after a separator, never inside a word.
_STRING_CUT = re.compile(r"[\s/.,:;?&=#_-]")
_MIN_STRING_PART = 8


def one_line(source: str) -> str:
    """``source`` on one line: each run of whitespace one space, none around a call's dot (a
    chain written one call a line reads ``Order.active.where(...)``, as the code means it)."""
    tokens = [m for m in _TOKEN.finditer(" ".join(source.split()))]
    kept: list[str] = []
    for i, match in enumerate(tokens):
        if match.lastgroup == "space":
            before = tokens[i - 1].group() if i > 0 else ""
            after = tokens[i + 1].group() if i + 1 < len(tokens) else ""
            if before in _DOTS or after in _DOTS:
                continue
        kept.append(match.group())
    return "".join(kept)


def shorten(source: str, limit: int = 40) -> str:
    """``source`` on one line; past ``limit`` characters, cut at a token boundary (a string
    literal between words), with ``...`` and the brackets and quotes left open closed."""
    flat = one_line(source)
    if len(flat) <= limit:
        return flat
    budget = max(limit - len(ELLIPSIS), 1)
    kept: list[str] = []
    length = 0
    open_quote = ""
    for match in _TOKEN.finditer(flat):
        token = match.group()
        if length + len(token) <= budget:
            kept.append(token)
            length += len(token)
            continue
        room = budget - length
        if match.lastgroup == "string" and (room >= _MIN_STRING_PART or not kept):
            part = _string_part(token, max(room, _MIN_STRING_PART))
            if part:
                kept.append(part)
                open_quote = token[0]
        elif not kept:
            kept.append(token)  # a name longer than the limit is shown whole
        break
    head = "".join(kept)
    if not open_quote:
        head = _DANGLING.sub("", head)
    closers = _unclosed(head if not open_quote else head[: -len(kept[-1])])
    if not head:
        return ELLIPSIS
    if not open_quote and _OPERATOR_END.search(head):
        head += " "  # `total ||= ...`
    return head + ELLIPSIS + open_quote + "".join(reversed(closers))


def _string_part(token: str, room: int) -> str:
    """The start of a string literal cut after a separator within ``room`` characters."""
    window = token[:room]
    cuts = [m.end() for m in _STRING_CUT.finditer(window, 1)]
    if not cuts:
        return ""
    return window[: cuts[-1]].rstrip()


def _unclosed(head: str) -> list[str]:
    """The closing brackets ``head`` needs, innermost last (strings are skipped whole)."""
    stack: list[str] = []
    for match in _TOKEN.finditer(head):
        token = match.group()
        if token in _CLOSERS:
            stack.append(_CLOSERS[token])
        elif stack and token == stack[-1]:
            stack.pop()
    return stack
