"""Named errors: the HTTP layer maps them to 4xx answers and the state machine names them in Retry/Catch."""

import json


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


class BackfillAlreadyRunning(RightsflowError):
    """A backfill of this store's index is still running: follow it rather than start another."""


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


class ExplainedFailure(RightsflowError):
    """A failure whose message is written for ops: it names stores, objects and record numbers,
    never personal data, so it may be shown as the reason a request needs attention."""


class ObjectUnreadable(ExplainedFailure):
    """An S3 object (or one of its versions) that a store's format cannot read where the person's
    record is. Not retried: ops fix the object or the data map, then retry the request."""

    def __init__(self, store: str, object_key: str, problem: str, version: str | None = None):
        where = f"{object_key} (version {version})" if version else object_key
        super().__init__(f"{store}: object {where} cannot be read: {problem}")
        self.store = store
        self.object_key = object_key
        self.problem = problem


class ObjectUnwritable(ExplainedFailure):
    """A change cannot be written in an S3 object's format (a value the store's declared encoding
    cannot represent). Not retried: ops decide."""

    def __init__(self, store: str, object_key: str, problem: str):
        super().__init__(f"{store}: object {object_key} cannot be changed: {problem}")
        self.store = store
        self.object_key = object_key
        self.problem = problem


class StoresNotFulfilled(ExplainedFailure):
    """Some stores failed past their retries while the others went on; the request waits for ops,
    whose retry finishes only what is left."""


class IndexIncomplete(ExplainedFailure):
    """A store's canonical identifier index is not known to be complete: fulfilment parks the
    request (naming the store) rather than report that nothing was found there."""


class IndexSettling(IndexIncomplete):
    """A store's index may not yet hold what its store does: events of its bucket are received
    and not yet indexed, or the request is younger than the time S3 takes to deliver them (the
    template's IndexSettleSeconds). The state machine retries FulfilStore after a pause; past
    its retries the request parks as for IndexIncomplete, naming the store."""


class FulfilmentUnverified(ExplainedFailure):
    """Read again after the change, a store still holds what it should no longer hold (or not
    what it should): the request parks, naming the store and what remains."""


class OutOfScope(ExplainedFailure):
    """A step was asked to read or change a store outside the request's scope."""


def _names(cls: type[Exception]) -> set[str]:
    return {cls.__name__} | {name for sub in cls.__subclasses__() for name in _names(sub)}


def explanation(error: str, cause: str) -> str | None:
    """The message of an ExplainedFailure, from a Step Functions error (its name and its Cause,
    the JSON Lambda reports); None for any other error, whose message may hold anything."""
    if error not in _names(ExplainedFailure):
        return None
    try:
        message = json.loads(cause).get("errorMessage")
    except (ValueError, AttributeError):
        return None
    return str(message) if message else None


class StoreSchemaRefused(ExplainedFailure):
    """A SQL store's live schema cannot serve the data map as declared (a table, column, foreign
    key or index is missing); the message names the table and column. Ops fix the schema or the
    data map, then retry: nothing was read or changed."""


class StoreRefusedChange(ExplainedFailure):
    """The database refused one of a request's changes in a store; the store's transaction was
    rolled back, so nothing of the request's changes there was made."""


class StoreNotConfigured(ExplainedFailure):
    """The data map names a store this deployment cannot reach (for a SQL store: no connection
    secret or SQL stores function deployed)."""
