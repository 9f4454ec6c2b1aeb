"""Business errors that carry their own HTTP status and a Chinese message."""


class YunongError(Exception):
    """Base of every error a user may see; ``message`` is shown as is."""

    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidValue(YunongError, ValueError):
    """A value that fails validation (an ID number, a code, a region)."""

    status_code = 422


class NotFound(YunongError):
    status_code = 404


class Forbidden(YunongError):
    status_code = 403


class Conflict(YunongError):
    status_code = 409
