"""What a vendor brings to the platform: its spec, its envelope, its guard and its handlers."""

from __future__ import annotations

import abc
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from starlette.datastructures import Headers

from mockserver.platform.clock import Clock
from mockserver.platform.errors import ApiError, InputError, snake_reason_phrase
from mockserver.platform.faults import FaultRegistry
from mockserver.platform.idempotency import IdempotencyCache
from mockserver.platform.records import Collection, RecordStore
from mockserver.platform.replies import Reply

Handler = Callable[..., Awaitable[Reply]]


@dataclass
class Services:
    """The shared state every vendor of one server works with."""

    store: RecordStore
    clock: Clock
    idempotency: IdempotencyCache
    faults: FaultRegistry = field(default_factory=FaultRegistry)


class Vendor(abc.ABC):
    slug: ClassVar[str]
    spec_file: ClassVar[str]  # under specs/
    base_path: ClassVar[str]  # where the spec's paths are served, e.g. /align/api/v1
    media_type: ClassVar[str] = "application/json"
    collections: ClassVar[tuple[Collection, ...]] = ()
    strict_validation: ClassVar[bool] = True  # unknown query parameters are input errors
    # operations run under the Idempotency-Key stage (specs/align.yaml info.description, Idempotency-Key)
    idempotent_operations: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, services: Services) -> None:
        self.services = services
        self.store = services.store
        self.clock = services.clock

    @property
    def mount_path(self) -> str:
        """The first path segment: everything under it belongs to this vendor."""
        return "/" + self.slug

    # -- the guard (see platform/security.py) ------------------------------------------------

    @abc.abstractmethod
    def authenticate(self, credentials: Mapping[str, str], headers: Headers) -> Any:
        """The principal behind the credentials sent (security scheme name -> value), else ApiError 401."""

    @abc.abstractmethod
    def authorize(self, principal: Any, operation_id: str, path: Mapping[str, str], headers: Headers) -> None:
        """ApiError 403 when the principal may not call the operation, then 402 when its plan lacks it."""

    def idempotency_owner(self, principal: Any) -> str:
        """Whose namespace an Idempotency-Key lives in."""
        raise NotImplementedError(f"{self.slug} declares idempotent operations but no owner of their keys")

    # -- errors ------------------------------------------------------------------------------

    @abc.abstractmethod
    def error_body(self, error: ApiError) -> Any:
        """The vendor's envelope for `error`."""

    @abc.abstractmethod
    def input_error(self, error: InputError) -> ApiError:
        """The vendor's answer to input that failed validation."""

    def framework_error(self, status: int, message: str) -> ApiError:
        """An error the platform found (no such route, method, media type; a malformed credential)."""
        return ApiError(status, snake_reason_phrase(status), message)

    def fault_error(self, status: int) -> ApiError:
        """The answer of a fault rule with this status; the reason is the status's slug."""
        return ApiError(status, snake_reason_phrase(status), f"Fault injected by the admin API: {status}.")

    # -- behaviour ---------------------------------------------------------------------------

    @abc.abstractmethod
    def handlers(self) -> Mapping[str, Handler]:
        """operationId -> async handler returning a Reply."""
