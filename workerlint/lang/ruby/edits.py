"""Edits that fixes share: add a keyword option to a call, insert into a literal hash."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.core.diagnostics import Edit
from workerlint.lang.ruby import nodes

if TYPE_CHECKING:
    from tree_sitter import Node


def insert_into_hash(hash_node: Node, entry: str) -> Edit:
    """``{ a: 1 }`` -> ``{ a: 1, entry }``; ``{}`` -> ``{ entry }``."""
    items = [c for c in hash_node.named_children if c.type != "comment"]
    if not items:
        return Edit(hash_node.start_byte, hash_node.end_byte, f"{{ {entry} }}")
    return Edit(items[-1].end_byte, items[-1].end_byte, f", {entry}")


def add_keyword(call: Node, entry: str) -> Edit | None:
    """Add ``entry`` (``timeout: 10``) as the last keyword option of ``call``.

    A trailing literal hash receives it inside its braces (a second hash would be a new
    positional argument); a block argument (``&blk``) stays last. Returns None when the call
    shape has no safe place for it.
    """
    arg_list = nodes.argument_list(call)
    method = call.child_by_field_name("method")
    if arg_list is None:
        if method is None:
            return None
        anchor = method.end_byte
        return Edit(anchor, anchor, f"({entry})")
    args = [a for a in arg_list.named_children if a.type != "comment"]
    block_arg = next((a for a in args if a.type == "block_argument"), None)
    plain = [a for a in args if a.type != "block_argument"]
    if plain and plain[-1].type == "hash":
        return insert_into_hash(plain[-1], entry)
    if block_arg is not None:
        return Edit(block_arg.start_byte, block_arg.start_byte, f"{entry}, ")
    if plain:
        end = plain[-1].end_byte
        return Edit(end, end, f", {entry}")
    # empty argument list: "()" or nothing between
    if arg_list.child_count >= 2 and arg_list.children[0].type == "(":
        return Edit(arg_list.children[0].end_byte, arg_list.children[0].end_byte, entry)
    return None
