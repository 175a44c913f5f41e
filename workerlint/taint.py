"""One taint engine over a small IR that each language lowers a method into (ARCHITECTURE.md,
"The semantic model").

The IR (below) has statements and expressions in one kind of node, since in the languages it is
made for a statement has a value (``x = if c then a else b end``): assignments, calls (with their
arguments and block), branches with their conditions (a ``case``/``when`` is a chain of them),
loops, exits, and the expressions values are derived through (variables, literals, templates,
collections, operators). Every node keeps an opaque ``ref`` to the syntax it was lowered from; the
engine never looks into it, the :class:`Spec` may.

An abstract interpreter walks a method's statements in order with a :class:`State` (variable ->
:class:`Taint`). A branch runs its parts on copies of the state, refined by what its guard proves
on each side, and joins them (a variable is tainted when tainted on any live path); a path that
exits is dead and adds nothing, so a guard counts only where it dominates the use. Loops and
blocks run twice, each run joined with the state before them (they may run zero times). A tainted
value passed to another method of the object taints that method's matching parameter, analysed
once per set of tainted names (a method running already is not entered again: recursion ends).
Everything is bounded: nesting depth, call depth, and a budget of evaluated nodes per run.

The :class:`Spec` says what the language and the rules mean: which parameters are sources, which
operations derive a value (per taint kind), which guards and calls sanitize a variable, and which
calls are sinks. The engine's findings are paths: the source parameter, the methods the value was
passed through, and the sink.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import field
from typing import Protocol

from workerlint.core.records import record

# -- taint values -------------------------------------------------------------------------------


@record(frozen=True, slots=True)
class Origin:
    """Which source parameter a value comes from, and the methods it was passed through."""

    arg: str
    path: tuple[str, ...]  # ("perform(kind)", "dispatch(type)")

    def hop(self, method: str, param: str) -> Origin:
        return Origin(self.arg, (*self.path, f"{method}({param})"))

    def describe(self) -> str:
        return " -> ".join(f"`{p}`" for p in self.path)


@record(frozen=True, slots=True)
class Taint:
    """What a value is, per taint kind: the origin it carries (a kind a sanitizer ended is
    absent), and where the tainted part lies when the value is text built around it."""

    origins: tuple[tuple[str, Origin], ...] = ()  # (kind, origin); each kind at most once
    built: bool = False  # text built by interpolation, concatenation or formatting
    lead: bool = False  # the tainted part may start the text
    host: bool = False  # the tainted part may be a URL's scheme or host

    def __bool__(self) -> bool:
        return bool(self.origins)

    def of(self, kind: str) -> Origin | None:
        for name, origin in self.origins:
            if name == kind:
                return origin
        return None

    def union(self, other: Taint) -> Taint:
        """Either value (the origins of ``self`` first)."""
        if other is self or not other:  # paths meeting mostly bring the same value
            return self
        if not self:
            return other
        mine = self.origins
        extra = tuple(pair for pair in other.origins if all(k != pair[0] for k, _ in mine))
        built = self.built or other.built
        lead = self.lead or other.lead
        host = self.host or other.host
        if not extra and (built, lead, host) == (self.built, self.lead, self.host):
            return self
        return Taint(mine + extra, built, lead, host)

    def only(self, kinds: Iterable[str]) -> Taint:
        """A new value made from this one that keeps only ``kinds`` (a number made from text
        keeps what sizes work and loses what injects)."""
        keep = tuple(pair for pair in self.origins if pair[0] in kinds)
        return Taint(keep) if keep else CLEAN

    def without(self, kinds: Iterable[str]) -> Taint:
        """This value with ``kinds`` sanitized."""
        if not self:
            return self
        return Taint(
            tuple(pair for pair in self.origins if pair[0] not in kinds),
            self.built,
            self.lead,
            self.host,
        )

    def whole(self) -> Taint:
        """A collection holding the value (or a range bounded by it): its origins, no text shape."""
        return Taint(self.origins) if self else CLEAN

    def element(self) -> Taint:
        """An element of a tainted collection (a whole value of its own)."""
        return Taint(self.origins, False, True, True) if self else CLEAN

    def built_as(self, lead: bool = False, host: bool = False) -> Taint:
        """Text built from the value, the tainted part where ``lead`` and ``host`` say."""
        if not self:
            return self
        return Taint(self.origins, True, lead, host)

    def hop(self, method: str, param: str) -> Taint:
        """The value passed to ``method``'s parameter ``param``."""
        origins = tuple((k, o.hop(method, param)) for k, o in self.origins)
        return Taint(origins, self.built, self.lead, self.host)


CLEAN = Taint()


def union_all(taints: Iterable[Taint]) -> Taint:
    result = CLEAN
    for taint in taints:
        result = result.union(taint)
    return result


def in_host(prefix: str) -> bool:
    """Whether text ending with ``prefix`` puts what follows in a URL's scheme or host."""
    if not prefix:
        return True
    if "://" not in prefix:
        return False
    after = prefix.split("://", 1)[1]
    return not any(c in after for c in "/?#")


# -- the IR ---------------------------------------------------------------------------------------
# Built once by a lowering and never changed (not frozen: a frozen dataclass is several times
# slower to build); compared by identity (eq=False): a node is the place it stands for.


@record(eq=False, slots=True)
class Lit:
    """A value that carries no taint: a literal, a constant, ``self``, an empty statement."""

    ref: object = None


@record(eq=False, slots=True)
class Var:
    """A read of a variable (a local, or a field of the object when the spec says it is shared)."""

    name: str
    ref: object = None


@record(eq=False, slots=True)
class Seq:
    """Statements in order; the rest is skipped once a path exits. Its value is the last one's."""

    body: tuple[Expr, ...]
    ref: object = None


@record(eq=False, slots=True)
class Try:
    """``body`` with exception handlers: each handler starts from the state before the body or
    after it (the body may fail anywhere); ``otherwise`` runs after a body that did not fail,
    ``ensure`` on every path."""

    body: tuple[Expr, ...]
    handlers: tuple[Expr | None, ...] = ()
    otherwise: tuple[Expr, ...] = ()
    ensure: tuple[Seq, ...] = ()
    ref: object = None


@record(eq=False, slots=True)
class Hole:
    """An expression interpolated into a template."""

    expr: Expr


@record(eq=False, slots=True)
class Template:
    """Text built from literal parts (``str``), interpolated values (:class:`Hole`) and adjacent
    literals (a nested :class:`Template`, whose ``text`` as written follows it)."""

    parts: tuple[str | Hole | Template, ...]
    text: str = ""
    ref: object = None


@record(eq=False, slots=True)
class Collection:
    """An array, hash, range or argument list: any item's taint, as a whole value. ``parallel``:
    the right side of a parallel assignment, whose items go to an :class:`Unpack`'s targets."""

    items: tuple[Expr, ...]
    parallel: bool = False
    ref: object = None


@record(eq=False, slots=True)
class Op:
    """A unary or binary operator; the spec derives its value from its operands'."""

    op: str
    operands: tuple[Expr, ...]
    ref: object = None


@record(eq=False, slots=True)
class Logic:
    """Short-circuit ``and`` (``conjunction``) or ``or``: ``right`` runs only where ``left`` was
    truthy (or falsy), under what ``guard`` (the spec's) proves there."""

    left: Expr
    right: Expr | None
    conjunction: bool
    guard: object = None
    ref: object = None


# Assignment targets


@record(eq=False, slots=True)
class Name:
    """A variable assigned."""

    name: str


@record(eq=False, slots=True)
class Unpack:
    """Several targets taking the elements of the value; with ``parallel``, the items of a
    parallel right side in order."""

    targets: tuple[Target, ...]
    parallel: bool = True


@record(eq=False, slots=True)
class Store:
    """An element stored into a collection: ``container`` (a variable, or None) now holds it."""

    container: str | None
    index: tuple[Expr, ...] = ()


@record(eq=False, slots=True)
class Discard:
    """A target that keeps nothing the engine follows (an attribute, a constant); ``effects``
    are evaluated."""

    effects: tuple[Expr, ...] = ()


Target = Name | Unpack | Store | Discard


@record(eq=False, slots=True)
class Assign:
    """``target = value``; with ``update`` (``x += v``) the target's value joins in."""

    target: Target
    value: Expr
    update: bool = False
    ref: object = None


@record(eq=False, slots=True)
class Arg:
    """An argument of a call. ``kind``: "positional", "keyword" (named ``key``), "splat" (its
    elements), "keywords" (a spread of keyword arguments), "block" (a function passed; not
    evaluated)."""

    kind: str
    value: Expr | None
    key: str | None = None
    ref: object = None


@record(eq=False, slots=True)
class Block:
    """A block (closure) given to a call: its parameters (the names each binds, by position) and
    its body, run zero or more times."""

    params: tuple[tuple[str, ...], ...]
    body: Expr | None
    ref: object = None


@record(eq=False, slots=True)
class Call:
    """A call. ``local``: on the object itself (no receiver, or ``self``), so it may be one of
    its methods; ``noreturn``: it never returns (``raise``, ``exit``)."""

    receiver: Expr | None
    name: str
    args: tuple[Arg, ...] = ()
    block: Block | None = None
    local: bool = False
    noreturn: bool = False
    ref: object = None


@record(eq=False, slots=True)
class Closure:
    """A function value defined here (a lambda): its body may run zero or more times, its
    parameters bound to nothing tainted."""

    block: Block
    ref: object = None


@record(eq=False, slots=True)
class Branch:
    """``if`` ``condition`` then ``then`` else ``otherwise``. ``guard`` (given to the spec) says
    what holds on each side; ``negated``: the sides are swapped (``unless``). A chain of branches
    in ``otherwise`` (``elsif``, ``case``/``when``) is one branch per arm; a condition of None is
    not evaluated (a ``when`` pattern)."""

    condition: Expr | None
    then: Expr | None
    otherwise: Expr | None
    guard: object = None
    negated: bool = False
    ref: object = None


@record(eq=False, slots=True)
class Loop:
    """A loop: ``condition`` (evaluated once), or ``iterated`` with ``binds`` set to its
    elements; ``body`` runs zero or more times."""

    condition: Expr | None
    body: Expr | None
    iterated: Expr | None = None
    binds: tuple[str, ...] = ()
    ref: object = None


@record(eq=False, slots=True)
class Exit:
    """The path leaves (``return`` with ``returns``; ``raise``, ``next``, ``break``), after
    evaluating ``values``."""

    values: tuple[Expr, ...] = ()
    returns: bool = False
    ref: object = None


@record(eq=False, slots=True)
class Opaque:
    """Something the engine does not model: its parts are evaluated, its value is clean."""

    parts: tuple[Expr, ...] = ()
    ref: object = None


Expr = (
    Lit | Var | Seq | Try | Template | Collection | Op | Logic | Assign | Call | Closure | Branch
    | Loop | Exit | Opaque
)  # fmt: skip


@record(frozen=True, slots=True)
class Param:
    """A parameter: "positional" (with or without a default), "rest" (``*args``), "keyword",
    "keywords" (``**opts``)."""

    name: str
    kind: str


@record(eq=False, slots=True)
class Method:
    name: str
    params: tuple[Param, ...]
    body: Expr | None
    ref: object = None


# -- the spec -------------------------------------------------------------------------------------

Facts = frozenset[tuple[str, str]]  # (variable, taint kind) a guard sanitizes
NO_FACTS: Facts = frozenset()


class Peek(Protocol):
    """The taint of an expression evaluated again on a copy of the state at a call, with
    ``bindings`` (variable -> taint) set in that copy first (a block's parameters)."""

    def __call__(self, expr: Expr | None, bindings: Mapping[str, Taint] | None = None) -> Taint: ...


@record(frozen=True)
class Finding:
    """A source reaching a sink: ``use`` is what the sink does with the value (the taint kind's
    use, the spec's word), ``sink`` its kind, ``label`` the sink as written, ``subject`` the
    variable holding the value there."""

    use: str
    sink: str
    start: int  # bytes of the reported span
    end: int
    label: str
    origin: Origin
    subject: str
    ref: object = field(default=None, compare=False, hash=False)


class Spec(Protocol):
    """What a language and its rules tell the engine."""

    kinds: tuple[str, ...]  # the taint kinds (a source carries all of them)
    # Keyword arguments given to a method with no keyword parameters arrive as one positional
    # value (an options hash).
    keywords_as_positional: bool
    # Calls (by name) whose ``sinks`` is asked even when nothing tainted reaches them (a spec
    # that records what every such call receives, clean values included).
    observed: frozenset[str]

    def sources(self) -> Sequence[tuple[Method, Sequence[str] | Mapping[str, Taint]]]:
        """The methods analysed first, with the parameters that are sources: names (each then
        carries every kind, its origin the parameter), or names with the taint each starts
        with."""
        ...

    def method(self, name: str) -> Method | None:
        """The method of the object a local call of ``name`` runs, if the engine follows it."""
        ...

    def shared(self, name: str) -> bool:
        """Whether a variable belongs to the object (kept across its methods)."""
        ...

    def guards(self, guard: object) -> tuple[Facts, Facts]:
        """What holds where a branch's guard is truthy, and where it is falsy."""
        ...

    def asserts(self, call: Call) -> Facts:
        """What holds after ``call`` returns (a conversion that raises on bad input)."""
        ...

    def derive(self, call: Call, receiver: Taint, args: Sequence[Taint]) -> Taint:
        """The value ``call`` returns."""
        ...

    def operate(self, op: Op, operands: Sequence[Taint]) -> Taint:
        """The value of an operator."""
        ...

    def block_values(self, call: Call, receiver: Taint, count: int) -> Sequence[Taint]:
        """What the ``count`` parameters of ``call``'s block are bound to."""
        ...

    def sinks(
        self, call: Call, receiver: Taint, args: Sequence[Taint], peek: Peek
    ) -> Iterable[Finding]:
        """What reaches a sink at ``call`` (asked when the receiver or an argument is tainted, or
        the call is ``observed``; ``peek`` gives the taint of a node of the call, evaluated again
        on a copy)."""
        ...


@record(frozen=True)
class Limits:
    depth: int = 120  # expression nesting followed
    calls: int = 8  # methods of the object followed, one inside the other
    budget: int = 60_000  # nodes evaluated per run


# -- the state ------------------------------------------------------------------------------------


@record
class State:
    """Variables -> taint on one path (clean variables are absent); ``dead``: the path left."""

    vars: dict[str, Taint] = field(default_factory=dict)
    dead: bool = False

    def copy(self) -> State:
        return State(dict(self.vars), self.dead)

    def get(self, name: str) -> Taint:
        return self.vars.get(name, CLEAN)

    def set(self, name: str, taint: Taint) -> None:
        if taint:
            self.vars[name] = taint
        else:
            self.vars.pop(name, None)

    def refine(self, facts: Facts) -> State:
        """This state with what ``facts`` sanitize."""
        for name, kind in facts:
            if name in self.vars:
                self.set(name, self.vars[name].without((kind,)))
        return self

    def assign_from(self, other: State) -> None:
        self.vars = other.vars
        self.dead = other.dead


def join(states: list[State]) -> State:
    """Paths meeting: a variable is tainted when it is tainted on any live path."""
    live = [s for s in states if not s.dead]
    if not live:
        return State(dict(states[0].vars) if states else {}, True)
    result = State(dict(live[0].vars))
    for other in live[1:]:
        for name, taint in other.vars.items():
            result.vars[name] = result.vars.get(name, CLEAN).union(taint)
    return result


# -- the engine -----------------------------------------------------------------------------------

MethodKey = tuple[int, frozenset[tuple[str, frozenset[str]]]]


class Engine:
    """One run: the spec's sources through the methods they reach (``run`` gives the findings)."""

    def __init__(self, spec: Spec, limits: Limits | None = None) -> None:
        self.spec = spec
        self.limits = limits or Limits()
        self.budget = self.limits.budget
        self.depth = 0
        self.call_depth = 0
        # (method, tainted names with their kinds) -> its shared variables on return (None: not
        # analysed, or running)
        self.seen: dict[MethodKey, dict[str, Taint] | None] = {}
        self.returns: list[list[State]] = []  # states at each `return` of the methods running
        self._findings: dict[tuple[str, int, int], Finding] = {}

    def run(self) -> list[Finding]:
        for method, params in self.spec.sources():
            if isinstance(params, Mapping):
                taints = dict(params)
            else:
                taints = {p: self.source(p, method.name) for p in params}
            self.analyse(method, taints, {})
        return sorted(self._findings.values(), key=lambda f: (f.start, f.use))

    def source(self, param: str, method: str) -> Taint:
        origin = Origin(param, (f"{method}({param})",))
        return Taint(tuple((kind, origin) for kind in self.spec.kinds), False, True, True)

    def analyse(
        self, method: Method, params: dict[str, Taint], shared: dict[str, Taint]
    ) -> dict[str, Taint] | None:
        """Analyse ``method`` once per set of tainted names; its shared variables on return
        (None when it was not analysed: too deep, out of budget, or running: recursion)."""
        names = frozenset(
            (n, frozenset(k for k, _ in t.origins)) for n, t in (params | shared).items()
        )
        key = (id(method), names)
        if key in self.seen:
            return self.seen[key]
        if self.call_depth >= self.limits.calls or self.budget <= 0:
            return None
        self.seen[key] = None
        self.call_depth += 1
        self.returns.append([])
        try:
            state = State({**shared, **params})
            if method.body is not None:
                self.ev(method.body, state)
            exits = join([state, *self.returns[-1]])
            result = {k: v for k, v in exits.vars.items() if self.spec.shared(k)}
            self.seen[key] = result
            return result
        finally:
            self.returns.pop()
            self.call_depth -= 1

    def report(self, finding: Finding) -> None:
        self._findings.setdefault((finding.use, finding.start, finding.end), finding)

    # -- evaluation --------------------------------------------------------------------------
    def peek(
        self, node: Expr | None, state: State, bindings: Mapping[str, Taint] | None = None
    ) -> Taint:
        """The taint of an expression already evaluated (on a copy: no effect on the state),
        with ``bindings`` set first."""
        if node is None:
            return CLEAN
        copy = state.copy()
        for name, taint in (bindings or {}).items():
            copy.set(name, taint)
        return self.ev(node, copy)

    def ev(self, node: Expr, st: State) -> Taint:
        if st.dead or self.budget <= 0 or self.depth >= self.limits.depth:
            return CLEAN
        self.budget -= 1
        self.depth += 1
        try:
            return _EVAL[type(node)](self, node, st)
        finally:
            self.depth -= 1

    def _lit(self, node: Lit, st: State) -> Taint:
        return CLEAN

    def _var(self, node: Var, st: State) -> Taint:
        return st.get(node.name)

    def _seq(self, node: Seq, st: State) -> Taint:
        result = CLEAN
        for child in node.body:
            if st.dead:
                break
            result = self.ev(child, st)
        return result

    def _try(self, node: Try, st: State) -> Taint:
        before = st.copy()
        result = CLEAN
        for child in node.body:
            if st.dead:
                break
            result = self.ev(child, st)
        if node.handlers:
            for part in node.otherwise:
                result = self.ev(part, st)
            paths = [st.copy()]
            for handler in node.handlers:
                entry = join([before, st])
                entry.dead = False
                if handler is not None:
                    self.ev(handler, entry)
                paths.append(entry)
            st.assign_from(join(paths))
        for part in node.ensure:
            probe = st.copy()
            probe.dead = False
            self._seq(part, probe)
            if not probe.dead:
                st.vars = probe.vars
            else:
                st.dead = True
        return result

    def _template(self, node: Template, st: State) -> Taint:
        result = CLEAN
        prefix = ""
        lead = host = False
        for part in node.parts:
            if isinstance(part, str):
                prefix += part
            elif isinstance(part, Hole):
                inner = self.ev(part.expr, st)
                if inner:
                    lead = lead or not prefix
                    host = host or in_host(prefix)
                    result = result.union(inner)
                prefix += "\0"
            else:
                inner = self._template(part, st)
                result = result.union(inner)
                lead, host = lead or (inner.lead and not prefix), host or inner.host
                prefix += part.text
        return result.built_as(lead, host)

    def _collection(self, node: Collection, st: State) -> Taint:
        result = CLEAN
        for item in node.items:
            result = result.union(self.ev(item, st))
        return result.whole()

    def _op(self, node: Op, st: State) -> Taint:
        operands = [self.ev(o, st) for o in node.operands]
        return self.spec.operate(node, operands)

    def _logic(self, node: Logic, st: State) -> Taint:
        left = self.ev(node.left, st)
        truthy, falsy = self.spec.guards(node.guard) if node.guard is not None else _NONE
        branch = st.copy().refine(truthy if node.conjunction else falsy)
        right = self.ev(node.right, branch) if node.right is not None else CLEAN
        skipped = st.copy().refine(falsy if node.conjunction else truthy)
        st.assign_from(join([skipped, branch]))
        return left.union(right)

    def _assign(self, node: Assign, st: State) -> Taint:
        value_node = node.value
        pieces: list[Taint] = []
        if isinstance(value_node, Collection) and value_node.parallel:
            pieces = [self.ev(item, st) for item in value_node.items]
            value = union_all(pieces).whole()
        else:
            value = self.ev(value_node, st)
        if node.update and isinstance(node.target, Name):
            value = value.union(st.get(node.target.name))
        self._store(node.target, value, st, pieces)
        return value

    def _store(self, target: Target, value: Taint, st: State, pieces: list[Taint]) -> None:
        if isinstance(target, Name):
            st.set(target.name, value)
        elif isinstance(target, Unpack):
            items = pieces if target.parallel else []
            for index, inner in enumerate(target.targets):
                piece = items[index] if index < len(items) else value.element()
                self._store(inner, piece, st, [])
        elif isinstance(target, Store):
            for index in target.index:
                self.ev(index, st)
            if target.container is not None and value:
                held = st.get(target.container)
                st.set(target.container, held.union(value.whole()))
        else:
            for effect in target.effects:
                self.ev(effect, st)

    def _exit(self, node: Exit, st: State) -> Taint:
        for value in node.values:
            self.ev(value, st)
        if node.returns and self.returns and not st.dead:
            self.returns[-1].append(st.copy())
        st.dead = True
        return CLEAN

    def _opaque(self, node: Opaque, st: State) -> Taint:
        for part in node.parts:
            self.ev(part, st)
        return CLEAN

    # -- control flow ------------------------------------------------------------------------
    def _branch(self, node: Branch, st: State) -> Taint:
        """A branch and the chain of branches in its ``otherwise`` (one state per arm, joined)."""
        paths: list[State] = []
        value = CLEAN
        current = st
        arm: Branch = node
        while True:
            if arm.condition is not None:
                self.ev(arm.condition, current)
            truthy, falsy = self.spec.guards(arm.guard) if arm.guard is not None else _NONE
            if arm.negated:
                truthy, falsy = falsy, truthy
            then_state = current.copy().refine(truthy)
            if arm.then is not None:
                value = value.union(self.ev(arm.then, then_state))
            paths.append(then_state)
            else_state = current.copy().refine(falsy)
            following = arm.otherwise
            if isinstance(following, Branch) and not else_state.dead and self.budget > 0:
                self.budget -= 1  # the next arm counts as a node, not as a level deeper
                current, arm = else_state, following
                continue
            if following is not None:
                value = value.union(self.ev(following, else_state))
            paths.append(else_state)
            break
        st.assign_from(join(paths))
        return value

    def _loop(self, node: Loop, st: State) -> Taint:
        if node.condition is not None:
            self.ev(node.condition, st)
        if node.iterated is not None or node.binds:
            taint = self.ev(node.iterated, st) if node.iterated is not None else CLEAN
            for name in node.binds:
                st.set(name, taint.element())
        self._repeat(node.body, st)
        return CLEAN

    def _repeat(self, body: Expr | None, st: State, entry: State | None = None) -> None:
        """A body run zero or more times: twice, each run joined with the state before it.

        ``entry`` is the state the body starts in when it differs from ``st`` (block parameters);
        names bound only in ``entry`` do not outlive the body.
        """
        if body is None:
            return
        start = entry if entry is not None else st.copy()
        current = start
        for _ in range(2):
            run = current.copy()
            run.dead = False
            self.ev(body, run)
            current = join([start, run, current])
        local = set(start.vars) - set(st.vars) if entry is not None else set()
        merged = join([st, current])
        for name in local:
            if name in st.vars:
                continue
            merged.vars.pop(name, None)
        st.assign_from(merged)

    def _block(self, block: Block, st: State, values: Sequence[Taint]) -> None:
        entry = st.copy()
        for index, names in enumerate(block.params):
            value = values[index] if index < len(values) else CLEAN
            for name in names:
                entry.set(name, value)
        self._repeat(block.body, st, entry)

    def _closure(self, node: Closure, st: State) -> Taint:
        self._block(node.block, st, ())
        return CLEAN

    # -- calls -------------------------------------------------------------------------------
    def _call(self, node: Call, st: State) -> Taint:
        receiver = self.ev(node.receiver, st) if node.receiver is not None else CLEAN
        taints: list[Taint] = []
        for arg in node.args:
            if arg.kind == "block" or arg.value is None:
                taints.append(CLEAN)
            elif arg.kind in ("splat", "keywords"):
                taints.append(self.ev(arg.value, st).element())
            else:
                taints.append(self.ev(arg.value, st))
        if st.dead:
            return CLEAN
        if receiver or any(taints) or node.name in self.spec.observed:

            def peek(expr: Expr | None, bindings: Mapping[str, Taint] | None = None) -> Taint:
                return self.peek(expr, st, bindings)

            for finding in self.spec.sinks(node, receiver, taints, peek):
                self.report(finding)
        if node.block is not None:
            values = self.spec.block_values(node, receiver, len(node.block.params))
            self._block(node.block, st, values)
        if node.noreturn:
            st.dead = True
            return CLEAN
        if node.local:
            method = self.spec.method(node.name)
            if method is not None:
                self._enter(method, node, taints, st)
        st.refine(self.spec.asserts(node))
        return self.spec.derive(node, receiver, taints)

    def _enter(self, method: Method, call: Call, taints: list[Taint], st: State) -> None:
        """A call of a method of the object: its matching parameters take the arguments' taint,
        its shared variables come back."""
        args = list(zip(call.args, taints, strict=True))
        positional = [t for a, t in args if a.kind == "positional"]
        splat = union_all(t for a, t in args if a.kind == "splat" and t)
        keywords = {a.key: t for a, t in args if a.kind == "keyword"}
        spread = union_all(t for a, t in args if a.kind == "keywords")
        takes_keywords = any(p.kind in ("keyword", "keywords") for p in method.params)
        if keywords and self.spec.keywords_as_positional and not takes_keywords:
            positional.append(union_all(keywords.values()))
        bound: dict[str, Taint] = {}
        index = 0
        for param in method.params:
            if param.kind == "positional":
                taint = positional[index] if index < len(positional) else CLEAN
                index += 1
                taint = taint.union(splat)
            elif param.kind == "rest":
                taint = union_all(positional[index:]).union(splat)
            elif param.kind == "keyword":
                taint = keywords.get(param.name, CLEAN).union(spread)
            else:
                taint = union_all(keywords.values()).union(spread)
            if taint:
                bound[param.name] = taint.hop(method.name, param.name)
        shared = {k: v for k, v in st.vars.items() if self.spec.shared(k)}
        after = self.analyse(method, bound, shared)
        if after is not None:  # shared variables the method set or cleared
            kept = {k: v for k, v in st.vars.items() if not self.spec.shared(k)}
            st.vars = {**kept, **after}


_NONE: tuple[Facts, Facts] = (NO_FACTS, NO_FACTS)

_EVAL: dict[type, Callable[[Engine, object, State], Taint]] = {
    Lit: Engine._lit,
    Var: Engine._var,
    Seq: Engine._seq,
    Try: Engine._try,
    Template: Engine._template,
    Collection: Engine._collection,
    Op: Engine._op,
    Logic: Engine._logic,
    Assign: Engine._assign,
    Call: Engine._call,
    Closure: Engine._closure,
    Branch: Engine._branch,
    Loop: Engine._loop,
    Exit: Engine._exit,
    Opaque: Engine._opaque,
}  # type: ignore[dict-item]
