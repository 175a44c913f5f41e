"""workerlint: static analysis for background jobs (Sidekiq; Celery, RQ, Dramatiq) and their
configuration.

The names a rule module needs are re-exported here. They are imported when first asked for
(PEP 562), so a run the manifest replays (app/manifest.py) does not load the rule API.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # typing itself is not imported: a replayed run (app/replay.py) needs none
if TYPE_CHECKING:
    from workerlint.core.diagnostics import Applicability, Diagnostic, Edit, Fix, Level, Span
    from workerlint.core.rule import FolderCheck, LanguageCheck, Rule

__version__ = "0.2.0"

_EXPORTS = {
    "Applicability": "workerlint.core.diagnostics",
    "Diagnostic": "workerlint.core.diagnostics",
    "Edit": "workerlint.core.diagnostics",
    "Fix": "workerlint.core.diagnostics",
    "Level": "workerlint.core.diagnostics",
    "Span": "workerlint.core.diagnostics",
    "FolderCheck": "workerlint.core.rule",
    "LanguageCheck": "workerlint.core.rule",
    "Rule": "workerlint.core.rule",
}

__all__ = [
    "Applicability",
    "Diagnostic",
    "Edit",
    "Fix",
    "FolderCheck",
    "LanguageCheck",
    "Level",
    "Rule",
    "Span",
    "__version__",
]


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'workerlint' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
