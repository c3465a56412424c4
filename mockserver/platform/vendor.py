"""What a vendor brings to the platform: its spec, its envelope, its guard and its handlers."""

from __future__ import annotations

import abc
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from connexion.lifecycle import ConnexionRequest

from mockserver.platform.clock import Clock
from mockserver.platform.errors import ApiError, InputError, snake_reason_phrase
from mockserver.platform.idempotency import IdempotencyCache
from mockserver.platform.replies import Reply
from mockserver.platform.store import Collection, Store

Handler = Callable[..., Awaitable[Reply]]


@dataclass
class Services:
    """The shared state every vendor of one server works with."""

    store: Store
    clock: Clock
    idempotency: IdempotencyCache


class Vendor(abc.ABC):
    slug: ClassVar[str]
    spec_file: ClassVar[str]  # under specs/
    base_path: ClassVar[str]  # where the spec's paths are served, e.g. /align/api/v1
    media_type: ClassVar[str] = "application/json"
    collections: ClassVar[tuple[Collection, ...]] = ()
    strict_validation: ClassVar[bool] = True  # unknown query parameters are input errors

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
    def authenticate(self, credential: str, scheme: str, request: ConnexionRequest) -> Any: ...

    @abc.abstractmethod
    def authorize(self, principal: Any, operation_id: str, request: ConnexionRequest) -> None: ...

    # -- errors ------------------------------------------------------------------------------

    @abc.abstractmethod
    def error_body(self, error: ApiError) -> Any:
        """The vendor's envelope for `error`."""

    @abc.abstractmethod
    def input_error(self, error: InputError) -> ApiError:
        """The vendor's answer to input that failed validation."""

    def framework_error(self, status: int, message: str) -> ApiError:
        """An error the framework found (no such route, method, media type, credential)."""
        return ApiError(status, snake_reason_phrase(status), message)

    # -- behaviour ---------------------------------------------------------------------------

    @abc.abstractmethod
    def handlers(self) -> Mapping[str, Handler]:
        """operationId -> async handler returning a Reply."""
