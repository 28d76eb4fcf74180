"""The one logger, tracer and metrics object every function uses (Powertools), and their wiring."""

from collections.abc import Callable
from typing import Any, TypeVar, cast

from aws_lambda_powertools import Logger, Metrics, Tracer

SERVICE = "rightsflow"
METRICS_NAMESPACE = "Rightsflow"

# Named here, not only in the environment: the local stack runs every function in one process,
# where this module is imported once, maybe before any function's environment is set.
logger = Logger(service=SERVICE)
tracer = Tracer(service=SERVICE)
metrics = Metrics(namespace=METRICS_NAMESPACE, service=SERVICE)

Handler = TypeVar("Handler", bound=Callable[..., Any])

# Workflow steps receive {"request_id": ...}; it doubles as the correlation id of their logs.
STEP_CORRELATION = "request_id"


def instrumented(
    correlation_id_path: str, *, capture_response: bool = True
) -> Callable[[Handler], Handler]:
    """Wrap a Lambda handler with structured logs (never the event), tracing and EMF metrics.
    A handler whose answer holds personal data passes capture_response=False: the trace then
    keeps no copy of it."""

    def wrap(handler: Handler) -> Handler:
        traced = tracer.capture_lambda_handler(
            metrics.log_metrics(handler), capture_response=capture_response
        )
        return cast(
            Handler,
            logger.inject_lambda_context(
                traced, correlation_id_path=correlation_id_path, log_event=False
            ),
        )

    return wrap
