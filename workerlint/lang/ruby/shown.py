"""Ruby source shown in a message: a node on one line, shortened only at a token boundary
(lang/shown.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.lang.ruby.nodes import text
from workerlint.lang.shown import ELLIPSIS, one_line, shorten

if TYPE_CHECKING:
    from tree_sitter import Node

__all__ = ["ELLIPSIS", "describe", "one_line", "shorten"]


def describe(node: Node | None, limit: int = 40) -> str:
    """The source of a node on one line, shortened at a token boundary past ``limit``."""
    return shorten(text(node), limit)
