"""Size evidence (RULES.md, "Size evidence"): how large the collection or count a loop iterates
is, as the code shows it.

**large**: an unbounded relation chain, batches (``find_each``, ``find_in_batches``,
``in_batches``), ``pluck``/``ids`` of an unbounded chain, a job argument iterated (a list of any
length; a chain bounded only by such a list), a literal collection or count over 100, any
non-literal count, a ``while``/``until``/``loop`` unless its condition compares with a literal of
at most 100; **small**: a literal array, hash or range of at most 100 elements, a constant
holding one, ``I18n.available_locales``, a literal count of at most 100, ``limit(n)``/``first(n)``
with a literal ``n`` of at most 100; **unknown**: anything else. A local assigned once has its
value's evidence; ``each_slice``, ``with_index``... take their collection's. **request**: what
the loop walks derives from request input (lang/ruby/provenance): one request sizes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.facts import Size, SizeEvidence
from workerlint.lang.ruby import nodes
from workerlint.lang.ruby.nodes import (
    NOT_LITERAL,
    constant_path,
    literal_value,
    method_name,
    text,
    unwrap,
)
from workerlint.lang.ruby.shown import describe

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.facts import Relation
    from workerlint.lang.ruby.context import RubyContext

LIMIT = 100  # the most elements (or steps) a small collection (or count) has
BATCHES = frozenset({"find_each", "find_in_batches", "in_batches"})
COUNTS = frozenset({"times", "upto", "downto", "step"})
# Enumerator wrappers and element iterators: the collection under them decides.
WRAPPERS = frozenset(
    {"each", "each_slice", "each_cons", "each_with_index", "with_index", "each_with_object",
     "with_object", "each_entry", "map", "collect", "flat_map", "select", "filter", "reject",
     "filter_map", "reverse_each", "each_key", "each_value", "each_pair", "zip", "lazy",
     "uniq", "compact", "sort", "sort_by", "to_a", "shuffle", "reverse", "flatten", "keys",
     "values", "group_by", "partition", "index_by", "sum", "inject", "reduce", "cycle", "entries",
     "dup", "freeze", "presence", "to_set", "sample"}
)  # fmt: skip
TAKES = frozenset({"first", "take", "last", "limit", "sample"})
LOCALES = frozenset({"I18n.available_locales", "::I18n.available_locales"})
JOB_METHODS = frozenset({"perform", "each_iteration", "build_enumerator"})
DEPTH = 8
BATCHED = " batches (many rows)"
UNSCOPING = frozenset({"unscoped", "unscope", "rewhere", "except", "only"})
ONE_RECORD = frozenset({"find", "find_by", "find_by!", "first", "last", "take", "sole", "first!",
                        "last!", "take!", "find_or_create_by", "find_or_create_by!", "create",
                        "create!", "new"})  # fmt: skip
UNBOUNDED = ", an unbounded relation"
FILTERED = "a filtered relation whose size is not known"  # relations.no_evidence
WINDOW = "a rolling time window (its size is not known)"
SLICE = "a slice of time relative to now (its size is not known)"


def small(reason: str) -> SizeEvidence:
    return SizeEvidence(Size.SMALL, reason)


def large(reason: str) -> SizeEvidence:
    return SizeEvidence(Size.LARGE, reason)


def unknown(reason: str) -> SizeEvidence:
    return SizeEvidence(Size.UNKNOWN, reason)


def shared(column: str) -> str:
    """How messages name the rows that share one runtime value of a column."""
    return f"the rows sharing one value of `{column}` (how many is not known)"


def of_loop(loop: Node, ctx: RubyContext) -> SizeEvidence:
    """The size evidence of what ``loop`` (an iteration call or a keyword loop) iterates."""
    if loop.type == "call":
        return _call_loop(loop, ctx)
    kind = loop.type.removesuffix("_modifier")
    if kind == "for":
        value = loop.child_by_field_name("value")
        if value is not None and value.type == "in" and value.named_children:
            value = value.named_children[-1]
        return collection(value, ctx)
    condition = loop.child_by_field_name("condition")
    bound = _literal_bound(condition)
    article = "an" if kind == "until" else "a"
    if bound is not None and bound <= LIMIT:
        return small(f"{article} `{kind}` loop bounded by {bound}")
    return large(f"{article} `{kind}` loop that no small literal bounds")


def _call_loop(call: Node, ctx: RubyContext) -> SizeEvidence:
    """A loop over many rows that drains its own set (lang/ruby/pending.py) walks only the rows
    that arrived since the last run: how many is not known."""
    found = _iterated(call, ctx)
    if found.size is Size.LARGE:
        from workerlint.lang.ruby.pending import pending_set

        drained = pending_set(call, ctx)
        return unknown(drained.reason()) if drained is not None else found
    return found


def _iterated(call: Node, ctx: RubyContext) -> SizeEvidence:
    name = method_name(call) or ""
    recv = nodes.receiver(call)
    args = [a for a in nodes.arguments(call) if a.type != "block_argument"]
    if name in BATCHES:
        return batches(call, ctx)
    if name == "loop" and recv is None:
        return large("a `loop` that no small literal bounds")
    if name == "times":
        return count(recv, ctx)
    if name in ("upto", "downto", "step"):
        first = literal_value(recv) if recv is not None else NOT_LITERAL
        last = literal_value(args[0]) if args else NOT_LITERAL
        if isinstance(first, int) and isinstance(last, int) and name != "step":
            steps = abs(last - first) + 1
            if steps <= LIMIT:
                return small(f"a literal count of {steps}")
            return large(f"a literal count of {steps} (more than {LIMIT})")
        return large(f"`{describe(call.child_by_field_name('method') or call)}` over a count")
    return collection(recv, ctx)


def count(node: Node | None, ctx: RubyContext) -> SizeEvidence:
    """A count (``n.times``): literal, a constant holding one, or any other (large)."""
    node = unwrap(node)
    if node is None:
        return unknown("a count")
    value = literal_value(node)
    if value is NOT_LITERAL and constant_path(node) is not None:
        value = ctx.index.constant(constant_path(node) or "", ctx.semantic.lexical(node))
    if isinstance(value, int) and not isinstance(value, bool):
        if value <= LIMIT:
            return small(f"a count of {value}")
        return large(f"a count of {value} (more than {LIMIT})")
    return large(f"`{describe(node)}`, a count that no small literal bounds")


def collection(node: Node | None, ctx: RubyContext, depth: int = 0) -> SizeEvidence:
    """The size evidence of an iterated collection."""
    node = unwrap(node)
    if node is None or depth > DEPTH:
        return unknown("a collection of unknown size")
    kind = node.type
    if kind in ("array", "string_array", "symbol_array", "hash"):
        items = sum(1 for c in node.named_children if c.type != "comment")
        what = "hash" if kind == "hash" else "list"
        if items <= LIMIT:
            return small(f"a literal {what} of {items}")
        return large(f"a literal {what} of {items} elements (more than {LIMIT})")
    if kind == "range":
        return _range(node, ctx)
    if kind in ("constant", "scope_resolution"):
        return _constant(node, ctx)
    if kind in ("identifier", "instance_variable"):
        return _variable(node, ctx, depth)
    if kind == "element_reference":
        root = _root(node)
        if root is not None and _job_argument(root, ctx):
            return large(f"`{describe(node)}`, from a job argument (a list of any length)")
        return unknown(f"`{describe(node)}` (its size is not known)")
    if kind == "call":
        return _call(node, ctx, depth)
    return unknown(f"`{describe(node)}` (its size is not known)")


def _call(node: Node, ctx: RubyContext, depth: int) -> SizeEvidence:
    written = text(node).replace(" ", "")
    if written in LOCALES:
        return small("the available locales")
    name = method_name(node) or ""
    recv = nodes.receiver(node)
    args = [a for a in nodes.arguments(node) if a.type != "block_argument"]
    from workerlint.lang.ruby.relations import relation_chain

    chain = relation_chain(node, ctx)
    if chain is not None:
        return relation(chain, node, ctx)
    if name in ("pluck", "ids") and recv is not None:
        inner = relation_chain(recv, ctx)
        if inner is not None:
            found = relation(inner, recv, ctx)
            return SizeEvidence(
                found.size, f"`{describe(node)}`, one value per row ({found.reason})"
            )
    if name in BATCHES:  # `find_each.with_index`: the enumerator of the batches
        return batches(node, ctx)
    if name in TAKES and args:
        value = literal_value(args[0])
        if isinstance(value, int) and value <= LIMIT:
            return small(f"at most {value} (`{name}({value})`)")
        if isinstance(value, int):
            return large(f"up to {value} elements (`{name}({value})`, more than {LIMIT})")
    if name in ("Array", "wrap") and args:
        return collection(args[0], ctx, depth + 1)
    if name in WRAPPERS and recv is not None:
        return collection(recv, ctx, depth + 1)
    return unknown(f"`{describe(node)}` (its size is not known)")


def batches(call: Node, ctx: RubyContext) -> SizeEvidence:
    """``X.find_each``, ``find_in_batches``, ``in_batches``: batching says the author expects
    many rows (large), unless what is batched shows its own evidence: a chain scoped to one
    parent or an association through a local (unknown), a chain bounded by a limit, a list or
    a rolling time window (that bound's evidence). A chain written in a method of the class
    (``recent.find_each``) is read where the method returns it."""
    method = describe(call.child_by_field_name("method") or call)
    many = large(f"`{method}` batches (many rows)")
    recv = unwrap(nodes.receiver(call))
    if recv is None:
        return many
    from workerlint.lang.ruby.relations import relation_chain

    chain = relation_chain(call, ctx)  # `X.where(...).find_each`
    if chain is None:  # `recent.find_each`, `recent` a method of the class returning a chain
        chain = relation_chain(ctx.semantic.value_of(recv), ctx)
    if chain is not None:
        found = relation(chain, call, ctx, batched_here=True)
        unbounded = found.reason.endswith((BATCHED, UNBOUNDED))
        return many if found.size is Size.LARGE and unbounded else found
    base = recv
    while base.type == "call" and nodes.receiver(base) and not _association(base, ctx):
        if method_name(base) in UNSCOPING or nodes.block(base) is not None:
            return many  # `unscoped` drops the association's own condition
        base = unwrap(nodes.receiver(base)) or base  # `purchases.active.select(:id)`: its rows
    if _association(base, ctx):
        return unknown(f"`{describe(recv)}`, an association (scoped to one parent)")
    return many


def _association(node: Node, ctx: RubyContext) -> bool:
    """``user.posts``, ``self.purchases``, ``purchases`` in a model: a has-many association
    read from one record (a local, a block parameter, ``self``), not a relation over a table."""
    if node.type == "identifier" and ctx.semantic.binding_of(node) is None:
        scope = ctx.semantic.class_of(node)
        if scope is None or not _plural(text(node)):
            return False
        # a model, or a module beside the models (a concern a model includes)
        return ctx.index.is_model(scope.facts.name) or (
            scope.facts.kind == "module" and scope.facts.path.startswith("app/models/")
        )
    if node.type != "call" or nodes.arguments(node):
        return False
    recv = nodes.receiver(node)
    name = method_name(node) or ""
    if recv is None or not _plural(name):
        return False
    return _one_record(recv, ctx, 0)


def _one_record(node: Node, ctx: RubyContext, depth: int) -> bool:
    """``user``, ``@account``, ``self``, ``announcement.event``, ``User.find(id)``, or in a
    model its ``belongs_to`` association (``link``): one record, whose children an association
    reaches. A name that reads as a list (``users``) is not one."""
    node = unwrap(node) or node
    if node.type == "self":
        return True
    if node.type == "instance_variable":
        return not _plural(text(node).lstrip("@"))
    if node.type == "identifier":
        if ctx.semantic.binding_of(node) is not None:
            return not _plural(text(node))
        scope = ctx.semantic.class_of(node)  # a method: a `belongs_to` of the model
        return (
            scope is not None
            and ctx.index.is_model(scope.facts.name)
            and text(node) in ctx.index.belongs_to_of(scope.facts.name)
        )
    if node.type != "call" or depth > 3:
        return False
    name = method_name(node) or ""
    recv = nodes.receiver(node)
    if recv is None:
        return False
    if name in ONE_RECORD:
        return constant_path(unwrap(recv) or recv) is not None or _one_record(recv, ctx, depth + 1)
    if nodes.arguments(node) or _plural(name):
        return False
    return _one_record(recv, ctx, depth + 1)  # `announcement.event`: a record's parent


def _plural(name: str) -> bool:
    return name.endswith("s") and not name.endswith(("ss", "us", "is"))


def relation(
    chain: Relation, node: Node, ctx: RubyContext, batched_here: bool = False
) -> SizeEvidence:
    """A relation chain: unbounded (large), scoped to one parent (unknown), or bounded: by a
    small literal limit (small), by a list (that list's evidence), or otherwise (unknown).
    Batching (``find_each``) is not a bound of its own here: the chain around it decides,
    and a chain that nothing else bounds or scopes is an unbounded relation in batches. An
    unbounded chain is large only with evidence of many rows (relations.many_rows: no filter,
    or the project batches the model); a filtered one without it is unknown."""
    from workerlint.lang.ruby.relations import bounded_besides_batches, many_rows, no_evidence

    shown = chain.describe()
    batched = batched_here or bool(BATCHES & set(chain.methods))
    bounded = bounded_besides_batches(chain, ctx) if batched else chain.bounded
    if chain.scoped and not bounded:  # RULES.md: scoped to one parent
        return unknown(f"`{shown}`, scoped to one parent")
    if chain.shared and not bounded:
        return unknown(f"`{shown}`, {shared(chain.shared)}")
    if not bounded:
        if batched:
            return large(f"`{shown}`{BATCHED}")
        if many_rows(chain, ctx) is None:
            return unknown(f"`{shown}`, {no_evidence(chain)}")
        return large(f"`{shown}`{UNBOUNDED}")
    for call, name in zip(chain.calls, chain.methods, strict=True):
        args = [a for a in nodes.arguments(call) if a.type != "block_argument"]
        if name in ("limit", "take", "first", "last") and args:
            value = literal_value(args[0])
            if isinstance(value, int):
                if value <= LIMIT:
                    return small(f"`{shown}`, at most {value} rows")
                return large(f"`{shown}`, up to {value} rows (more than {LIMIT})")
    for call, name in zip(chain.calls, chain.methods, strict=True):
        if name != "where":
            continue
        pairs, _ = nodes.option_pairs(nodes.arguments(call))
        pair = pairs.get("id")
        value = nodes.pair_value(pair) if pair is not None else None
        if value is not None:
            found = collection(value, ctx, DEPTH - 2)
            return SizeEvidence(found.size, f"`{shown}`, one row per element of {found.reason}")
    from workerlint.lang.ruby.relations import sliced, windowed

    if sliced(chain, ctx):
        return unknown(f"`{shown}`, {SLICE}")
    if windowed(chain, ctx):
        return unknown(f"`{shown}`, {WINDOW}")
    return unknown(f"`{shown}`, a bounded relation")


def _range(node: Node, ctx: RubyContext) -> SizeEvidence:
    bounds = node.named_children
    values = [literal_value(b) for b in bounds]
    if len(values) == 2 and all(isinstance(x, int) and not isinstance(x, bool) for x in values):
        first, last = values  # type: ignore[misc]
        steps = abs(int(last) - int(first)) + 1  # type: ignore[call-overload]
        if steps <= LIMIT:
            return small(f"a literal range of {steps}")
        return large(f"a literal range of {steps} (more than {LIMIT})")
    return large(f"`{describe(node)}`, a range up to a count")


def _constant(node: Node, ctx: RubyContext) -> SizeEvidence:
    name = constant_path(node) or ""
    value = ctx.index.constant(name.removeprefix("::"), ctx.semantic.lexical(node))
    if isinstance(value, tuple):
        if len(value) <= LIMIT:
            return small(f"`{name}`, a constant list of {len(value)}")
        return large(f"`{name}`, a constant list of {len(value)} (more than {LIMIT})")
    items = _local_constant(name, node)
    if items is not None:
        if items <= LIMIT:
            return small(f"`{name}`, a constant of {items} elements")
        return large(f"`{name}`, a constant of {items} elements (more than {LIMIT})")
    return unknown(f"`{name}` (its size is not known)")


def _local_constant(name: str, at: Node) -> int | None:
    """The element count of a literal Array or Hash assigned to ``name`` in this file."""
    root = at
    while root.parent is not None:
        root = root.parent
    short = name.rsplit("::", 1)[-1]
    for node in nodes.descendants(root):
        if node.type != "assignment":
            continue
        left = node.child_by_field_name("left")
        if left is None or left.type != "constant" or text(left) != short:
            continue
        right = unwrap(node.child_by_field_name("right"))
        if right is not None and right.type == "call" and method_name(right) == "freeze":
            right = nodes.receiver(right)
        if right is not None and right.type in ("array", "hash", "string_array", "symbol_array"):
            return sum(1 for c in right.named_children if c.type != "comment")
        return None
    return None


def _variable(node: Node, ctx: RubyContext, depth: int) -> SizeEvidence:
    shown = text(node)
    if node.type == "instance_variable":
        values = ctx.semantic.ivar_values(node)
        if len(values) == 1:
            return collection(values[0], ctx, depth + 1)
        return unknown(f"`{shown}` (its size is not known)")
    if _job_argument(node, ctx):
        return large(f"`{shown}`, a job argument (a list of any length)")
    binding = ctx.semantic.binding_of(node)
    if binding is None or binding.kind != "assignment" or binding.value is None:
        return unknown(f"`{shown}` (its size is not known)")
    if _assignments(node, shown, ctx) != 1:
        return unknown(f"`{shown}` (assigned more than once)")
    found = collection(binding.value, ctx, depth + 1)
    if found.size is Size.SMALL and _filled(node, shown, ctx):
        return unknown(f"`{shown}` (filled after it is assigned)")
    if found.size is Size.UNKNOWN and (
        FILTERED in found.reason or found.reason.endswith((WINDOW, SLICE))
    ):
        return unknown(f"`{shown}`, {found.reason}")  # why: no evidence of many rows, a window
    if found.size is Size.UNKNOWN:
        return unknown(f"`{shown}` (its size is not known)")
    return found


# Calls that add to the collection they are called on.
FILLING = frozenset(
    {"<<", "push", "append", "concat", "unshift", "prepend", "insert", "store", "merge!",
     "update", "add", "add?", "[]="}
)  # fmt: skip


def _filled(node: Node, name: str, ctx: RubyContext) -> bool:
    """Whether the local ``name`` (a literal collection) is added to in its method: an element
    assigned (``x[k] = v``, ``x[k] ||= v``) or a call that adds (``x << v``, ``x.push(v)``)."""
    scope = ctx.semantic.enclosing_method(node) or ctx.semantic.enclosing(node, ("program",))
    if scope is None:
        return False
    for child in nodes.descendants(scope):
        if child.type in ("assignment", "operator_assignment"):
            left = child.child_by_field_name("left")
            if left is not None and left.type == "element_reference":
                target = left.child_by_field_name("object")
                if target is not None and text(target) == name:
                    return True
        elif child.type == "call" and method_name(child) in FILLING:
            target = nodes.receiver(child)
            if target is not None and text(target) == name:
                return True
        elif child.type == "binary" and text(child.child_by_field_name("operator")) == "<<":
            target = child.child_by_field_name("left")
            if target is not None and text(target) == name:
                return True
    return False


def _assignments(node: Node, name: str, ctx: RubyContext) -> int:
    scope = ctx.semantic.enclosing_method(node) or ctx.semantic.enclosing(node, ("program",))
    if scope is None:
        return 0
    found = 0
    for assignment in ctx.semantic.assignments(scope):
        left = assignment.child_by_field_name("left")
        if left is not None and left.type == "identifier" and text(left) == name:
            found += 1
    return found


def _job_argument(node: Node, ctx: RubyContext) -> bool:
    """A parameter of a job method of a worker class (``perform``'s ``ids``)."""
    if node.type != "identifier":
        return False
    binding = ctx.semantic.binding_of(node)
    if binding is None or binding.kind != "parameter":
        return False
    method = ctx.semantic.enclosing_method(node)
    scope = ctx.semantic.class_of(node)
    if method is None or scope is None:
        return False
    name = text(method.child_by_field_name("name"))
    return name in JOB_METHODS and ctx.index.is_worker(scope.facts.name)


def _root(node: Node) -> Node | None:
    """The variable a chain of reads starts from (``options`` in ``options["ids"].uniq``)."""
    for _ in range(DEPTH):
        if node.type in ("identifier", "instance_variable"):
            return node
        if node.type == "element_reference":
            inner = node.child_by_field_name("object")
        elif node.type == "call":
            inner = nodes.receiver(node)
        else:
            return None
        if inner is None:
            return None
        node = inner
    return None


def _literal_bound(condition: Node | None) -> int | None:
    """The literal a loop condition compares with (``attempts < 3``), if any."""
    condition = unwrap(condition)
    if condition is None or condition.type != "binary":
        return None
    operator = text(condition.child_by_field_name("operator"))
    if operator in ("&&", "and"):
        bounds = [
            b
            for side in ("left", "right")
            if (b := _literal_bound(condition.child_by_field_name(side))) is not None
        ]
        return min(bounds) if bounds else None
    if operator not in ("<", "<=", ">", ">=", "!=", "=="):
        return None
    for side in ("left", "right"):
        value = literal_value(condition.child_by_field_name(side))
        if isinstance(value, int) and not isinstance(value, bool):
            return abs(value)
    return None


def from_request(loop: Node, ctx: RubyContext) -> SizeEvidence | None:
    """Request evidence: the iteration ``loop`` walks request input, directly or as a job
    argument whose provenance is the request (RULES.md, WL601: job flooding)."""
    if loop.type != "call" or ctx.tree is None:
        return None
    from workerlint.lang.ruby.provenance import values
    from workerlint.lang.ruby.provenance.analysis import may_forward, may_read_request, of_context

    data = ctx.source.data
    if not may_read_request(data) and not may_forward(data):
        return None  # nothing the file iterates comes from a request or a job argument
    from workerlint.lang.ruby.provenance.query import REQUEST

    analysis = of_context(ctx)
    taint = analysis.loop(loop)
    for kind in (values.REQUEST, values.PAYLOAD, values.PARAMS, values.COUNT):
        origin = taint.of(kind)
        note = analysis.note(origin) if origin is not None else None
        if origin is not None and note is not None:
            shown = f"`{origin.arg}` (line {note.line})"
            return SizeEvidence(Size.REQUEST, f"request input, {shown}")
    origin = taint.of(values.ARGUMENT)
    note = analysis.note(origin) if origin is not None else None
    if origin is None or note is None:
        return None
    owner = ctx.index.resolve(note.owner, ())
    if owner is None or not ctx.index.is_worker(owner):
        return None
    found = ctx.index.provenance.of(owner, note.position, note.keyword)
    if found.kind != REQUEST:
        return None
    chain = " -> ".join((*found.chain, f"`perform({origin.arg})`"))
    return SizeEvidence(Size.REQUEST, f"request input, the job argument `{origin.arg}`: {chain}")
