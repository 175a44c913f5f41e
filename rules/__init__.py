"""The rule catalogue (import name ``workerlint.rules``): one module per rule, one line each here."""

from workerlint.rules.arguments.job_argument_reaches_dangerous_sink import (
    JobArgumentReachesDangerousSink,
)
from workerlint.rules.arguments.job_argument_sizes_work import JobArgumentSizesWork
from workerlint.rules.arguments.non_json_job_argument import NonJsonJobArgument
from workerlint.rules.arguments.unbounded_job_payload import UnboundedJobPayload
from workerlint.rules.calls.external_call_in_transaction import ExternalCallInTransaction
from workerlint.rules.calls.external_call_without_circuit_breaker import (
    ExternalCallWithoutCircuitBreaker,
)
from workerlint.rules.calls.http_call_without_timeout import HttpCallWithoutTimeout
from workerlint.rules.config.concurrency_too_high import ConcurrencyTooHigh
from workerlint.rules.config.database_pool_too_small import DatabasePoolTooSmall
from workerlint.rules.config.ignored_config_key import IgnoredConfigKey
from workerlint.rules.config.invalid_config_value import InvalidConfigValue
from workerlint.rules.config.late_ack_redelivery import LateAckRedelivery
from workerlint.rules.config.prefetch_with_long_tasks import PrefetchWithLongTasks
from workerlint.rules.config.queue_never_processed import QueueNeverProcessed
from workerlint.rules.config.queue_starvation import QueueStarvation
from workerlint.rules.config.redis_pool_too_small import RedisPoolTooSmall
from workerlint.rules.config.shutdown_timeout_too_long import ShutdownTimeoutTooLong
from workerlint.rules.config.unbounded_task_results import UnboundedTaskResults
from workerlint.rules.config.unknown_config_key import UnknownConfigKey
from workerlint.rules.connections.connection_per_job import ConnectionPerJob
from workerlint.rules.connections.thread_per_job import ThreadPerJob
from workerlint.rules.engine.syntax_error import SyntaxError_
from workerlint.rules.engine.unused_suppression import UnusedSuppression
from workerlint.rules.enqueue.enqueue_in_loop import EnqueueInLoop
from workerlint.rules.enqueue.excessive_retries import ExcessiveRetries
from workerlint.rules.enqueue.failed_job_discarded import FailedJobDiscarded
from workerlint.rules.enqueue.sleep_in_job import SleepInJob
from workerlint.rules.loads.loop_without_exit import LoopWithoutExit
from workerlint.rules.loads.process_global_growth import ProcessGlobalGrowth
from workerlint.rules.loads.unbatched_relation_iteration import UnbatchedRelationIteration
from workerlint.rules.loads.unbounded_relation_load import UnboundedRelationLoad
from workerlint.rules.loads.whole_file_in_memory import WholeFileInMemory

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
    LateAckRedelivery,
    PrefetchWithLongTasks,
    UnboundedTaskResults,
    HttpCallWithoutTimeout,
    ExternalCallWithoutCircuitBreaker,
    ExternalCallInTransaction,
    UnbatchedRelationIteration,
    UnboundedRelationLoad,
    LoopWithoutExit,
    ProcessGlobalGrowth,
    WholeFileInMemory,
    JobArgumentReachesDangerousSink,
    JobArgumentSizesWork,
    NonJsonJobArgument,
    ConnectionPerJob,
    ThreadPerJob,
    SleepInJob,
    FailedJobDiscarded,
    ExcessiveRetries,
    UnboundedJobPayload,
    EnqueueInLoop,
)
