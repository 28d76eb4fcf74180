"""The one logger, tracer and metrics object every function uses (Powertools), and their wiring."""

import os
from collections.abc import Callable
from typing import Any, TypeVar, cast

from aws_lambda_powertools import Logger, Metrics, Tracer

SERVICE = "rightsflow"
METRICS_NAMESPACE = "Rightsflow"
TRACE_DISABLED_VARIABLE = "POWERTOOLS_TRACE_DISABLED"


def tracing_enabled() -> bool:
    """Whether functions trace inside their code (template parameter DetailedTracing).

    Powertools' Tracer imports the X-Ray SDK as soon as it is made, even when disabled, and that
    SDK ships (layers/tracing) only when tracing is on: so no Tracer is made when it is off.
    """
    value = os.environ.get(TRACE_DISABLED_VARIABLE, "false").strip().lower()
    return value not in {"true", "1", "yes", "on"}


# Named here, not only in the environment: the local stack runs every function in one process,
# where this module is imported once, maybe before any function's environment is set.
logger = Logger(service=SERVICE)
tracer: Tracer | None = Tracer(service=SERVICE) if tracing_enabled() else None
metrics = Metrics(namespace=METRICS_NAMESPACE, service=SERVICE)

Handler = TypeVar("Handler", bound=Callable[..., Any])

# Workflow steps receive {"request_id": ...}; it doubles as the correlation id of their logs.
STEP_CORRELATION = "request_id"


def instrumented(
    correlation_id_path: str, *, capture_response: bool = True
) -> Callable[[Handler], Handler]:
    """Wrap a Lambda handler with structured logs (never the event), tracing when it is on, and
    EMF metrics. A handler whose answer holds personal data passes capture_response=False: the
    trace then keeps no copy of it."""

    def wrap(handler: Handler) -> Handler:
        measured = metrics.log_metrics(handler)
        traced = (
            tracer.capture_lambda_handler(measured, capture_response=capture_response)
            if tracer is not None
            else measured
        )
        return cast(
            Handler,
            logger.inject_lambda_context(
                traced, correlation_id_path=correlation_id_path, log_event=False
            ),
        )

    return wrap
