"""What a service says when a request cannot be done: a small hierarchy of domain errors, free of HTTP.
api/errors.py maps each to its status once; a page route catches the ones it explains on the page. The
message names the parameter and what is wrong, never the value a person sent."""

from __future__ import annotations


class ServiceError(Exception):
    """A request the service cannot carry out; `field` names the parameter at fault, when one is."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class NotFound(ServiceError):
    """What the request names does not exist (a profile, a posting, a report)."""


class Invalid(ServiceError):
    """The request is well-formed but names something the data does not allow."""


class Conflict(ServiceError):
    """The request clashes with the state of what it names (a version not built, a choice not agreed to)."""


class Unavailable(ServiceError):
    """A part the service needs is not there right now (the occupation coder not trained or loaded)."""
