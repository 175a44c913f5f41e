"""ARCHITECTURE.md's layering, read from the imports of every module (AST, lazy and type-only
imports included): each layer imports only layers below it, the languages never import each
other, rules never import the app, the renderers or test helpers, only the registry names the
catalogue, no rule code appears outside its rule, and there is no import circle."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Lowest first; a module may import its own layer and the layers before it.
LAYERS: list[tuple[str, ...]] = [
    ("workerlint.core",),
    ("workerlint.facts", "workerlint.taint"),
    ("workerlint.formats",),
    ("workerlint.lang",),
    ("workerlint.project",),
    ("workerlint.rules",),
    ("workerlint.app",),
]
RULE_CODE = re.compile(r"""["']WL\d{3}["']""")


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[0] == "rules":
        parts.insert(0, "workerlint")
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    files = [*(ROOT / "workerlint").rglob("*.py"), *(ROOT / "rules").rglob("*.py")]
    files = [f for f in files if f.name != "examples.py"]  # examples to lint, not our code
    return {_module_name(p): p for p in sorted(files)}


MODULES = _sources()


def _imports(name: str, path: Path) -> set[str]:
    """Every workerlint module ``name`` imports, resolved to the module (not the package's
    attribute): ``from workerlint.core import fixes`` is ``workerlint.core.fixes``."""
    tree = ast.parse(path.read_text(), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("workerlint"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")
                parent = parent[: len(parent) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            if not base.startswith("workerlint"):
                continue
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in MODULES else base)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.add(str(node.args[0].value))
    found.discard(name)
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _layer(name: str) -> int:
    if name in ("workerlint", "workerlint.__main__"):
        # The package's own module re-exports core names for rules (and holds __version__);
        # __main__ only starts the app.
        return 0 if name == "workerlint" else len(LAYERS) - 1
    for index, prefixes in enumerate(LAYERS):
        if any(name == p or name.startswith(p + ".") for p in prefixes):
            return index
    raise AssertionError(f"{name} belongs to no layer of ARCHITECTURE.md")


LANGUAGES = ("workerlint.lang.ruby", "workerlint.lang.python")


def _forbidden(source: str, target: str) -> str | None:
    """Why ``source`` may not import ``target`` (None when it may)."""
    in_rules = source.startswith("workerlint.rules")
    if target == "workerlint.rules" and not in_rules and source != "workerlint.app.registry":
        return "only app/registry names the catalogue"
    if in_rules and target.startswith(("workerlint.app", "workerlint.core.output")):
        return "a rule imports the app, a renderer or a test helper"
    for this in LANGUAGES:
        for other in LANGUAGES:
            if this != other and source.startswith(this) and target.startswith(other):
                return "the languages never import each other"
    low, high = _layer(source), _layer(target)
    if high > low:
        return f"layer {LAYERS[low][0]} imports the higher layer {LAYERS[high][0]}"
    return None


def test_every_arrow_goes_down():
    wrong = sorted(
        f"{source} -> {target}: {why}"
        for source, targets in GRAPH.items()
        for target in targets
        if (why := _forbidden(source, target)) is not None
    )
    assert wrong == []


def test_no_import_circle():
    circles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(name: str) -> None:
        state[name] = 1
        stack.append(name)
        for target in sorted(GRAPH.get(name, ())):
            if target not in GRAPH:
                continue
            if state.get(target) == 1:
                circles.append([*stack[stack.index(target) :], target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[name] = 2

    for name in sorted(GRAPH):
        if name not in state:
            visit(name)
    assert [" -> ".join(c) for c in circles] == []


def test_no_rule_code_outside_its_rule_and_the_registry():
    found = []
    for name, path in MODULES.items():
        if name.startswith("workerlint.rules.") or name == "workerlint.app.registry":
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if RULE_CODE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []


@pytest.mark.parametrize(
    ("source", "target", "why"),
    [
        ("workerlint.core.rule", "workerlint.project.index", "higher layer"),
        ("workerlint.rules.calls.x", "workerlint.app.testing", "test helper"),
        ("workerlint.rules.calls.x", "workerlint.core.output.text", "renderer"),
        ("workerlint.lang.ruby.nodes", "workerlint.lang.python.nodes", "languages"),
        ("workerlint.project.index", "workerlint.rules", "catalogue"),
    ],
)
def test_the_checks_can_fail(source, target, why):
    assert why in (_forbidden(source, target) or "")
