"""Amounts are integers in minor units everywhere; this only turns one into text for people."""

from __future__ import annotations

from decimal import Decimal

# ISO 4217 currencies Stripe counts in whole units (no cents).
ZERO_DECIMAL = frozenset(
    {"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"}
)


def format_amount(amount: int, currency: str) -> str:
    """`2500, "usd"` → `"25.00 USD"`: the same in every language, as a receipt should be."""
    code = currency.lower()
    if code in ZERO_DECIMAL:
        return f"{amount:,} {code.upper()}"
    return f"{amount // 100:,}.{amount % 100:02d} {code.upper()}"


def minor_units(value: Decimal, currency: str) -> int:
    """What a donor types (25, 25.50) in the currency's minor units; ValueError past its precision."""
    scale = 1 if currency.lower() in ZERO_DECIMAL else 100
    scaled = value * scale
    if scaled != scaled.to_integral_value():
        raise ValueError("more decimals than the currency has")
    return int(scaled)


def major_units(amount: int, currency: str) -> str:
    """2500 → "25", 2550 → "25.50": for form fields and buttons."""
    if currency.lower() in ZERO_DECIMAL:
        return str(amount)
    return str(amount // 100) if amount % 100 == 0 else f"{amount // 100}.{amount % 100:02d}"
