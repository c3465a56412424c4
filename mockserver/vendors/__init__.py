"""One package per vendor; everything vendor-specific lives in its own package."""

from mockserver.platform.vendor import Vendor
from mockserver.vendors.align import Align
from mockserver.vendors.contracting import Contracting
from mockserver.vendors.productive import Productive

VENDORS: dict[str, type[Vendor]] = {
    Align.slug: Align,
    Contracting.slug: Contracting,
    Productive.slug: Productive,
}
