"""The request lifecycle: request types, the status vocabulary and which status changes are allowed."""

from enum import StrEnum

from rightsflow.domain.errors import IllegalTransition


class RequestType(StrEnum):
    """The rights a person can exercise, as the privacy policy promises them."""

    ACCESS = "access"
    RECTIFICATION = "rectification"
    ERASURE = "erasure"
    RESTRICTION = "restriction"
    PORTABILITY = "portability"
    OBJECTION = "objection"
    AUTOMATED_DECISION = "automated_decision"
    WITHDRAW_CONSENT = "withdraw_consent"
    # Lifting a restriction the person asked for: they are told before it is lifted.
    LIFT_RESTRICTION = "lift_restriction"
    # Not a right over data: a complaint about how it was handled, answered by ops in writing.
    COMPLAINT = "complaint"
    # US opt-outs: honoured for the identifiers given, without a verification code.
    OPT_OUT_SALE_SHARING = "opt_out_sale_sharing"  # CCPA: "Do Not Sell or Share"
    LIMIT_SENSITIVE_PI = "limit_sensitive_pi"  # CCPA: "Limit the Use of My Sensitive PI"
    OPT_OUT_TARGETED_ADVERTISING = "opt_out_targeted_advertising"  # the state laws
    OPT_OUT_PROFILING = "opt_out_profiling"  # the state laws
    # An appeal against a decision declining a request (US state laws), answered by ops in writing.
    APPEAL = "appeal"


# Opt-outs are applied to the privacy register at once, for the identifiers the request gives.
OPT_OUTS = frozenset(
    {
        RequestType.OPT_OUT_SALE_SHARING,
        RequestType.LIMIT_SENSITIVE_PI,
        RequestType.OPT_OUT_TARGETED_ADVERTISING,
        RequestType.OPT_OUT_PROFILING,
    }
)
# Answered in writing by a person on the ops team; no data is fulfilled.
ANSWERED_BY_OPS = frozenset({RequestType.COMPLAINT, RequestType.APPEAL})


class Status(StrEnum):
    """Status vocabulary used everywhere: API, records, audit trail, ops tools."""

    RECEIVED = "received"
    PENDING_VERIFICATION = "pending_verification"
    IN_PROGRESS = "in_progress"
    AWAITING_BRAND = "awaiting_brand"
    NEEDS_ATTENTION = "needs_attention"
    COMPLETED = "completed"
    DECLINED = "declined"
    UNVERIFIED = "unverified"

    @property
    def is_terminal(self) -> bool:
        return self in TERMINAL_STATUSES


TERMINAL_STATUSES = frozenset({Status.COMPLETED, Status.DECLINED, Status.UNVERIFIED})

# Which status may follow which. A request parked in needs_attention may be re-driven to any open
# status by ops; terminal statuses never change again.
_ALLOWED: dict[Status, frozenset[Status]] = {
    Status.RECEIVED: frozenset(
        {
            Status.PENDING_VERIFICATION,
            Status.IN_PROGRESS,
            Status.NEEDS_ATTENTION,
            Status.DECLINED,
            Status.UNVERIFIED,
            Status.COMPLETED,
        }
    ),
    Status.PENDING_VERIFICATION: frozenset(
        {Status.IN_PROGRESS, Status.NEEDS_ATTENTION, Status.UNVERIFIED, Status.DECLINED}
    ),
    Status.IN_PROGRESS: frozenset(
        {Status.AWAITING_BRAND, Status.NEEDS_ATTENTION, Status.COMPLETED, Status.DECLINED}
    ),
    Status.AWAITING_BRAND: frozenset(
        {Status.IN_PROGRESS, Status.NEEDS_ATTENTION, Status.COMPLETED, Status.DECLINED}
    ),
    Status.NEEDS_ATTENTION: frozenset(
        {
            Status.RECEIVED,
            Status.PENDING_VERIFICATION,
            Status.IN_PROGRESS,
            Status.AWAITING_BRAND,
            Status.COMPLETED,
            Status.DECLINED,
            Status.UNVERIFIED,
        }
    ),
    Status.COMPLETED: frozenset(),
    Status.DECLINED: frozenset(),
    Status.UNVERIFIED: frozenset(),
}


def check_transition(current: Status, target: Status) -> None:
    """Raise IllegalTransition unless `current` may move to `target`."""
    if target not in _ALLOWED[current]:
        raise IllegalTransition(f"a request cannot go from {current} to {target}")
