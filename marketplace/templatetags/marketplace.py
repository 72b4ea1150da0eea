from __future__ import annotations

from django import template

from marketplace.models import ZERO_DECIMAL_CURRENCIES

register = template.Library()


@register.filter
def money(cents: int | None, currency: str) -> str:
    """1234 usd → "12.34 USD"; 1500 jpy → "1,500 JPY" (zero-decimal currencies)."""
    if cents is None:
        return "—"
    code = (currency or "").upper()
    if (currency or "").lower() in ZERO_DECIMAL_CURRENCIES:
        return f"{cents:,} {code}"
    return f"{cents // 100:,}.{cents % 100:02d} {code}"
