"""The taint engine (workerlint/taint.py) on hand-built IR with a tiny spec: no language, no rules.

The spec: every parameter of ``main`` is a source of two kinds, "bad" (ended by ``to_int`` and by
the guard ``("valid", x)``) and "big" (ended by the guard ``("small", x)``); ``upper`` derives
from its receiver, ``+`` from both operands, ``each`` gives its block the receiver's elements;
``run(x)`` is a sink of "bad" values and ``x.repeat`` one of "big" values; ``self.*`` variables
belong to the object. Each node's ``ref`` is a (start, end) span, which the sinks report.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import count

from workerlint.taint import (
    CLEAN,
    NO_FACTS,
    Arg,
    Assign,
    Block,
    Branch,
    Call,
    Collection,
    Engine,
    Exit,
    Expr,
    Facts,
    Finding,
    Hole,
    Limits,
    Lit,
    Logic,
    Loop,
    Method,
    Name,
    Op,
    Origin,
    Param,
    Peek,
    Seq,
    State,
    Taint,
    Template,
    Try,
    Unpack,
    Var,
    in_host,
)

_spans = count(1)


def span() -> tuple[int, int]:
    start = next(_spans) * 10
    return (start, start + 5)


class TinySpec:
    kinds = ("bad", "big")
    keywords_as_positional = False
    observed: frozenset[str] = frozenset()

    def __init__(self, *methods: Method, entry: str = "main") -> None:
        self.methods = {m.name: m for m in methods}
        self.entry = entry

    def sources(self) -> Sequence[tuple[Method, Sequence[str]]]:
        main = self.methods[self.entry]
        return [(main, [p.name for p in main.params])]

    def method(self, name: str) -> Method | None:
        return self.methods.get(name)

    def shared(self, name: str) -> bool:
        return name.startswith("self.")

    def guards(self, guard: object) -> tuple[Facts, Facts]:
        check, variable = guard  # type: ignore[misc]
        kind = {"valid": "bad", "small": "big"}[check]
        return frozenset({(variable, kind)}), NO_FACTS

    def asserts(self, call: Call) -> Facts:
        return NO_FACTS

    def derive(self, call: Call, receiver: Taint, args: Sequence[Taint]) -> Taint:
        if call.name == "upper":
            return receiver
        if call.name == "to_int":
            return receiver.only({"big"})
        return CLEAN

    def operate(self, op: Op, operands: Sequence[Taint]) -> Taint:
        left, right = operands
        return left.union(right).built_as(left.lead, left.host)

    def block_values(self, call: Call, receiver: Taint, count: int) -> Sequence[Taint]:
        element = receiver.element() if call.name == "each" else CLEAN
        return [element] * count

    def sinks(
        self, call: Call, receiver: Taint, args: Sequence[Taint], peek: Peek
    ) -> Iterable[Finding]:
        start, end = call.ref  # type: ignore[misc]
        if call.name == "run" and args and (origin := args[0].of("bad")) is not None:
            yield Finding("injection", "command", start, end, "run", origin, "value")
        if call.name == "repeat" and (origin := receiver.of("big")) is not None:
            yield Finding("size", "count", start, end, "repeat", origin, "value")


def at(node: Call) -> int:
    """Where a sink call starts (its ref is its span)."""
    start, _ = node.ref  # type: ignore[misc]
    return start


def var(name: str) -> Var:
    return Var(name)


def call(name: str, *args: Expr, receiver: Expr | None = None, block: Block | None = None) -> Call:
    arguments = tuple(Arg("positional", a) for a in args)
    local = receiver is None
    return Call(receiver, name, arguments, block, local=local, ref=span())


def run_(x: Expr) -> Call:
    return call("run", x)


def method(name: str, params: list[str], *body: Expr) -> Method:
    return Method(name, tuple(Param(p, "positional") for p in params), Seq(tuple(body)))


def guard(check: str, variable: str, then: Expr | None, otherwise: Expr | None = None) -> Branch:
    return Branch(var(variable), then, otherwise, guard=(check, variable))


def found(*methods: Method, limits: Limits | None = None) -> list[tuple[str, int, str]]:
    """(use, start of the sink, origin path) of every finding."""
    engine = Engine(TinySpec(*methods), limits)
    return [(f.use, f.start, f.origin.describe()) for f in engine.run()]


def test_a_source_reaching_a_sink_and_a_clean_value_not():
    sink = run_(var("x"))
    clean = run_(var("y"))
    assert found(method("main", ["x"], sink, clean)) == [("injection", at(sink), "`main(x)`")]


def test_derivation_through_assignment_template_and_operator():
    up = call("upper", receiver=var("x"))
    text = Template(("cmd ", Hole(var("a"))))
    sinks = [run_(var("a")), run_(var("b")), run_(var("c")), run_(var("d"))]
    found_ = found(
        method(
            "main",
            ["x"],
            Assign(Name("a"), up),
            Assign(Name("b"), text),
            Assign(Name("c"), Op("+", (Template(("ls ",)), var("b")))),
            Assign(Name("d"), call("lookup", var("x"))),  # an argument does not derive
            *sinks,
        )
    )
    assert found_ == [("injection", at(s), "`main(x)`") for s in sinks[:3]]


def test_derivation_per_kind_and_the_text_shape():
    engine = Engine(TinySpec(method("main", ["x"])))
    source = engine.source("x", "main")
    number = TinySpec().derive(call("to_int"), source, [])
    assert number.of("bad") is None and number.of("big") == source.of("big")
    built = engine.ev(Template(("https://", Hole(Var("h")), "/path")), _state(h=source))
    assert (built.built, built.lead, built.host) == (True, False, True)
    path = engine.ev(Template(("https://example.com/", Hole(Var("h")))), _state(h=source))
    assert (path.lead, path.host) == (False, False)
    assert in_host("") and in_host("http://") and not in_host("http://a.b/")


def test_guard_dominating_the_use_sanitizes_it():
    protected = run_(var("x"))
    early = run_(var("y"))
    methods = method(
        "main",
        ["x", "y"],
        guard("valid", "x", protected),
        # `return unless valid(y)`: the rest runs only where y is valid
        Branch(var("y"), None, Exit(returns=True), guard=("valid", "y")),
        early,
    )
    assert found(methods) == []


def test_guard_in_one_branch_only_or_after_the_use_does_not():
    in_other_branch = run_(var("x"))
    before_guard = run_(var("y"))
    after_join = run_(var("z"))
    methods = method(
        "main",
        ["x", "y", "z"],
        guard("valid", "x", None, in_other_branch),  # the else side is not validated
        before_guard,
        guard("valid", "y", None),
        guard("valid", "z", Lit(), None),
        Branch(var("flag"), Exit(), None),  # a branch with no guard
        after_join,  # z was validated only inside the branch
    )
    assert found(methods) == [
        ("injection", at(in_other_branch), "`main(x)`"),
        ("injection", at(before_guard), "`main(y)`"),
        ("injection", at(after_join), "`main(z)`"),
    ]


def test_a_guard_ends_only_its_own_kind():
    size = call("repeat", receiver=var("n"))
    injection = run_(var("n"))
    methods = method("main", ["n"], guard("small", "n", Seq((size, injection))))
    assert found(methods) == [("injection", at(injection), "`main(n)`")]


def test_short_circuit_runs_its_right_side_under_the_left_guard():
    checked = run_(var("x"))
    unchecked = run_(var("x"))
    methods = method(
        "main",
        ["x"],
        Logic(var("x"), checked, conjunction=True, guard=("valid", "x")),  # valid(x) && run(x)
        Logic(var("x"), unchecked, conjunction=False, guard=("valid", "x")),  # valid(x) || run(x)
    )
    assert found(methods) == [("injection", at(unchecked), "`main(x)`")]


def test_an_exit_makes_the_rest_of_its_path_dead():
    after_return = run_(var("x"))
    after_raise = run_(var("y"))
    live = run_(var("z"))
    fail = Call(None, "fail", (Arg("positional", var("y")),), local=True, noreturn=True, ref=span())
    methods = method(
        "main",
        ["x", "y", "z"],
        Branch(var("c"), Seq((Exit(returns=True), after_return)), None),
        Branch(var("c"), Seq((fail, after_raise)), None),
        live,
    )
    assert found(methods) == [("injection", at(live), "`main(z)`")]


def test_exception_handlers_start_before_or_after_the_body():
    set_in_body = run_(var("a"))
    cleared_in_body = run_(var("b"))
    after_exit = run_(var("c"))
    methods = method(
        "main",
        ["x"],
        Assign(Name("b"), var("x")),
        Try((Assign(Name("b"), Lit()), Assign(Name("a"), var("x"))), (set_in_body,)),
        Try((Assign(Name("b"), Lit()),), (cleared_in_body,)),
        # A body that exits: its handler starts from the state before it only.
        Try((Assign(Name("c"), var("x")), Exit()), (after_exit,)),
    )
    assert found(methods) == [
        ("injection", at(set_in_body), "`main(x)`"),
        ("injection", at(cleared_in_body), "`main(x)`"),
    ]


def test_a_loop_carries_taint_to_its_next_run_and_after_it():
    in_loop = run_(var("previous"))
    after = run_(var("previous"))
    methods = method(
        "main",
        ["x"],
        Assign(Name("previous"), Lit()),
        Loop(var("more"), Seq((in_loop, Assign(Name("previous"), var("x"))))),
        after,
    )
    assert found(methods) == [
        ("injection", at(in_loop), "`main(x)`"),
        ("injection", at(after), "`main(x)`"),
    ]


def test_block_parameters_are_elements_and_do_not_outlive_the_block():
    inside = run_(var("item"))
    outside = run_(var("item"))
    body = Block((("item",),), Seq((inside,)))
    methods = method("main", ["items"], call("each", receiver=var("items"), block=body), outside)
    assert found(methods) == [("injection", at(inside), "`main(items)`")]


def test_unpacking_a_parallel_assignment():
    first = run_(var("a"))
    second = run_(var("b"))
    methods = method(
        "main",
        ["x"],
        Assign(Unpack((Name("a"), Name("b"))), Collection((Lit(), var("x")), parallel=True)),
        first,
        second,
    )
    assert found(methods) == [("injection", at(second), "`main(x)`")]


def test_tainted_arguments_and_shared_variables_flow_through_methods():
    sink = run_(var("name"))
    from_field = run_(var("self.kind"))
    main = method(
        "main",
        ["kind", "id"],
        call("dispatch", var("id"), var("kind")),
        Assign(Name("self.kind"), var("kind")),
        call("handler"),
    )
    dispatch = method("dispatch", ["id", "type"], call("build", var("type")))
    build = method("build", ["name"], sink)
    handler = method("handler", [], from_field)
    assert found(main, dispatch, build, handler) == [
        ("injection", at(sink), "`main(kind)` -> `dispatch(type)` -> `build(name)`"),
        ("injection", at(from_field), "`main(kind)`"),
    ]


def test_a_method_setting_a_shared_variable_returns_it_to_its_caller():
    after = run_(var("self.kind"))
    fixed = run_(var("self.fixed"))
    main = method("main", ["args"], call("assign", var("args")), after, fixed)
    assign = method(
        "assign",
        ["args"],
        Assign(Name("self.fixed"), Lit()),
        Assign(Name("self.kind"), call("upper", receiver=var("args"))),
    )
    assert found(main, assign) == [("injection", at(after), "`main(args)` -> `assign(args)`")]


def test_recursion_ends_with_each_method_analysed_once_per_tainted_set():
    in_a = run_(var("x"))
    in_b = run_(var("x"))
    main = method("main", ["v"], call("a", var("v")))
    a = method("a", ["x"], call("a", var("x")), call("b", var("x")), call("b", Lit()), in_a)
    b = method("b", ["x"], call("a", var("x")), in_b)
    engine = Engine(TinySpec(main, a, b))
    results = [(f.start, f.origin.describe()) for f in engine.run()]
    assert results == [
        (at(in_a), "`main(v)` -> `a(x)`"),
        (at(in_b), "`main(v)` -> `a(x)` -> `b(x)`"),
    ]
    # main{v}, a{x}, b{x}, and b{} (called with nothing tainted) with the a{} it calls: a
    # method running already is not entered again.
    assert len(engine.seen) == 5
    assert engine.budget > 0


def test_the_call_depth_limit_stops_following_methods():
    chain = [method("main", ["a"], call("m0", var("a")))]
    last = run_(var("x"))
    for i in range(3):
        chain.append(method(f"m{i}", ["x"], call(f"m{i + 1}", var("x"))))
    chain.append(method("m3", ["x"], last))
    assert found(*chain) == [
        ("injection", at(last), "`main(a)` -> `m0(x)` -> `m1(x)` -> `m2(x)` -> `m3(x)`")
    ]
    assert found(*chain, limits=Limits(calls=4)) == []


def test_the_budget_cuts_off_the_evaluation():
    statements = [Assign(Name(f"v{i}"), var(f"v{i - 1}")) for i in range(1, 200)]
    last = run_(var("v199"))
    main = method("main", ["v0"], *statements, last)
    assert found(main) == [("injection", at(last), "`main(v0)`")]
    engine = Engine(TinySpec(main), Limits(budget=100))
    assert engine.run() == []
    assert engine.budget == 0
    # Nesting deeper than the depth limit is not followed either.
    deep: Expr = run_(var("x"))
    for _ in range(50):
        deep = Seq((deep,))
    assert found(method("main", ["x"], deep), limits=Limits(depth=20)) == []
    assert found(method("main", ["x"], deep)) != []


def _state(**taints: Taint) -> State:
    return State(dict(taints))


def test_a_chain_of_arms_is_one_branch_each_arm_under_its_own_guard():
    # case x when ... (200 arms): each arm validated by its own guard only, the last one not;
    # the chain is not nesting (a depth limit of 20 still reaches its last arm).
    arms = [run_(var("x")) for _ in range(201)]
    chain: Expr | None = None
    for index, arm in reversed(list(enumerate(arms))):
        checked = ("valid", "x") if index < 200 else ("valid", "other")
        chain = Branch(var("x") if index == 0 else None, arm, chain, guard=checked)
    assert chain is not None
    assert found(method("main", ["x"], chain), limits=Limits(depth=20)) == [
        ("injection", at(arms[200]), "`main(x)`")
    ]


def test_keyword_and_splat_arguments_bind_their_parameters():
    by_keyword = run_(var("type"))
    by_rest = run_(var("rest"))
    main = method("main", ["kind"], call_with("dispatch", Arg("keyword", var("kind"), "type")))
    dispatch = Method(
        "dispatch",
        (Param("type", "keyword"), Param("other", "keyword")),
        Seq((by_keyword, call_with("spread", Arg("splat", Collection((var("type"),)))))),
    )
    spread = Method(
        "spread", (Param("first", "positional"), Param("rest", "rest")), Seq((by_rest,))
    )
    assert found(main, dispatch, spread) == [
        ("injection", at(by_keyword), "`main(kind)` -> `dispatch(type)`"),
        ("injection", at(by_rest), "`main(kind)` -> `dispatch(type)` -> `spread(rest)`"),
    ]


def call_with(name: str, *args: Arg) -> Call:
    return Call(None, name, args, local=True, ref=span())


def test_sources_with_their_own_taint_and_observed_calls():
    """A spec may start a source with a taint of its own (one kind only here), and ask to see
    calls that nothing tainted reaches; peek takes bindings (a block's parameters)."""
    seen: list[tuple[str, Taint]] = []

    class Observing(TinySpec):
        observed = frozenset({"watch"})

        def sources(self):  # type: ignore[override]
            main = self.methods["main"]
            origin = Origin("x", ("from outside",))
            return [(main, {"x": Taint((("big", origin),))})]

        def sinks(self, call, receiver, args, peek):  # type: ignore[override]
            if call.name == "watch":
                seen.append(("arg", args[0] if args else CLEAN))
                seen.append(("bound", peek(var("z"), {"z": args[0]}) if args else CLEAN))
            return super().sinks(call, receiver, args, peek)

    big_only = run_(var("x"))  # "bad" is not among x's kinds: not an injection
    engine = Engine(Observing(method("main", ["x"], big_only, call("watch", Lit()))))
    assert engine.run() == []
    assert [(what, bool(t)) for what, t in seen] == [("arg", False), ("bound", False)]
    seen.clear()
    engine = Engine(Observing(method("main", ["x"], call("watch", var("x")))))
    engine.run()
    assert seen[0][1].of("big") is not None and seen[0][1].of("bad") is None
    assert seen[1][1] == seen[0][1]  # the binding was seen by the peeked expression
