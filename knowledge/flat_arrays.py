"""Checks for the flat arrays the index cache stores (posting lists, analysed questions):
a list of lists kept as one array plus the bounds that slice it, and numbers pointing into
another table. A stored file that fails them is rebuilt rather than read, so a question
never meets an index out of range later."""

from __future__ import annotations

import numpy as np


def check_bounds(bounds: np.ndarray, covered: int, what: str, length: int | None = None) -> None:
    """``bounds`` slice an array of ``covered`` items from start to end, in order (and have
    ``length`` entries when given); ValueError naming ``what`` otherwise."""
    if length is not None and len(bounds) != length:
        raise ValueError(f"{what}: arrays of the wrong length")
    if len(bounds) == 0 or bounds[0] != 0 or bounds[-1] != covered:
        raise ValueError(f"{what}: bounds do not cover their array")
    if (np.diff(bounds) < 0).any():
        raise ValueError(f"{what}: bounds not in order")


def check_numbers(numbers: np.ndarray, count: int, what: str) -> None:
    """Every number points into a table of ``count`` items; ValueError naming ``what``."""
    if len(numbers) and (numbers.min() < 0 or numbers.max() >= count):
        raise ValueError(f"{what}: a number out of range")
