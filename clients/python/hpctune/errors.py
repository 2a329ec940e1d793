"""One exception hierarchy for every failed call, named after what the caller should do.

The server maps its errors to gRPC status codes and HTTP status codes (studies.proto): the body of an HTTP/JSON
error is ``{"code": N, "message": "..."}`` with N a gRPC code. ``status`` is the HTTP status (None when no answer
came), ``code`` the gRPC code's name, ``message`` the server's words.
"""

GRPC_CODE_NAMES = {
    0: "OK", 1: "CANCELLED", 2: "UNKNOWN", 3: "INVALID_ARGUMENT", 4: "DEADLINE_EXCEEDED", 5: "NOT_FOUND",
    6: "ALREADY_EXISTS", 7: "PERMISSION_DENIED", 8: "RESOURCE_EXHAUSTED", 9: "FAILED_PRECONDITION", 10: "ABORTED",
    11: "OUT_OF_RANGE", 12: "UNIMPLEMENTED", 13: "INTERNAL", 14: "UNAVAILABLE", 15: "DATA_LOSS", 16: "UNAUTHENTICATED",
}

# When an answer carries no gRPC code (a proxy, the authentication middleware), its HTTP status says what happened.
_CODE_OF_HTTP_STATUS = {
    400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND", 409: "ABORTED",
    413: "RESOURCE_EXHAUSTED", 429: "RESOURCE_EXHAUSTED", 499: "CANCELLED", 500: "INTERNAL", 501: "UNIMPLEMENTED",
    502: "UNAVAILABLE", 503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED",
}


class HpcTuneError(Exception):
    """A call the server refused, or one that could not reach it."""

    def __init__(self, message, status=None, code=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code

    def __str__(self):
        where = " ".join(str(part) for part in (self.status, self.code) if part is not None)
        return f"{self.message} ({where})" if where else self.message


class InvalidRequestError(HpcTuneError):
    """The request is wrong (INVALID_ARGUMENT, 400): fix it; sending it again fails again."""


class StudyNotRunningError(InvalidRequestError):
    """The study cannot do this now (FAILED_PRECONDITION, 400): it is finished, broken or stopped."""


class RequestTooLargeError(InvalidRequestError):
    """The request is larger than the server accepts (RESOURCE_EXHAUSTED, 429 or 413)."""


class UnauthenticatedError(HpcTuneError):
    """No token or a wrong one (UNAUTHENTICATED, 401): give the token serve wrote to DIR/token."""


class NotFoundError(HpcTuneError):
    """No such study or trial (NOT_FOUND, 404)."""


class ConflictError(HpcTuneError):
    """A conflict (ALREADY_EXISTS or ABORTED, 409): the trial is held by another worker or finished with another
    result, or the study exists with another definition. Give up on this trial or name."""


class DuplicateTrialError(ConflictError):
    """An inserted assignment equals an existing trial's (ALREADY_EXISTS, 409)."""


class UnavailableError(HpcTuneError):
    """The server could not be reached or stayed unavailable (UNAVAILABLE, 503) for longer than ``retry_timeout``."""


class WaitingForTrials(HpcTuneError):
    """``suggest(wait=...)`` waited that long and no trial could be handed out yet (open trials hold the bandwidth or
    the rest of the budget); ask again later."""


_CLASS_OF_CODE = {
    "INVALID_ARGUMENT": InvalidRequestError, "OUT_OF_RANGE": InvalidRequestError,
    "FAILED_PRECONDITION": StudyNotRunningError, "RESOURCE_EXHAUSTED": RequestTooLargeError,
    "UNAUTHENTICATED": UnauthenticatedError, "PERMISSION_DENIED": UnauthenticatedError,
    "NOT_FOUND": NotFoundError, "ALREADY_EXISTS": ConflictError, "ABORTED": ConflictError,
    "UNAVAILABLE": UnavailableError,
}


def code_name(code, status):
    """The gRPC code's name from an error body's ``code`` (a number or a name), else from the HTTP status."""
    if isinstance(code, int) and not isinstance(code, bool):
        return GRPC_CODE_NAMES.get(code, str(code))
    if isinstance(code, str) and code:
        return GRPC_CODE_NAMES.get(int(code), code) if code.isdigit() else code.upper()
    return _CODE_OF_HTTP_STATUS.get(status, "UNKNOWN")


def error_for(status, code, message):
    """The exception for an HTTP error answer."""
    name = code_name(code, status)
    return _CLASS_OF_CODE.get(name, HpcTuneError)(message, status=status, code=name)
