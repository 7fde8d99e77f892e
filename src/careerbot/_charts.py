"""Small plain-text bar charts: a picture of salary ranges reads faster than a list of numbers."""

from __future__ import annotations

from ._model import SalaryFigure

BAR_WIDTH = 28
TRACK, FILL, MORE = "·", "█", "▸"


def money(amount: int, currency: str = "USD") -> str:
    """`126000` → `$126,000` (the currency code is spelt out where it is not dollars)."""
    return f"${amount:,}" if currency == "USD" else f"{amount:,} {currency}"


def short_money(amount: int) -> str:
    return f"${amount / 1000:.0f}k" if amount >= 1000 else f"${amount}"


def figure_span(figure: SalaryFigure) -> tuple[int, int]:
    """The low and high ends a figure covers (an average is a single point)."""
    numbers = [n for n in (figure.low, figure.high, figure.average) if n is not None]
    return min(numbers), max(numbers)


def figure_label(figure: SalaryFigure) -> str:
    """`$126k–$194k`, `$150k–$250k+`, `$218k avg`, `$260k+`."""
    low, high = figure_span(figure)
    plus = "+" if figure.open_ended else ""
    if figure.average is not None and figure.low is None and figure.high is None:
        return f"{short_money(figure.average)} avg"
    if low == high:
        return f"{short_money(low)}{plus}"
    return f"{short_money(low)}–{short_money(high)}{plus}"


def salary_chart(rows: list[tuple[str, SalaryFigure]], width: int = BAR_WIDTH) -> list[str]:
    """One bar a row on a common scale, with the scale's ends under it; open-ended figures end in ▸.

    The scale starts a little below the lowest figure rather than at zero, so that ranges a few
    thousand dollars apart still look different.
    """
    if not rows:
        return []
    lowest = min(figure_span(figure)[0] for _, figure in rows)
    highest = max(figure_span(figure)[1] for _, figure in rows)
    start_at = int(lowest * 0.8) // 10_000 * 10_000
    span = max(highest - start_at, 1)
    label_width = max(len(label) for label, _ in rows)
    lines = []
    for label, figure in rows:
        low, high = figure_span(figure)
        start = min(width - 1, round((low - start_at) / span * width))
        end = max(start + 1, round((high - start_at) / span * width))
        bar = TRACK * start + FILL * (end - start) + (MORE if figure.open_ended else "")
        lines.append(f"  {label:<{label_width}}  {bar:<{width + 1}}  {figure_label(figure)}")
    left, right = short_money(start_at), short_money(highest)
    lines.append(f"  {'':<{label_width}}  {left}{right:>{width + 1 - len(left)}}")
    return lines


def side_by_side(rows: list[tuple[str, str, str]], width: int = 36) -> list[str]:
    """A label column and two text columns, each cell wrapped to `width`; a blank line after each row."""
    import textwrap
    from itertools import zip_longest
    label_width = max(len(label) for label, _, _ in rows)
    lines = []
    for label, left, right in rows:
        cells = zip_longest([label], textwrap.wrap(left, width) or [""], textwrap.wrap(right, width) or [""],
                            fillvalue="")
        lines += [f"{a:<{label_width}}  {b:<{width}}  {c}".rstrip() for a, b, c in cells]
        lines.append("")
    return lines
