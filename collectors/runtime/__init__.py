"""The collector runtime: what every platform's collector shares.

Plugins (`collectors/<platform>/`) fetch and translate; the runtime produces,
checkpoints, dedups, retries, backs off and keeps health and metrics.
"""

from collectors.runtime.backoff import Backoff, Throttle, retry_after
from collectors.runtime.plugin import (
    AccountFacts,
    Advance,
    AuthFailed,
    Changed,
    Collector,
    CollectorError,
    Complete,
    HistoryLost,
    Item,
    Observed,
    PassContext,
    RateLimited,
    TransientError,
    Unavailable,
    Watermark,
    iso_time,
    unix_time,
)
from collectors.runtime.runner import CollectorFailed, PassResult, Runner, RunnerOptions

__all__ = [
    "AccountFacts",
    "Advance",
    "AuthFailed",
    "Backoff",
    "Changed",
    "Collector",
    "CollectorError",
    "CollectorFailed",
    "Complete",
    "HistoryLost",
    "Item",
    "Observed",
    "PassContext",
    "PassResult",
    "RateLimited",
    "Runner",
    "RunnerOptions",
    "Throttle",
    "TransientError",
    "Unavailable",
    "Watermark",
    "iso_time",
    "retry_after",
    "unix_time",
]
