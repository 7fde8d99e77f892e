"""Amounts of money as careerbot writes them, in the currency a source gives them."""

from __future__ import annotations

from ..knowledge.model import SalaryFigure

SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}
"""Currencies written with their sign before the amount; any other is written as its code after it."""


def money(amount: int, currency: str = "USD") -> str:
    """`126000` → `$126,000`, `€126,000`, or `126,000 CHF`."""
    symbol = SYMBOLS.get(currency)
    return f"{symbol}{amount:,}" if symbol else f"{amount:,} {currency}"


def short_money(amount: int, currency: str = "USD") -> str:
    """`126000` → `$126k` (or `€126k`, `126k CHF`)."""
    number = f"{amount / 1000:.0f}k" if amount >= 1000 else f"{amount}"
    symbol = SYMBOLS.get(currency)
    return f"{symbol}{number}" if symbol else f"{number} {currency}"


def figure_span(figure: SalaryFigure) -> tuple[int, int]:
    """The low and high ends a figure covers (an average is a single point)."""
    numbers = [n for n in (figure.low, figure.high, figure.average) if n is not None]
    return min(numbers), max(numbers)


def figure_label(figure: SalaryFigure) -> str:
    """`$126k–$194k`, `$150k–$250k+`, `$218k avg`, `$260k+`."""
    low, high = figure_span(figure)
    plus = "+" if figure.open_ended else ""
    currency = figure.currency
    if figure.average is not None and figure.low is None and figure.high is None:
        return f"{short_money(figure.average, currency)} avg"
    if low == high:
        return f"{short_money(low, currency)}{plus}"
    return f"{short_money(low, currency)}–{short_money(high, currency)}{plus}"
