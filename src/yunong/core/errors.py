"""Business errors that carry their own HTTP status and a Chinese message."""


class YunongError(Exception):
    """Base of every error a user may see; ``message`` is shown as is.

    A message about particular values is given as a template with its values,
    ``InvalidValue("计量单位“{unit}”无效", unit=unit)``: ``message`` is the Chinese text, and
    a page in another language translates ``template`` (a message id of the catalogue) and
    fills in the same ``values``.
    """

    status_code = 400

    def __init__(self, message: str, **values: object) -> None:
        text = message.format(**values) if values else message
        super().__init__(text)
        self.message = text
        self.template = message
        self.values = values


class InvalidValue(YunongError, ValueError):
    """A value that fails validation (an ID number, a code, a region)."""

    status_code = 422


class NotFound(YunongError):
    status_code = 404


class Forbidden(YunongError):
    status_code = 403


class Conflict(YunongError):
    status_code = 409
