"""Named errors: the HTTP layer maps them to 4xx answers and the state machine names them in Retry/Catch."""


class RightsflowError(Exception):
    """Base of every error this product raises on purpose."""


class InvalidRequest(RightsflowError):
    """A caller's input breaks a rule; `field` names the offending field."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class RequestNotFound(RightsflowError):
    """No request with that id, or the caller may not see it (the two look the same on purpose)."""


class IllegalTransition(RightsflowError):
    """A status change the request lifecycle does not allow (for example, out of a terminal status)."""


class ConcurrentUpdate(RightsflowError):
    """The request changed between read and write; transient, the caller retries."""


class StoreUnavailable(RightsflowError):
    """A data store or AWS service answered with a transient failure; the state machine retries it."""


class NotificationFailed(RightsflowError):
    """An e-mail or notice could not be handed over for delivery."""


class WorkflowStartFailed(RightsflowError):
    """The request was stored but its Step Functions execution could not be started."""


class ExtensionRefused(RightsflowError):
    """The law does not allow this extension of the deadline (too late, too long, or not at all)."""


class NotWaitingForOps(RightsflowError):
    """An ops decision was sent for a request whose workflow is not waiting for one."""


class NotPendingVerification(RightsflowError):
    """A code was sent for a request that is not waiting for one."""


class VerificationExpired(RightsflowError):
    """The verification code expired; the request ends unverified."""


class VerificationLocked(RightsflowError):
    """Too many wrong codes: the request ends unverified. Named in the state machine's Catch."""


class ResendLimited(RightsflowError):
    """Codes may be re-sent at most three times per request and once a minute."""

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class DeliveryFailed(RightsflowError):
    """A webhook or notice could not be delivered this time; the state machine retries it."""


class NotThisBrands(RightsflowError):
    """A Brand asked about a request that is not its own (answered 404, like an unknown id)."""


class CodeLimitReached(RightsflowError):
    """An address got as many verification codes today as it may (an abuse brake); answered
    429 with the seconds until the next code may be sent."""

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class NoPackage(RightsflowError):
    """The request has no package to download (not an access or portability request, or not
    finished yet); answered 404."""


class PackageExpired(RightsflowError):
    """The package was kept for its promised time and is gone; answered 410."""
