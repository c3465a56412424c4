"""One package per vendor; everything vendor-specific lives in its own package."""

from collections.abc import Callable
from typing import Any

from mockserver.platform.vendor import Vendor
from mockserver.vendors.align import Align
from mockserver.vendors.align.reason import error_reason as align_reason
from mockserver.vendors.contracting import Contracting
from mockserver.vendors.contracting.reason import error_reason as contracting_reason
from mockserver.vendors.productive import Productive
from mockserver.vendors.productive.reason import error_reason as productive_reason

VENDORS: dict[str, type[Vendor]] = {
    Align.slug: Align,
    Contracting.slug: Contracting,
    Productive.slug: Productive,
}

# what the journal and the request log name as the rule behind an error answer
ERROR_REASONS: dict[str, Callable[[Any], str | None]] = {
    Align.slug: align_reason,
    Contracting.slug: contracting_reason,
    Productive.slug: productive_reason,
}
