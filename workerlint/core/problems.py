"""Why a file could not be checked whole: what the engine hands to the rule that reports it.

The engine finds these (a binary file, bytes that are not UTF-8, a file over the size limit, a
parse error, valid code the grammar rejects); a rule turns them into findings (WL001), like any
other rule turns facts into findings.
"""

from __future__ import annotations

import enum

from workerlint.core.diagnostics import Span
from workerlint.core.records import record


class ProblemKind(enum.Enum):
    BINARY = "binary"  # a NUL byte
    ENCODING = "encoding"  # not UTF-8; ``detail`` is the first bad byte, as 0xNN
    TOO_LARGE = "too-large"  # ``size`` over ``limit``
    SYNTAX = "syntax"  # ``missing``: the token the parser expected, or ``near``: the text
    DATA_SYNTAX = "data-syntax"  # YAML the loader rejects; ``detail`` is its message
    DATA_LIMIT = "data-limit"  # YAML over a safety limit (aliases, nesting); ``detail`` says
    GRAMMAR_GAP = "grammar-gap"  # valid code the grammar rejects; ``detail`` names the construct
    TEMPLATE = "template"  # a template of another language (Jinja) named as source; ``detail``
    FOREIGN_SCRIPT = "foreign-script"  # its ``#!`` runs another interpreter; ``detail`` names it


@record(frozen=True)
class SourceProblem:
    kind: ProblemKind
    span: Span
    detail: str = ""
    missing: str | None = None
    size: int = 0
    limit: int = 0
    # A grammar gap in a file that also has a real syntax error: that error's line.
    error_line: int | None = None
