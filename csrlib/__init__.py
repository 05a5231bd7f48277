"""csrlib: strict, pure-Python PKCS#10 certificate signing requests (RFC 2986)."""

from .errors import (
    BuildError,
    CSRError,
    DecodeError,
    EncodeError,
    InvalidKey,
    InvalidSignature,
    PolicyError,
    UnsupportedAlgorithm,
)

__version__ = "0.1.0"

__all__ = [
    "BuildError",
    "CSRError",
    "DecodeError",
    "EncodeError",
    "InvalidKey",
    "InvalidSignature",
    "PolicyError",
    "UnsupportedAlgorithm",
    "__version__",
]
