"""Benchmarks: one module per figure, each runnable as ``python -m bench.<name>``.

Every bench module exposes ``main(argv) -> int`` and prints its figures (medians and
ratios measured in the same run); ``python -m bench`` runs them all.
"""
