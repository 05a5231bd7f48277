"""Tools for fuzzing: hypothesis strategies, DER mutations and differential runs.

``csrlib.fuzz.strategies`` (public hypothesis strategies),
``csrlib.fuzz.mutations`` over ``csrlib.fuzz.tree``, and
``python -m csrlib.fuzz.differential`` against other parsers.
"""
