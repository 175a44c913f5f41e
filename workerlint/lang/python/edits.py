"""Edits that Python fixes share: add a keyword argument to a call."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.core.diagnostics import Edit

if TYPE_CHECKING:
    from tree_sitter import Node


def add_keyword(call: Node, entry: str) -> Edit | None:
    """Add ``entry`` (``timeout=10``) as the last keyword argument of ``call``, before a
    ``**kwargs`` when there is one. None when the call has no argument list to add to (a
    call given one generator expression)."""
    args = call.child_by_field_name("arguments")
    if args is None or args.type != "argument_list":
        return None
    items = [c for c in args.named_children if c.type != "comment"]
    splat = next((c for c in items if c.type == "dictionary_splat"), None)
    if splat is not None:
        return Edit(splat.start_byte, splat.start_byte, f"{entry}, ")
    if items:
        return Edit(items[-1].end_byte, items[-1].end_byte, f", {entry}")
    opening = args.children[0] if args.children else None
    if opening is None or opening.type != "(":
        return None
    return Edit(opening.end_byte, opening.end_byte, entry)
