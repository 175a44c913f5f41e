"""A task's definition in the file being checked, with its options as syntax: the decorator
keywords (``@app.task(max_retries=5)``) or class attributes (``max_retries = 5`` in a ``Task``
subclass), and the ``retry`` calls its body makes (``self.retry(...)`` in a bound Celery task,
``send_report.retry(...)``).

The project index knows the tasks (lang/python/index.py); this module finds the nodes a rule
points at and reads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workerlint.core.records import record
from workerlint.facts import NOT_LITERAL
from workerlint.lang.python import nodes
from workerlint.lang.python.nodes import text

if TYPE_CHECKING:
    from tree_sitter import Node

    from workerlint.lang.python.context import PythonContext
    from workerlint.lang.python.index import Task


@record(frozen=True, eq=False)
class TaskDefinition:
    task: Task
    definition: Node  # the function_definition or class_definition
    body: Node | None  # the function that runs (the def itself, or the class's ``run``)
    decorator: Node | None  # the decorator expression that makes it a task
    options: dict[str, Node]  # option name -> its value node (keyword or class attribute)

    def option(self, name: str) -> Node | None:
        return self.options.get(name)

    @property
    def label(self) -> str:
        return self.task.name


def task_definition(node: Node, ctx: PythonContext) -> TaskDefinition | None:
    """The task a ``function_definition`` or ``class_definition`` defines, or None."""
    key = ("task-definition", node.start_byte, node.end_byte)
    if key not in ctx.memo:
        ctx.memo[key] = _definition(node, ctx)
    found: TaskDefinition | None = ctx.memo[key]
    return found


def _definition(node: Node, ctx: PythonContext) -> TaskDefinition | None:
    name = text(node.child_by_field_name("name"))
    if not name or nodes.enclosing(node, ("function_definition",)) is not None:
        return None
    if node.type == "function_definition":
        if nodes.enclosing(node, ("class_definition",)) is not None:
            return None
        task = ctx.index.task_of(ctx.relpath, name)
        if task is None or task.qualname != name:
            return None
        decorator = _decorator(node, task)
        options = nodes.keywords(decorator) if decorator is not None else {}
        return TaskDefinition(task, node, node, decorator, options)
    if node.type != "class_definition":
        return None
    task = next(
        (t for t in ctx.index.tasks if t.relpath == ctx.relpath and t.qualname == name), None
    )
    if task is None:
        return None
    _, _, method = task.body.partition(".")
    return TaskDefinition(task, node, _method(node, method), None, class_attributes(node))


def _decorator(definition: Node, task: Task) -> Node | None:
    if task.decorator is None:
        return None
    for expr in nodes.decorators(definition):
        expr = nodes.unwrap(expr)
        if expr.start_byte == task.decorator.start and expr.type == "call":
            return expr
    return None


def class_attributes(cls: Node) -> dict[str, Node]:
    """A class body's ``name = value`` statements: name -> value node (the last one wins)."""
    found: dict[str, Node] = {}
    body = cls.child_by_field_name("body")
    for statement in body.named_children if body is not None else []:
        if statement.type != "expression_statement":
            continue
        for child in statement.named_children:
            if child.type != "assignment":
                continue
            left = child.child_by_field_name("left")
            right = child.child_by_field_name("right")
            if left is not None and left.type == "identifier" and right is not None:
                found[text(left)] = right
    return found


def _method(cls: Node, name: str) -> Node | None:
    body = cls.child_by_field_name("body")
    for statement in body.named_children if body is not None else []:
        inner = statement
        if inner.type == "decorated_definition":
            inner = inner.child_by_field_name("definition") or inner
        if inner.type == "function_definition" and text(inner.child_by_field_name("name")) == name:
            return inner
    return None


def bound_name(definition: TaskDefinition) -> str | None:
    """The name the running task is bound to in its body: the first parameter of a
    ``bind=True`` function task, ``self`` in a class task's method."""
    body = definition.body
    if body is None:
        return None
    params = nodes.parameters(body)
    if definition.definition.type == "class_definition":
        return params[0][0] if params else None
    bind = definition.option("bind")
    if bind is None or nodes.literal(bind) is not True or not params:
        return None
    return params[0][0]


def retry_calls(definition: TaskDefinition) -> list[Node]:
    """The ``retry`` calls of the task on itself in its body: ``self.retry(...)`` (bound) or
    ``<task function>.retry(...)``."""
    body = definition.body
    block = body.child_by_field_name("body") if body is not None else None
    if block is None:
        return []
    names = {text(definition.definition.child_by_field_name("name"))}
    bound = bound_name(definition)
    if bound is not None:
        names.add(bound)
    found: list[Node] = []
    stack = [block]
    while stack:
        node = stack.pop()
        if node.type == "call" and nodes.call_name(node) == "retry":
            owner = nodes.receiver(node)
            if owner is not None and owner.type == "identifier" and text(owner) in names:
                found.append(node)
        stack.extend(reversed(node.named_children))
    return sorted(found, key=lambda n: n.start_byte)


def constant(node: Node | None, ctx: PythonContext) -> object:
    """The literal value of an expression, following a name bound once to a literal
    (``max_retries=MAX_RETRIES`` after ``MAX_RETRIES = 5``); NOT_LITERAL otherwise."""
    value = nodes.literal(node)
    if node is None or value is not NOT_LITERAL:
        return value
    return nodes.literal(ctx.semantic.value_of(nodes.unwrap(node)))


def dictionary_value(node: Node | None, key: str) -> Node | None:
    """The value node of ``key`` in a dictionary literal (``{"max_retries": 5}``) or a
    ``dict(max_retries=5)`` call, else None."""
    if node is None:
        return None
    node = nodes.unwrap(node)
    if node.type == "dictionary":
        for pair in node.named_children:
            if pair.type == "pair" and nodes.string_value(pair.child_by_field_name("key")) == key:
                return pair.child_by_field_name("value")
        return None
    if node.type == "call" and text(nodes.callee(node)) == "dict":
        return nodes.keywords(node).get(key)
    return None
