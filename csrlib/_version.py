"""csrlib's version, in one place: the package and ``csrlib --version`` read it."""

__version__ = "0.1.0"
