"""ERB-aware, position-keeping YAML loading.

The text is rendered by our own ERB evaluator, then composed (never constructed) with PyYAML's
safe loader, and turned into an immutable tree of ``YNode`` whose spans are byte offsets into the
file the user edits. Scalars made from ERB carry the ERB value's status and variables. Merge keys
stay as they are in the tree; ``mapping_items`` and ``mapping_get`` apply them the way Ruby's Psych
does. Alias expansion and nesting are bounded.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from workerlint.core.records import record
from workerlint.formats.erb import ErbTag, Rendered, Status, render, ruby_to_s

if TYPE_CHECKING:
    import yaml
    from yaml.nodes import Node, ScalarNode

MERGE_TAG = "tag:yaml.org,2002:merge"
CONTROL_FLOW_REASON = "ERB control flow makes the file's values unknown"
ALIAS_LIMIT_MESSAGE = "YAML alias expansion limit exceeded (possible alias bomb)"


@cache
def _constructors() -> dict[str, Any]:
    """The safe loader's constructors of the scalar tags we give values to."""
    from yaml.constructor import SafeConstructor

    return {
        "tag:yaml.org,2002:int": SafeConstructor.construct_yaml_int,
        "tag:yaml.org,2002:float": SafeConstructor.construct_yaml_float,
        "tag:yaml.org,2002:bool": SafeConstructor.construct_yaml_bool,
        "tag:yaml.org,2002:null": SafeConstructor.construct_yaml_null,
    }


@record(frozen=True, eq=False)
class YNode:
    """A YAML node. ``start``/``end`` are byte offsets into the original file; ``line`` and
    ``column`` (characters) are 1-based. A scalar's ``value`` is its resolved Python value (None
    when ``status`` is unknown); a mapping's is its ``(key, value)`` pairs in file order, merge
    keys not applied; a sequence's is its items. Nodes compare by identity; an alias is the
    anchored node itself."""

    kind: Literal["scalar", "mapping", "sequence"]
    value: Any
    tag: str
    style: str | None
    start: int
    end: int
    line: int
    column: int
    status: Status = "known"
    variables: tuple[str, ...] = ()
    anchor: str | None = None


@record(frozen=True)
class YamlDoc:
    """A loaded file: ``root`` is None for an empty file, or when ``unknown_reason`` says why the
    values cannot be known (ERB control flow whose rendering does not compose)."""

    root: YNode | None
    rendered: Rendered | None
    unknown_reason: str | None = None


@record(frozen=True)
class YamlError:
    """A file that does not load; ``offset`` is a byte offset, ``line``/``column`` are 1-based."""

    message: str
    offset: int
    line: int
    column: int


YamlResult = YamlDoc | YamlError


class _LoadError(Exception):
    """A limit or a structural problem found while composing or converting."""

    def __init__(self, message: str, index: int) -> None:
        super().__init__(message)
        self.message = message
        self.index = index


# ---------------------------------------------------------------------------------------------
# Positions


class _Positions:
    """Character offsets of the original text -> byte offsets, lines and columns."""

    def __init__(self, text: str) -> None:
        self.line_starts = [0, *(match.end() for match in re.finditer("\n", text))]
        self.wide: list[int] = []  # offsets of the non-ASCII characters
        self.extra: list[int] = []  # extra bytes up to and including each of them
        total = 0
        for match in re.finditer(r"[^\x00-\x7f]", text):
            total += len(match.group().encode("utf-8", "surrogatepass")) - 1
            self.wide.append(match.start())
            self.extra.append(total)

    def byte(self, offset: int) -> int:
        before = bisect_left(self.wide, offset)
        return offset + (self.extra[before - 1] if before else 0)

    def line_column(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def error(self, message: str, offset: int) -> YamlError:
        return YamlError(message, self.byte(offset), *self.line_column(offset))


class _Source:
    """The composed text, the ERB tags in it, and the way back to the original."""

    def __init__(self, text: str, rendered: Rendered | None) -> None:
        self.rendered = rendered
        self.text = rendered.text if rendered is not None else text
        self.tags = rendered.tags if rendered is not None else ()
        self.tag_starts = [tag.rendered_start for tag in self.tags]
        self.tag_ends = [tag.rendered_end for tag in self.tags]
        self.positions = _Positions(text)

    def original(self, index: int, *, end: bool = False) -> int:
        return self.rendered.to_original(index, end=end) if self.rendered is not None else index

    def tags_in(self, start: int, end: int) -> list[ErbTag]:
        """The output tags that make up the rendered text ``[start, end)`` of one scalar."""
        if start == end:
            return self.empty_tags_after(start)
        lo = bisect_left(self.tag_ends, start)
        hi = bisect_right(self.tag_starts, end)
        return [
            tag
            for tag in self.tags[lo:hi]
            if (tag.rendered_start < end and tag.rendered_end > start)
            or tag.rendered_start == tag.rendered_end
        ]

    def empty_tags_after(self, index: int) -> list[ErbTag]:
        """Tags rendered as nothing right after an empty scalar (``pool: <%= nil %>``)."""
        tags = []
        for tag in self.tags[bisect_left(self.tag_starts, index) :]:
            empty = tag.rendered_start == tag.rendered_end
            if not empty or self.text[index : tag.rendered_start].strip(" "):
                break
            tags.append(tag)
        return tags

    def span(self, start: int, end: int, tags: list[ErbTag]) -> tuple[int, int]:
        """The original character span of the rendered text ``[start, end)``."""
        if start == end and tags:
            return tags[0].start, tags[-1].end
        return self.original(start), self.original(end, end=True)


# ---------------------------------------------------------------------------------------------
# Composing (PyYAML is imported when a document is composed: a run whose YAML documents all
# come from the setup cache, project/frameworks/sidekiq/setup_cache.py, does not load it)


@cache
def _loader_class() -> type[yaml.SafeLoader]:
    import yaml

    class _Loader(yaml.SafeLoader):
        """The safe loader's composer, with a depth bound, alias marks, anchor names, and
        anchors that may be redefined (as libyaml, and so Ruby, allows)."""

        def __init__(self, stream: str, max_depth: int) -> None:
            super().__init__(stream)
            self.wl_max_depth = max_depth
            self.wl_depth = 0
            self.wl_alias_marks: list[int] = []
            self.wl_anchors: dict[int, str] = {}

        def compose_node(self, parent: Node | None, index: Any) -> Node:
            event = self.peek_event()
            if isinstance(event, yaml.AliasEvent):
                self.wl_alias_marks.append(event.start_mark.index)
                return super().compose_node(parent, index)
            if event.anchor is not None:
                self.anchors.pop(event.anchor, None)
            self.wl_depth += 1
            try:
                if self.wl_depth > self.wl_max_depth:
                    raise _LoadError(_depth_message(self.wl_max_depth), event.start_mark.index)
                node = super().compose_node(parent, index)
            finally:
                self.wl_depth -= 1
            if event.anchor is not None:
                self.wl_anchors[id(node)] = event.anchor
            return node

    return _Loader


def _yaml() -> Any:
    """PyYAML, imported by the composing above before any of its errors can be raised."""
    import yaml

    return yaml


def _depth_message(max_depth: int) -> str:
    return f"YAML nesting deeper than {max_depth} levels"


@record(frozen=True)
class _Converted:
    node: YNode
    size: int  # nodes in the full expansion (aliases expanded)
    height: int  # levels in the full expansion
    via_alias: int  # nodes of the full expansion reached through an alias


class _Converter:
    """PyYAML nodes -> YNode, once per node, counting what the aliases would expand to."""

    def __init__(
        self, loader: yaml.SafeLoader, source: _Source, max_aliases: int, max_depth: int
    ) -> None:
        self.loader = loader
        self.source = source
        self.max_aliases = max_aliases
        self.max_depth = max_depth
        self.done: dict[int, _Converted] = {}
        self.active: set[int] = set()
        self.aliases_seen = 0
        self.last_alias = 0

    def convert(self, node: Node, depth: int) -> _Converted:
        from yaml.nodes import ScalarNode

        self.active.add(id(node))
        if isinstance(node, ScalarNode):
            result = _Converted(self.scalar(node), 1, 1, 0)
        else:
            result = self.collection(node, depth)
        self.active.discard(id(node))
        self.done[id(node)] = result
        return result

    def child(self, node: Node, depth: int) -> tuple[_Converted, int]:
        """Convert a child; also return how many nodes of it are reached through an alias."""
        known = self.done.get(id(node))
        if known is None and id(node) not in self.active:
            converted = self.convert(node, depth)
            return converted, converted.via_alias
        marks = self.loader.wl_alias_marks
        self.last_alias = marks[min(self.aliases_seen, len(marks) - 1)] if marks else 0
        self.aliases_seen += 1
        if known is None:
            raise _LoadError("recursive YAML alias", self.last_alias)
        if depth - 1 + known.height > self.max_depth:
            raise _LoadError(_depth_message(self.max_depth), self.last_alias)
        return known, known.size

    def collection(self, node: Node, depth: int) -> _Converted:
        from yaml.nodes import MappingNode

        children = (
            [c for pair in node.value for c in pair]
            if isinstance(node, MappingNode)
            else node.value
        )
        converted: list[YNode] = []
        size, height, via_alias = 1, 1, 0
        for child in children:
            result, reached = self.child(child, depth + 1)
            converted.append(result.node)
            size += result.size
            height = max(height, result.height + 1)
            via_alias += reached
            if via_alias > self.max_aliases:
                raise _LoadError(ALIAS_LIMIT_MESSAGE, self.last_alias)
        if isinstance(node, MappingNode):
            value: tuple[Any, ...] = tuple(zip(converted[::2], converted[1::2], strict=True))
            kind: Literal["mapping", "sequence"] = "mapping"
        else:
            value, kind = tuple(converted), "sequence"
        start, end = (
            self.source.original(node.start_mark.index),
            self.source.original(node.end_mark.index, end=True),
        )
        return _Converted(self.make(node, kind, value, start, end), size, height, via_alias)

    def scalar(self, node: ScalarNode) -> YNode:
        tags = self.source.tags_in(node.start_mark.index, node.end_mark.index)
        statuses = {tag.status for tag in tags}
        status: Status = (
            "unknown" if "unknown" in statuses else "default" if "default" in statuses else "known"
        )
        variables = tuple(dict.fromkeys(name for tag in tags for name in tag.variables))
        value = None if status == "unknown" else _scalar_value(self.loader, node)
        start, end = self.source.span(node.start_mark.index, node.end_mark.index, tags)
        return self.make(node, "scalar", value, start, end, status, variables)

    def make(
        self,
        node: Node,
        kind: Literal["scalar", "mapping", "sequence"],
        value: Any,
        start: int,
        end: int,
        status: Status = "known",
        variables: tuple[str, ...] = (),
    ) -> YNode:
        positions = self.source.positions
        line, column = positions.line_column(start)
        return YNode(
            kind=kind,
            value=value,
            tag=node.tag,
            style=getattr(node, "style", None) if kind == "scalar" else None,
            start=positions.byte(start),
            end=positions.byte(end),
            line=line,
            column=column,
            status=status,
            variables=variables,
            anchor=self.loader.wl_anchors.get(id(node)),
        )


def _scalar_value(loader: yaml.SafeLoader, node: ScalarNode) -> Any:
    """The safe loader's value for the resolved tag; the text itself for str and other tags."""
    construct = _constructors().get(node.tag)
    if construct is None:
        return node.value
    try:
        return construct(loader, node)
    except (ValueError, KeyError, TypeError, _yaml().YAMLError):
        return node.value


def _compose(source: _Source, max_aliases: int, max_depth: int) -> YNode | None:
    loader = _loader_class()(source.text, max_depth)
    try:
        if not loader.check_node():
            return None
        node = loader.get_node()  # the first document: Psych never reads the others
        return _Converter(loader, source, max_aliases, max_depth).convert(node, 1).node
    finally:
        loader.dispose()


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    parts = [part for part in (exc.context, exc.problem) if part]
    return ": ".join(parts) or "invalid YAML"


# Loaded documents by content and options: the Sidekiq setup and the linter read the same files
# in one run, and a document (frozen nodes) is never changed once loaded.
_LOADED: OrderedDict[tuple[object, ...], YamlResult] = OrderedDict()
_LOADED_MAX = 64


def load_yaml(
    data: bytes,
    env: Mapping[str, str],
    *,
    erb: bool = True,
    max_aliases: int = 1000,
    max_depth: int = 200,
) -> YamlResult:
    """Load the first YAML document of ``data``, rendering its ERB with ``env`` first (once per
    content and options in a process)."""
    key = (data, tuple(sorted(env.items())), erb, max_aliases, max_depth)
    found = _LOADED.get(key)
    if found is None:
        found = _load_yaml(data, env, erb=erb, max_aliases=max_aliases, max_depth=max_depth)
        _LOADED[key] = found
        if len(_LOADED) > _LOADED_MAX:
            _LOADED.popitem(last=False)
    else:
        _LOADED.move_to_end(key)
    return found


def remember(data: bytes, env: Mapping[str, str], result: YamlResult) -> None:
    """Keep ``result`` as what ``load_yaml(data, env)`` (default options) gives from now on in
    this process: a result a cache stored for these bytes and variables, so that every reader of
    the file in this run shares its nodes (they compare by identity)."""
    key = (data, tuple(sorted(env.items())), True, 1000, 200)
    _LOADED[key] = result
    _LOADED.move_to_end(key)
    if len(_LOADED) > _LOADED_MAX:
        _LOADED.popitem(last=False)


def loaded(data: bytes, env: Mapping[str, str]) -> YamlResult | None:
    """What ``load_yaml(data, env)`` (default options) gave already in this process, if it did."""
    return _LOADED.get((data, tuple(sorted(env.items())), True, 1000, 200))


def _load_yaml(
    data: bytes,
    env: Mapping[str, str],
    *,
    erb: bool,
    max_aliases: int,
    max_depth: int,
) -> YamlResult:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start].decode("utf-8")
        return _Positions(prefix).error(f"file is not valid UTF-8 ({exc.reason})", len(prefix))
    rendered = render(text, env) if erb else None
    source = _Source(text, rendered)
    if rendered is not None and rendered.error is not None:
        return source.positions.error(rendered.error.message, rendered.error.offset)
    try:
        return YamlDoc(_compose(source, max_aliases, max_depth), rendered)
    except _LoadError as exc:
        return source.positions.error(exc.message, source.original(exc.index))
    except _yaml().MarkedYAMLError as exc:
        if rendered is not None and rendered.has_control_flow:
            return YamlDoc(None, rendered, CONTROL_FLOW_REASON)
        mark = exc.problem_mark or exc.context_mark
        index = source.original(mark.index) if mark is not None else 0
        return source.positions.error(_yaml_message(exc), index)
    except _yaml().reader.ReaderError as exc:
        return source.positions.error(
            f"invalid character: {exc.reason}", source.original(exc.position)
        )
    except RecursionError:
        return source.positions.error(_depth_message(max_depth), 0)


# ---------------------------------------------------------------------------------------------
# Reading mappings


def key_name(node: YNode) -> str:
    """A scalar key's name without a leading ':' (Sidekiq symbolizes keys: the same key)."""
    if isinstance(node.value, str):
        return node.value.removeprefix(":")
    return ruby_to_s(node.value)


def _identity(key: YNode) -> tuple[Any, ...]:
    if key.kind != "scalar" or key.status == "unknown":
        return ("node", id(key))
    if isinstance(key.value, str):
        return ("str", key_name(key))
    return (type(key.value).__name__, key.value)


def _is_merge(key: YNode) -> bool:
    if key.kind != "scalar":
        return False
    # Psych merges a `<<` key unless it is tagged !!str; a quoted "<<" has no tag there.
    return key.tag == MERGE_TAG or (key.style in ("'", '"') and key.value == "<<")


def _merged(value: YNode) -> list[tuple[YNode, YNode]] | None:
    """The pairs a merge key's value brings, or None when it is not mergeable (then a plain key)."""
    if value.kind == "mapping":
        return mapping_items(value)
    if value.kind != "sequence" or any(item.kind != "mapping" for item in value.value):
        return None
    pairs: dict[tuple[Any, ...], tuple[YNode, YNode]] = {}
    for item in reversed(value.value):  # the first mapping of the list wins
        for key, item_value in mapping_items(item):
            pairs[_identity(key)] = (key, item_value)
    return list(pairs.values())


def mapping_items(node: YNode) -> list[tuple[YNode, YNode]]:
    """A mapping's pairs with merge keys applied, one pair per key, as Ruby's Psych builds them:
    pairs are applied in file order and a later one replaces an earlier one's value in its place
    (so explicit keys after ``<<: *default`` win); inherited pairs keep their positions in the
    anchor. Keys that differ only by a leading ':' are one key."""
    if node.kind != "mapping":
        return []
    pairs: dict[tuple[Any, ...], tuple[YNode, YNode]] = {}
    for key, value in node.value:
        merged = _merged(value) if _is_merge(key) else None
        for pair in merged if merged is not None else [(key, value)]:
            pairs[_identity(pair[0])] = pair
    return list(pairs.values())


def mapping_get(node: YNode, key: str) -> YNode | None:
    """The value of ``key`` (with or without a leading ':') in a mapping, merge keys applied."""
    name = key.removeprefix(":")
    for item_key, value in mapping_items(node):
        if (
            isinstance(item_key.value, str)
            and item_key.status != "unknown"
            and key_name(item_key) == name
        ):
            return value
    return None
