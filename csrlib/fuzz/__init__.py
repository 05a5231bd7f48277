"""Tools for fuzz-testing other parsers against csrlib (``python -m csrlib.fuzz.differential``)."""
