"""The one exception hierarchy of policykg.

Every error a user can cause is a :class:`PolicyKGError`. The API turns each
into an ``application/problem+json`` response (RFC 9457) in one handler, using
:attr:`PolicyKGError.status`; the CLI turns each into a message and the exit
code :attr:`PolicyKGError.exit_code`. Anything else that escapes is a bug: a
500 with a log line, never a 400.

Class tree::

    PolicyKGError                      status 500, exit 2
    ├── InputError                     400, exit 2   unreadable input (file, line, column)
    │   ├── UnsupportedFormat          415, exit 2   a media type or file kind we do not read
    │   └── PayloadTooLarge            413, exit 2   body or file over the configured limit
    ├── ValidationFailed               422, exit 1   SHACL violations (carries the report)
    ├── QueryError                     400, exit 2   malformed SPARQL (line, column)
    │   └── QueryRefused               400, exit 2   update forms, SERVICE, LOAD, remote FROM
    ├── ParameterError                 422, exit 2   a canned-query parameter is missing or mistyped
    ├── QueryTimeout                   503, exit 2   the query ran past query_timeout_s
    │   └── TooManyQueries             429, exit 2   this client's own queries hold its share of the workers
    ├── NotReady                       503, exit 2   an aggregate of the whole store is still being computed
    ├── NotFound                       404, exit 2   unknown resource, query or graph
    ├── NotAcceptable                  406, exit 2   no representation matches Accept
    ├── Unauthorized                   401, exit 2   write endpoint without a valid token
    ├── Forbidden                      403, exit 2   writes over HTTP are off
    ├── StoreError                     500, exit 2   the store cannot be opened or written
    │   ├── StoreUnavailable           503, exit 2   a remote store that does not answer
    │   └── WriteConflict              409, exit 2   the store changed since the entries were checked, or a
    │                                                 merge or drop would break other entries
    └── ConfigError                    500, exit 2   a setting has a wrong value (also a ValueError)
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "PolicyKGError", "InputError", "UnsupportedFormat", "PayloadTooLarge", "ValidationFailed",
    "QueryError", "QueryRefused", "ParameterError", "QueryTimeout", "TooManyQueries", "NotReady", "NotFound", "MethodNotAllowed", "NotAcceptable",
    "Unauthorized", "Forbidden", "StoreError", "StoreUnavailable", "WriteConflict", "ConfigError",
]


class PolicyKGError(Exception):
    """Base class. ``title`` is a short human summary; ``detail`` says what and where."""

    status: int = 500
    exit_code: int = 2
    title: str = "policykg error"
    #: The last segment of the problem ``type`` IRI (``https://w3id.org/policykg/problems/{name}``); None:
    #: the class name. A subclass that refines a documented type without a page of its own names it here.
    problem_type: str | None = None

    def __init__(self, detail: str, **extra: Any):
        super().__init__(detail)
        self.detail = detail
        #: Extra members of the problem+json body (e.g. ``line``, ``column``, ``file``).
        self.extra: dict[str, Any] = {k: v for k, v in extra.items() if v is not None}

    def problem(self) -> dict[str, Any]:
        """The RFC 9457 problem document for this error: ``type``, ``title``, ``status``, ``detail`` + extras."""
        body: dict[str, Any] = {
            "type": f"https://w3id.org/policykg/problems/{self.problem_type or type(self).__name__}",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        body.update(self.extra)
        return body


class InputError(PolicyKGError):
    """Input that cannot be read: a syntax error, a wrong encoding, an empty file.

    Keyword extras ``file``, ``line`` (1-based), ``column`` (1-based) and
    ``field`` say where; they are included in the message when given.
    """

    status = 400
    title = "Unreadable input"

    def __init__(self, detail: str, *, file: str | None = None, line: int | None = None,
                 column: int | None = None, field: str | None = None, **extra: Any):
        where = ":".join(str(x) for x in (file, line, column) if x is not None)
        if field:
            where = f"{where} field {field!r}" if where else f"field {field!r}"
        message = f"{where}: {detail}" if where else detail
        super().__init__(message, file=file, line=line, column=column, field=field, **extra)
        self.file, self.line, self.column, self.field = file, line, column, field


class UnsupportedFormat(InputError):
    """A media type, file suffix or document kind that policykg does not read."""

    status = 415
    title = "Unsupported format"


class PayloadTooLarge(InputError):
    """A request body or input file over the configured size limit (``max_upload_bytes``)."""

    status = 413
    title = "Payload too large"


class ValidationFailed(PolicyKGError):
    """The data violates the SHACL shapes; ``report`` holds the validation report."""

    status = 422
    exit_code = 1
    title = "Validation failed"

    def __init__(self, detail: str, report: Any = None, **extra: Any):
        super().__init__(detail, **extra)
        self.report = report


class QueryError(PolicyKGError):
    """A SPARQL query that does not parse; ``line`` and ``column`` locate the error when known."""

    status = 400
    title = "Malformed query"


class QueryRefused(QueryError):
    """A query form this endpoint does not run: SPARQL Update, ``SERVICE``, ``LOAD``, remote ``FROM``."""

    title = "Query refused"


class ParameterError(PolicyKGError):
    """A canned-query parameter that is missing, unknown or of the wrong type."""

    status = 422
    title = "Invalid query parameter"


class QueryTimeout(PolicyKGError):
    """The query ran past ``query_timeout_s`` and was stopped."""

    status = 503
    title = "Query timed out"


class TooManyQueries(QueryTimeout):
    """The query did not start within ``query_timeout_s`` because this client's own earlier queries held
    every query worker a client may hold at once (``POLICYKG_QUERY_WORKERS_PER_CLIENT``).

    Other clients were served meanwhile. Wait for your running queries to end (``Retry-After``), or send
    fewer at once. RFC 6585 §4 (429 Too Many Requests).
    """

    status = 429
    title = "Too many concurrent queries from this client"


class NotReady(PolicyKGError):
    """A document built from the whole store (the sitemap, the dumps, VoID's counts) is being computed for
    the current data, in the background, once after each change, and is not ready yet; or its computation
    failed and is tried again later. Try again after ``Retry-After``. How long it takes grows with the
    store: on 100,000 policies, 4 to 9 minutes after a change.

    ``retry_after_s``: the seconds to give in ``Retry-After`` (None: the query time limit's)."""

    status = 503
    title = "Not ready yet"

    def __init__(self, detail: str, retry_after_s: float | None = None, **extra: Any):
        super().__init__(detail, **extra)
        self.retry_after_s = retry_after_s


class NotFound(PolicyKGError):
    """No such resource, canned query or graph."""

    status = 404
    title = "Not found"


class MethodNotAllowed(PolicyKGError):
    """The resource exists but does not answer this request method.

    405 Method Not Allowed (RFC 9110 §15.5.6): the ``Allow`` header lists the methods the resource
    answers (GET and HEAD for pages and documents, POST for ``/sparql``, ``/validate`` and ``/merge``).
    """

    status = 405
    title = "Method not allowed"


class NotAcceptable(PolicyKGError):
    """Nothing this resource can be served as matches the ``Accept`` header."""

    status = 406
    title = "Not acceptable"


class Unauthorized(PolicyKGError):
    """A write endpoint called without the configured token."""

    status = 401
    title = "Unauthorized"


class Forbidden(PolicyKGError):
    """An endpoint that is switched off by the settings (writes over HTTP without a write token)."""

    status = 403
    title = "Forbidden"


class StoreError(PolicyKGError):
    """The store cannot be opened, read or written."""

    status = 500
    title = "Store error"


class StoreUnavailable(StoreError):
    """A remote store that cannot be reached (connection refused, no route, DNS failure).

    503 with ``Retry-After`` in the API, so that clients and load balancers retry
    (RFC 9110 §15.6.4: the server is unable to handle the request for now). ``detail`` names the
    endpoint and the reason for the CLI and the log; the problem document does not, since the
    endpoint is an address inside the deployment.
    """

    status = 503
    title = "Store unavailable"

    def problem(self) -> dict[str, Any]:
        body = super().problem()
        body["detail"] = "the store does not answer at the moment; try again later"
        return body


class WriteConflict(StoreError):
    """A write that conflicts with the state of the store; nothing was written. Three cases, told
    apart by ``title`` and ``detail``:

    * "Write conflict": the write was made conditional on the data version the entries were validated
      against, and another writer changed the store in between. The request may succeed when repeated
      against the new state.
    * "Graph holds other entries": a merge would replace a named graph that holds another source's
      entries (``graph``, ``holds``). Repeating it does not help: merge into another graph, or ask for
      the replacement (``replace=true``).
    * "Graph needed by other entries": a drop would leave other graphs' statements about resources
      that only the dropped graphs give a class (``graph``, ``needed_by``). Drop those graphs in the
      same request (``also=``), or correct them first.

    409 Conflict (RFC 9110 §15.5.10).
    """

    status = 409
    title = "Write conflict"


class ConfigError(PolicyKGError, ValueError):
    """A setting (``POLICYKG_*`` variable or command-line option) has a wrong value or clashes with another.

    Also a :class:`ValueError`, which :class:`policykg.settings.Settings` raised before.
    """

    status = 500
    title = "Configuration error"
