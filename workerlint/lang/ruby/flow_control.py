"""Control flow of the job-argument data flow: branches, ``case``, loops and blocks.

Branches run on copies of the state, refined by their condition (:mod:`.guards`),
and are joined; a dead path (``return``, ``raise``, ``next``) adds nothing to the join. Loops and
blocks run twice, each run joined with the state before them (they may run zero times).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.lang.ruby.derivation import INDEX_LAST, MEMO_FIRST, bound_names
from workerlint.lang.ruby.guards import refinements, subject_name, when_validates
from workerlint.lang.ruby.taint import CLEAN, State, Taint, join

if TYPE_CHECKING:
    from tree_sitter import Node


class ControlFlow:
    """The control-flow handlers of :class:`workerlint.lang.ruby.flow.Analysis`."""

    returns: list[list[State]]

    def ev(self, node: Node, st: State) -> Taint:
        raise NotImplementedError

    # -- control flow ------------------------------------------------------------------------
    def branch(self, node: Node, st: State) -> Taint:
        """``if``/``unless``/``elsif``, their modifiers, and the ternary."""
        kind = node.type
        cond = node.child_by_field_name("condition")
        if cond is not None:
            self.ev(cond, st)
        truthy, falsy = refinements(cond) if cond is not None else (frozenset(), frozenset())
        if kind in ("unless", "unless_modifier"):
            truthy, falsy = falsy, truthy
        if kind in ("if_modifier", "unless_modifier"):
            body, other = node.child_by_field_name("body"), None
        else:
            body = node.child_by_field_name("consequence")
            other = node.child_by_field_name("alternative")
        then_state = st.copy().refine(truthy)
        value = self.ev(body, then_state) if body is not None else CLEAN
        else_state = st.copy().refine(falsy)
        if other is not None:
            value = value.union(self.ev(other, else_state))
        st.assign_from(join([then_state, else_state]))
        return value

    def case(self, node: Node, st: State) -> Taint:
        subject = node.child_by_field_name("value")
        if subject is not None:
            self.ev(subject, st)
        name = subject_name(subject)
        paths: list[State] = []
        value = CLEAN
        has_else = False
        for clause in node.named_children:
            if clause.type in ("when", "in_clause"):
                branch = st.copy()
                patterns = [p for p in clause.children_by_field_name("pattern")]
                if subject is None:
                    facts: frozenset[tuple[str, str]] = frozenset()
                    for pattern in patterns:
                        inner = pattern.named_children[0] if pattern.named_children else pattern
                        facts = facts | refinements(inner)[0] if len(patterns) == 1 else facts
                    branch.refine(facts)
                elif name is not None and clause.type == "when":
                    branch.refine(frozenset((name, k) for k in when_validates(patterns)))
                body = clause.child_by_field_name("body")
                if body is not None:
                    value = value.union(self.ev(body, branch))
                paths.append(branch)
            elif clause.type == "else":
                has_else = True
                branch = st.copy()
                value = value.union(self.ev(clause, branch))
                paths.append(branch)
        if not has_else:
            paths.append(st.copy())
        st.assign_from(join(paths))
        return value

    def loop(self, node: Node, st: State) -> Taint:
        cond = node.child_by_field_name("condition")
        if cond is not None:
            self.ev(cond, st)
        body = node.child_by_field_name("body")
        if node.type == "for":
            value = node.child_by_field_name("value")
            taint = self.ev(value, st) if value is not None else CLEAN
            pattern = node.child_by_field_name("pattern")
            if pattern is not None:
                for name in bound_names(pattern):
                    st.set(name, taint.element())
        self.repeat(body, st)
        return CLEAN

    def repeat(self, body: Node | None, st: State, entry: State | None = None) -> None:
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

    def block(self, node: Node, st: State, elements: Taint, method: str) -> None:
        params = node.child_by_field_name("parameters")
        entry = st.copy()
        if params is not None:
            names = [p for p in params.named_children if p.type != "comment"]
            for index, param in enumerate(names):
                element = elements.element() if elements else CLEAN
                if method in INDEX_LAST and index == len(names) - 1 and len(names) > 1:
                    element = CLEAN
                if method in MEMO_FIRST and index == 0:
                    element = CLEAN
                for name in bound_names(param):
                    entry.set(name, element)
                    if not element:
                        entry.vars.pop(name, None)
        self.repeat(node.child_by_field_name("body"), st, entry)

    def lambda_(self, node: Node, st: State) -> Taint:
        body = node.child_by_field_name("body")
        if body is not None:
            if body.type in ("block", "do_block"):
                self.block(body, st, CLEAN, "lambda")
            else:
                self.repeat(body, st)
        return CLEAN
