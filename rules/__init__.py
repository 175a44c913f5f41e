"""The rule catalogue (import name ``workerlint.rules``): one module per rule, one line each here."""

from workerlint.rules.calls.http_call_without_timeout import HttpCallWithoutTimeout
from workerlint.rules.engine.syntax_error import SyntaxError_
from workerlint.rules.engine.unused_suppression import UnusedSuppression
from workerlint.rules.loads.unbatched_relation_iteration import UnbatchedRelationIteration

ALL_RULES = (
    SyntaxError_,
    UnusedSuppression,
    HttpCallWithoutTimeout,
    UnbatchedRelationIteration,
)
