"""The rule catalogue (import name ``workerlint.rules``): one module per rule, one line each here."""

from workerlint.rules.calls.http_call_without_timeout import HttpCallWithoutTimeout
from workerlint.rules.config.concurrency_too_high import ConcurrencyTooHigh
from workerlint.rules.config.database_pool_too_small import DatabasePoolTooSmall
from workerlint.rules.config.ignored_config_key import IgnoredConfigKey
from workerlint.rules.config.invalid_config_value import InvalidConfigValue
from workerlint.rules.config.queue_never_processed import QueueNeverProcessed
from workerlint.rules.config.queue_starvation import QueueStarvation
from workerlint.rules.config.redis_pool_too_small import RedisPoolTooSmall
from workerlint.rules.config.shutdown_timeout_too_long import ShutdownTimeoutTooLong
from workerlint.rules.config.unknown_config_key import UnknownConfigKey
from workerlint.rules.engine.syntax_error import SyntaxError_
from workerlint.rules.engine.unused_suppression import UnusedSuppression
from workerlint.rules.loads.unbatched_relation_iteration import UnbatchedRelationIteration

ALL_RULES = (
    SyntaxError_,
    UnusedSuppression,
    RedisPoolTooSmall,
    DatabasePoolTooSmall,
    ConcurrencyTooHigh,
    UnknownConfigKey,
    IgnoredConfigKey,
    InvalidConfigValue,
    QueueNeverProcessed,
    ShutdownTimeoutTooLong,
    QueueStarvation,
    HttpCallWithoutTimeout,
    UnbatchedRelationIteration,
)
