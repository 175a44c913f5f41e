"""How the Python index writes the names it resolves: what light modules (the index itself) need
of them without loading the model or the parser."""

from __future__ import annotations

OWN = ":"  # prefix of a name defined at the top of the module itself


def absolute(name: str, module: str | None, package: bool) -> str:
    """A possibly relative qualified name (``..a.b``) made absolute from the module it is
    written in (``package``: the module is a package's ``__init__``). Unchanged when it is
    absolute or the module is unknown."""
    if not name.startswith(".") or module is None:
        return name
    level = len(name) - len(name.lstrip("."))
    rest = name[level:]
    parts = module.split(".") if module else []
    if not package:
        parts = parts[:-1]
    if level > 1:
        parts = parts[: len(parts) - (level - 1)] if level - 1 <= len(parts) else []
    return ".".join([*parts, *([rest] if rest else [])])
