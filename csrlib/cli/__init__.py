"""The ``csrlib`` command line: ``main`` (the console entry point) and its commands.

Nothing but ``csrlib.__main__`` and the zipapp imports this package.
"""

from .dispatch import main

__all__ = ["main"]
