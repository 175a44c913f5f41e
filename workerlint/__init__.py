"""workerlint: static analysis for background jobs (Sidekiq; Celery, RQ, Dramatiq) and their
configuration.

The names a rule module needs are re-exported here.
"""

from workerlint.core.diagnostics import Applicability, Diagnostic, Edit, Fix, Level, Span
from workerlint.core.rule import LanguageCheck, Rule

__version__ = "0.2.0"

__all__ = [
    "Applicability",
    "Diagnostic",
    "Edit",
    "Fix",
    "LanguageCheck",
    "Level",
    "Rule",
    "Span",
    "__version__",
]
