"""Numbers as Norwegians write them (``4,2``, ``38 %``, ``−0,2``), and round axis ticks."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from .style import MINUS, NBSP


def _rounded(value: float, decimals: int) -> Decimal:
    # Half up, as people round by hand (4,25 -> 4,3); float formatting rounds half to even
    # and on the binary value. round(..., 9) first keeps 0.285 * 100 from being 28.4999...
    return Decimal(repr(round(value, 9))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)


def format_number(value: float, decimals: int = 1, decimal: str = ",", signed: bool = False) -> str:
    """``4,2``; negative with a minus sign (``−0,2``); ``signed`` puts ``+`` before positives."""
    number = _rounded(value, decimals)
    text = f"{abs(number):.{decimals}f}".replace(".", decimal)
    if number < 0:
        return MINUS + text
    if signed and number > 0:
        return "+" + text
    return text


def format_percent(share: float) -> str:
    """A share 0..1 in whole percent: ``38 %``, with a no-break space as Norwegian writes it."""
    return f"{_rounded(share * 100, 0):.0f}{NBSP}%"


def nice_ticks(low: float, high: float, target: int = 5) -> tuple[list[float], int]:
    """Round tick values within [low, high], and how many decimals their labels need."""
    raw = (high - low) / max(target, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = 10 * magnitude
    for multiple in (1, 2, 2.5, 5):
        if multiple * magnitude >= raw - 1e-12:
            step = multiple * magnitude
            break
    ticks: list[float] = []
    value = math.ceil(low / step - 1e-9) * step
    while value <= high + 1e-9:
        ticks.append(round(value, 10))
        value += step
    decimals = next(d for d in range(6) if abs(step * 10**d - round(step * 10**d)) < 1e-6)
    return ticks, decimals
