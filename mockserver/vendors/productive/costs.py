"""Derived costs, never stored: integer cents in three currencies [productive.yaml decision 21].

`*_default` is in the organization's currency: hours × the person's hourly cost (cents, in that
currency). The plain amounts are in the entry's currency (its service's) and `*_normalized` in the
organization's normalized currency, both converted with the organization's exchange rates (units of
that currency per unit of the default one). Each amount is rounded half up from the exact value: in the
spec's `UpdateResponse` example, 40 minutes at 2500 ¢/h are 1666.67 → 1667 USD and 1333.33 → 1333 EUR.
"""

from __future__ import annotations

import functools
from fractions import Fraction
from typing import Any

# family → the person's hourly rates (cents) it adds up; `cost` is work plus overhead
FAMILIES: dict[str, tuple[str, ...]] = {
    "cost": ("hourly_cost", "internal_overhead_hourly_cost", "facility_overhead_hourly_cost"),
    "work_cost": ("hourly_cost",),
    "overhead_cost": ("internal_overhead_hourly_cost", "facility_overhead_hourly_cost"),
    "internal_overhead_cost": ("internal_overhead_hourly_cost",),
    "facility_overhead_cost": ("facility_overhead_hourly_cost",),
}


def cents(numerator: int, denominator: int) -> int:
    """numerator / denominator cents, rounded half up (amounts are never negative)."""
    return (2 * numerator + denominator) // (2 * denominator)


@functools.lru_cache(maxsize=256)
def _ratio(rate: str | int | float) -> tuple[int, int]:
    exact = Fraction(str(rate))
    return exact.numerator, exact.denominator


def rate(organization: dict[str, Any], currency: str) -> tuple[int, int]:
    """Units of `currency` per unit of the organization's, as an exact ratio."""
    if currency == organization["currency"]:
        return 1, 1
    return _ratio(organization["exchange_rates"][currency])


def cost_attributes(
    minutes: int, person: dict[str, Any] | None, service: dict[str, Any] | None, organization: dict[str, Any]
) -> dict[str, Any]:
    default = organization["currency"]
    currency = (service or {}).get("currency", default)
    normalized = organization.get("currency_normalized", default)
    (entry_up, entry_down), (normal_up, normal_down) = rate(organization, currency), rate(organization, normalized)
    attributes: dict[str, Any] = {
        "currency": currency,
        "currency_default": default,
        "currency_normalized": normalized,
    }
    for family, rates in FAMILIES.items():
        per_hour = sum((person or {}).get(name, 0) for name in rates)  # cents per hour
        amount = minutes * per_hour  # exact cents × 60
        attributes[family] = cents(amount * entry_up, 60 * entry_down)
        attributes[f"{family}_default"] = cents(amount, 60)
        attributes[f"{family}_normalized"] = cents(amount * normal_up, 60 * normal_down)
    return attributes
