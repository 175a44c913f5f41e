"""The provenance of one file (RULES.md, "Provenance"): what its enqueue sites pass in each job
argument position, and what its loops iterate (request input or not).

:func:`analyse` runs the taint engine with the provenance spec (:mod:`.spec`) over the classes
of a file that enqueue, once per file (kept on its semantic model, which the index's extraction
and the rules checking the file share). What it needs of other files is left for query time:
the job class is kept as written with where it was written, and a record's model by name, so
the result depends on the file alone and is cached with its facts (:mod:`.facts`, in
``FileFacts.enqueues``); the index answers across files (:mod:`.query`).
"""

from __future__ import annotations

import re
from dataclasses import field
from typing import TYPE_CHECKING, Any

from workerlint.core.records import record
from workerlint.lang.ruby import enqueue, nodes
from workerlint.lang.ruby.lower import parameters
from workerlint.lang.ruby.model import ClassFacts, ClassScope, FileFacts
from workerlint.lang.ruby.nodes import constant_path, method_name
from workerlint.lang.ruby.parse import captures
from workerlint.lang.ruby.provenance import values as v
from workerlint.lang.ruby.provenance.facts import (
    ARGUMENT,
    RECORD,
    REQUEST,
    STORED,
    UNKNOWN,
    EnqueueSite,
    Slot,
    Source,
)
from workerlint.lang.ruby.provenance.spec import ENTRIES, Note, Observations, ProvenanceSpec
from workerlint.lang.ruby.semantic import lexical
from workerlint.taint import CLEAN, Engine, Method, Opaque, Origin, Taint

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.facts import Enqueue
    from workerlint.lang.ruby.context import RubyContext
    from workerlint.lang.ruby.index import RubyIndex
    from workerlint.lang.ruby.semantic import SemanticModel

# Calls whose methods are analysed: enqueues, and mailer deliveries (for the loops around them).
ANALYSED = enqueue.ENQUEUE_METHODS | {"deliver_later"}
# The bytes a file with an enqueue call holds (``Sidekiq::Client.push`` as usually written).
_ENQUEUE_MARKERS = (
    b"perform_async", b"perform_in", b"perform_at", b"perform_bulk", b"perform_later",
    b"Sidekiq::Client", b"push_bulk",
)  # fmt: skip
_DELIVERY = b"deliver_later"
SHOWN = 48
_LOCAL_CALLS = (
    "[(call !receiver method: (identifier) @call)"
    " (call receiver: (self) method: (identifier) @call) (identifier) @name]"
)
_DEFINITIONS = frozenset({"method", "singleton_method", "class", "module"})


@record
class FileAnalysis:
    """The provenance of one file's enqueues and loops. It holds no node (only positions and
    values), so a unit keeps it when its tree is dropped, for the file's parse again
    (lang/ruby/unit.py)."""

    sites: tuple[EnqueueSite, ...] = ()
    seen: Observations = field(default_factory=Observations)

    def loop(self, call: Node) -> Taint:
        """What the iteration ``call`` walks, as far as request input and job arguments go."""
        return self.seen.loops.get(call.start_byte, CLEAN)

    def note(self, origin: Origin) -> Note | None:
        return self.seen.notes.get(origin.path[0]) if origin.path else None

    def payloads(self, call: Node) -> list[tuple[int, Origin]]:
        """The request payloads an enqueue passes: (position, origin); keywords after."""
        observed = self.seen.enqueues.get(call.start_byte)
        if observed is None:
            return []
        found = []
        taints = [*observed.positional, *observed.keywords.values()]
        if observed.rest is not None:
            taints.append(observed.rest)
        for index, taint in enumerate(taints):
            origin = taint.of(v.PAYLOAD) or taint.of(v.PARAMS)
            if origin is not None:
                found.append((index, origin))
        return found


@record
class _FileContext:
    """What enqueue.classify asks of a context, for the file alone (at extraction)."""

    index: RubyIndex
    class_scope: ClassScope | None = None
    memo: dict[tuple[str, int, int], Any] = field(default_factory=dict)
    method: Node | None = None


_REQUEST_WORDS = re.compile(rb"\b(params|request|cookies)\b")


def may_read_request(data: bytes) -> bool:
    """Whether a file may read request input at all (else no value of it comes from one)."""
    return _REQUEST_WORDS.search(data) is not None


def may_forward(data: bytes) -> bool:
    """Whether a file may iterate a job argument (it defines ``perform``)."""
    return b"def perform" in data


def may_enqueue(data: bytes) -> bool:
    """Whether the facts of a file need the analysis (most files' do not): it holds an enqueue
    marker, or it makes a mailer delivery and may hold an enqueue call written otherwise
    (``Sidekiq::\\nClient.push``: ``push`` and ``Client``). Any other file has no enqueue call,
    so no enqueue site; the loops around its mailer deliveries are analysed when a rule asks
    (``of_context``), with the same result: with no enqueue call in the file, what the analysis
    finds does not depend on the facts it is given (they answer ``enqueue.classify`` alone)."""
    if any(marker in data for marker in _ENQUEUE_MARKERS):
        return True
    return _DELIVERY in data and b"push" in data and b"Client" in data


def analyse(
    root: Node, facts: FileFacts, classes: list[ClassScope], semantic: SemanticModel
) -> FileAnalysis:
    """The provenance of the file's enqueues (computed once per file and semantic model)."""
    found = semantic.derived.get("provenance")
    if isinstance(found, FileAnalysis):
        return found
    result = _analyse(root, facts, classes, semantic)
    semantic.derived["provenance"] = result
    return result


def kept(semantic: SemanticModel) -> FileAnalysis | None:
    """The analysis computed on ``semantic``, if any (a unit keeps it beyond its tree)."""
    found = semantic.derived.get("provenance")
    return found if isinstance(found, FileAnalysis) else None


def keep(semantic: SemanticModel, analysis: FileAnalysis) -> None:
    """Give ``semantic`` (a model of the same bytes) the analysis computed before."""
    semantic.derived["provenance"] = analysis


def of_context(ctx: RubyContext) -> FileAnalysis:
    """The analysis of the file a rule checks."""
    assert ctx.tree is not None
    facts = FileFacts(ctx.relpath, tuple(c.facts for c in ctx.classes))
    return analyse(ctx.tree.root_node, facts, ctx.classes, ctx.semantic)


def _analyse(
    root: Node, facts: FileFacts, classes: list[ClassScope], semantic: SemanticModel
) -> FileAnalysis:
    from workerlint.lang.ruby.index import RubyIndex

    # In the order of their method names (as a query capturing the names gave them).
    calls = sorted(nodes.calls_named(root, ANALYSED), key=_method_start)
    if not calls:
        return FileAnalysis()
    ctx = _FileContext(RubyIndex(files={facts.path: facts}))
    seen = Observations()
    groups: dict[int, tuple[ClassScope | None, list[Node]]] = {}
    for call in calls:
        scope = semantic.class_of(call)
        key = scope.node.id if scope is not None else -1
        groups.setdefault(key, (scope, []))[1].append(call)
    specs: list[tuple[ProvenanceSpec, list[Node]]] = []
    for scope, members in groups.values():
        spec = _spec(root, scope, members, semantic, ctx, seen, facts.path)
        Engine(spec).run()
        specs.append((spec, members))
    for spec, members in specs:  # what no root reached: its own method, with unknown params
        missing = [
            c for c in members if _is_enqueue(c, spec, ctx) and c.start_byte not in seen.enqueues
        ]
        if missing:
            spec.roots = _fallback(missing, spec, semantic)
            Engine(spec).run()
    sites = []
    for spec, members in specs:
        for call in members:
            sites.extend((call.start_byte, site) for site in _site(call, spec, seen, ctx))
    return FileAnalysis(tuple(s for _, s in sorted(sites, key=lambda p: p[0])), seen)


def _method_start(call: Node) -> int:
    method = call.child_by_field_name("method")
    return method.start_byte if method is not None else call.start_byte


def _is_enqueue(call: Node, spec: ProvenanceSpec, ctx: _FileContext) -> bool:
    return _classify(call, spec, ctx) is not None


def _classify(call: Node, spec: ProvenanceSpec, ctx: _FileContext) -> Enqueue | None:
    ctx.class_scope = None if spec.top_level else spec.scope
    try:
        return enqueue.classify(call, ctx)  # type: ignore[arg-type]
    finally:
        ctx.class_scope = None


def _spec(
    root: Node,
    scope: ClassScope | None,
    calls: list[Node],
    semantic: SemanticModel,
    ctx: _FileContext,
    seen: Observations,
    path: str,
) -> ProvenanceSpec:
    top = scope is None
    if scope is None:
        methods: dict[str, list[Node]] = {}
        for child in root.named_children:
            if child.type in ("method", "singleton_method"):
                name = nodes.text(child.child_by_field_name("name"))
                methods.setdefault(name, []).append(child)
        facts = ClassFacts("", "module", None, (), (), path, 1)
        scope = ClassScope(facts, root, methods)
    spec = ProvenanceSpec(scope, semantic, ctx, seen, [], top_level=top)  # type: ignore[arg-type]
    spec.roots = _roots(scope, calls, spec, semantic, top)
    return spec


def _roots(
    scope: ClassScope,
    calls: list[Node],
    spec: ProvenanceSpec,
    semantic: SemanticModel,
    top: bool,
) -> list[tuple[Method, dict[str, Taint]]]:
    """The methods to analyse first: those no method of the class calls that lead to an
    enqueue (their parameters are unknown; ``perform``'s are the class's job arguments), and
    the class body (or the file's top level) when it enqueues itself."""
    containing: dict[int, Node] = {}
    body = False
    for call in calls:
        method = semantic.enclosing_method(call) if not top else nodes.enclosing_method(call)
        if method is None:
            body = True
        else:
            containing[method.id] = method
    defined = [m for defs in scope.methods.values() for m in defs]
    known = {m.id for m in defined}
    extra = [m for m in containing.values() if m.id not in known]
    every = defined + extra
    defined_names = frozenset(scope.methods) | {
        nodes.text(m.child_by_field_name("name")) for m in extra
    }
    callees = _callees(scope.node, every, defined_names)
    called = {name for names in callees.values() for name in names}
    by_name: dict[str, list[Node]] = {}
    for m in every:
        by_name.setdefault(nodes.text(m.child_by_field_name("name")), []).append(m)
    reached: set[int] = set()
    roots: list[Node] = []
    for method in every:
        name = nodes.text(method.child_by_field_name("name"))
        if name in called and method.id in known:
            continue
        stack, seen_ids = [method], {method.id}
        while stack:
            current = stack.pop()
            for callee in callees.get(current.id, []):
                for target in by_name.get(callee, []):
                    if target.id not in seen_ids:
                        seen_ids.add(target.id)
                        stack.append(target)
        if seen_ids & set(containing):
            roots.append(method)
            reached |= seen_ids
    roots.extend(m for m in containing.values() if m.id not in reached)
    spec.bodies = [m for m in every if m.id in reached or m.id in containing]
    found = [(spec.lowering.lower_method(m), _params(m, scope, spec)) for m in roots]
    if body:
        found.append(_body(scope, spec, top))
        owner = scope.node if top else scope.node.child_by_field_name("body")
        statements = owner.named_children if owner is not None else []
        spec.bodies.extend(c for c in statements if c.type not in _DEFINITIONS)
    return found


def _callees(container: Node, methods: list[Node], names: frozenset[str]) -> dict[int, list[str]]:
    """The methods of ``names`` each of ``methods`` may call on itself (bare or on ``self``; a
    bare name is taken as a call even where a local of that name shadows it: only the choice of
    the methods analysed first depends on it, and an enqueue no analysis reached is analysed on
    its own), by method id. One search of ``container``'s text per name (nodes.identifiers_named),
    each identifier found counted for every method around it; a method outside ``container``
    is searched on its own."""
    inside = [m for m in methods if _within(m, container)]
    found: dict[int, set[str]] = {m.id: set() for m in inside}
    for name in names:
        for identifier in nodes.identifiers_named(container, name):
            if not _calls_itself(identifier):
                continue
            current = identifier.parent
            while current is not None and current.id != container.id:
                if current.id in found:
                    found[current.id].add(name)
                current = current.parent
    callees = {key: sorted(called) for key, called in found.items()}
    for method in methods:
        if method.id not in callees:
            callees[method.id] = _local_calls(method, names)
    return callees


def _within(node: Node, container: Node) -> bool:
    return container.start_byte <= node.start_byte and node.end_byte <= container.end_byte


def _calls_itself(identifier: Node) -> bool:
    """Whether an identifier is a call on the object itself (bare or on ``self``), or a bare
    name that is neither a definition's name nor a parameter (what ``_LOCAL_CALLS`` finds)."""
    parent = identifier.parent
    if parent is not None and parent.type == "call":
        if parent.child_by_field_name("method") != identifier:
            return False  # a receiver: not a call of the method itself
        receiver = parent.child_by_field_name("receiver")
        return receiver is None or receiver.type == "self"
    return not _defines(identifier)


def _local_calls(method: Node, names: frozenset[str]) -> list[str]:
    """The methods of ``names`` that ``method`` may call on itself (bare or on ``self``; a bare
    name is taken as a call even where a local of that name shadows it: only the choice of the
    methods analysed first depends on it, and an enqueue no analysis reached is analysed on its
    own)."""
    found = captures(_LOCAL_CALLS, method)
    called = {nodes.text(n) for n in found.get("call", [])}
    for identifier in found.get("name", []):
        parent = identifier.parent
        if parent is not None and parent.type == "call":
            continue  # a method name: the call pattern decides
        if not _defines(identifier):
            called.add(nodes.text(identifier))
    return sorted(called & names)


def _defines(identifier: Node) -> bool:
    """A method's name where it is defined, or a parameter's: not a call."""
    parent = identifier.parent
    if parent is None:
        return False
    if parent.type in ("method", "singleton_method"):
        return parent.child_by_field_name("name") == identifier
    return parent.type.endswith("parameters") or parent.type.endswith("parameter")


def _body(scope: ClassScope, spec: ProvenanceSpec, top: bool) -> tuple[Method, dict[str, Taint]]:
    node = scope.node if top else scope.node.child_by_field_name("body")
    if node is None:
        return Method("<body>", (), None), {}
    if top:
        lowered = Opaque(tuple(spec.lowering.expr(c) for c in node.named_children), node)
        return Method("<main>", (), lowered, node), {}
    return Method("<body>", (), spec.lowering.expr(node), node), {}


def _params(method: Node, scope: ClassScope, spec: ProvenanceSpec) -> dict[str, Taint]:
    """Each parameter of a root method: a job argument of ``perform``, else unknown."""
    name = nodes.text(method.child_by_field_name("name"))
    entry = method.type == "method" and name in ENTRIES and not spec.top_level
    found: dict[str, Taint] = {}
    index = 0
    for param in parameters(method):
        if param.kind == "positional" and entry:
            found[param.name] = _argument(spec, method, scope, param.name, index, "")
        elif param.kind == "keyword" and entry:
            found[param.name] = _argument(spec, method, scope, param.name, -1, param.name)
        else:
            note = Note(method.start_point[0] + 1)
            origin = Origin(param.name, (spec.seen.note(note),))
            found[param.name] = Taint(((v.UNKNOWN, origin),))
        index += param.kind == "positional"
    return found


def _argument(
    spec: ProvenanceSpec, method: Node, scope: ClassScope, name: str, position: int, keyword: str
) -> Taint:
    note = Note(method.start_point[0] + 1, scope.facts.name, position, keyword)
    origin = Origin(name, (spec.seen.note(note),))
    return Taint(((v.ARGUMENT, origin),))


def _fallback(
    missing: list[Node], spec: ProvenanceSpec, semantic: SemanticModel
) -> list[tuple[Method, dict[str, Taint]]]:
    roots: dict[int, tuple[Method, dict[str, Taint]]] = {}
    for call in missing:
        method = nodes.enclosing_method(call)
        if method is None:
            roots[-1] = _body(spec.scope, spec, spec.top_level)
        elif method.id not in roots:
            lowered = spec.lowering.lower_method(method)
            roots[method.id] = (lowered, _params(method, spec.scope, spec))
    return list(roots.values())


def _site(
    call: Node, spec: ProvenanceSpec, seen: Observations, ctx: _FileContext
) -> list[EnqueueSite]:
    """The sites of an enqueue call: one, or one per job class the callers in the class pass
    when the job class is a parameter (``def mail(job, *args) job.perform_async(*args)``)."""
    found = _classify(call, spec, ctx)
    if found is None:
        return []
    targets = [found.target or ""]
    if not found.target and found.method in enqueue.CLIENT_METHODS:
        targets = _client_self(call, spec) or [""]
    elif not found.target:
        targets = _through_local(call, spec) or [""]
    return [_one_site(call, found, spec, seen, target) for target in targets]


def _one_site(
    call: Node, found: Enqueue, spec: ProvenanceSpec, seen: Observations, target: str
) -> EnqueueSite:
    observed = seen.enqueues.get(call.start_byte)
    scope = None if spec.top_level else spec.scope
    line = call.start_point[0] + 1
    shown = _shown_args(found)
    if observed is None:  # not reached by the analysis: every position unknown
        unknown = Slot("", (Source(UNKNOWN, enqueue.describe(call, SHOWN), line),))
        return EnqueueSite(
            line, found.label, target, lexical(scope), found.active_job, (), (), unknown
        )
    notes = seen.notes
    positional = tuple(
        Slot(
            shown[i] if i < len(shown) else "",
            _sources(t, notes),
            tuple(
                (key, Slot(observed.shown.get((i, key), key), _sources(value, notes)))
                for key, value in sorted(observed.keys.get(i, {}).items())
            ),
        )
        for i, t in enumerate(observed.positional)
    )
    keywords = tuple(
        (key, Slot(key, _sources(t, notes))) for key, t in sorted(observed.keywords.items())
    )
    rest = Slot("", _sources(observed.rest, notes)) if observed.rest is not None else None
    return EnqueueSite(
        line, found.label, target, lexical(scope), found.active_job, positional, keywords, rest
    )


def _shown_args(found: Enqueue) -> list[str]:
    if found.method in ("perform_bulk", "push_bulk", "push"):
        return []
    return [
        enqueue.describe(a, SHOWN)
        for a in found.job_args
        if a.type not in ("pair", "hash_splat_argument", "splat_argument")
    ]


def _client_self(call: Node, spec: ProvenanceSpec) -> list[str]:
    """``Sidekiq::Client.push("class" => self.class, ...)`` in a class: that class."""
    pairs, _ = nodes.option_pairs(nodes.arguments(call))
    pair = pairs.get("class")
    value = nodes.pair_value(pair) if pair is not None else None
    if value is None or spec.top_level or nodes.text(value) not in ("self.class", "self"):
        return []
    return [spec.scope.facts.name]


def _constants(node: Node | None, depth: int = 0) -> list[str]:
    """The constants an expression may be: one, or each branch of a ternary or ``||``."""
    if node is None or depth > 4:
        return []
    const = constant_path(node)
    if const is not None:
        return [const]
    if node.type == "conditional":
        parts = [node.child_by_field_name(f) for f in ("consequence", "alternative")]
    elif node.type == "binary" and nodes.text(node.child_by_field_name("operator")) in ("||", "or"):
        parts = [node.child_by_field_name(f) for f in ("left", "right")]
    elif node.type == "parenthesized_statements" and len(node.named_children) == 1:
        parts = [node.named_children[0]]
    else:
        return []
    found = [_constants(p, depth + 1) for p in parts]
    return [c for each in found for c in each] if all(found) else []


def _through_local(call: Node, spec: ProvenanceSpec) -> list[str]:
    """The job classes a local holds (``worker = ExportWorker; worker.perform_async``), or
    that every caller in the class passes to the method's parameter holding the job class."""
    semantic = spec.semantic
    recv = nodes.receiver(call)
    while recv is not None and recv.type == "call" and method_name(recv) == "set":
        recv = nodes.receiver(recv)
    if recv is None or recv.type not in ("identifier", "instance_variable"):
        return []
    consts = _constants(semantic.value_of(recv))
    if consts:
        return consts
    binding = semantic.binding_of(recv) if recv.type == "identifier" else None
    method = semantic.enclosing_method(call)
    if binding is None or binding.kind != "parameter" or method is None or spec.top_level:
        return []
    names = [p.name for p in parameters(method)]
    if nodes.text(recv) not in names:
        return []
    index = names.index(nodes.text(recv))
    name = nodes.text(method.child_by_field_name("name"))
    callers = semantic.callers(spec.scope, name, class_method=nodes.is_class_method(method))
    found: list[str] = []
    for caller in callers:
        args = [a for a in nodes.arguments(caller) if a.type not in ("pair", "block_argument")]
        passed = constant_path(args[index]) if index < len(args) else None
        if passed is None:
            return []
        if passed not in found:
            found.append(passed)
    return found


_KIND = {
    v.REQUEST: REQUEST,
    v.PAYLOAD: REQUEST,
    v.PARAMS: REQUEST,
    v.STORED: STORED,
    v.UNKNOWN: UNKNOWN,
    v.RECORD: RECORD,
    v.RELATION: RECORD,
    v.ARGUMENT: ARGUMENT,
}


def _sources(taint: Taint, notes: dict[str, Note]) -> tuple[Source, ...]:
    """The sources of a value, one per kind (the first origin of each)."""
    found: dict[str, Source] = {}
    for kind, origin in taint.origins:
        mapped = _KIND.get(kind)
        if mapped is None or mapped in found:
            continue
        note = notes.get(origin.path[0]) if origin.path else None
        if note is None:
            continue
        via = origin.path[1:]
        found[mapped] = Source(
            mapped, origin.arg, note.line, via, note.owner, note.position, note.keyword
        )
    return tuple(found[k] for k in (REQUEST, STORED, UNKNOWN, ARGUMENT, RECORD) if k in found)


def argument_position(scope: ClassScope, method: str, param: str) -> tuple[int, str] | None:
    """The job argument a parameter of a job method stands for: (position, "") or (-1, keyword)
    of ``perform``'s parameters (``build_enumerator``'s, and ``each_iteration``'s after its item,
    for Sidekiq::IterableJob, whose ``perform`` passes the job's arguments on); None for a rest
    parameter or an unknown method."""
    defs = scope.methods.get(method, [])
    if not defs:
        return None
    index = 0
    skip = 1 if method == "each_iteration" else 0
    for p in parameters(defs[-1]):
        if p.name == param:
            if p.kind == "keyword":
                return -1, p.name
            if p.kind != "positional" or index < skip:
                return None
            return index - skip, ""
        index += p.kind == "positional"
    return None
