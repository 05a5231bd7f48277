"""One exception hierarchy for csrlib, rooted at :class:`CSRError`.

Data errors (:class:`DecodeError`) carry a stable ``kind``, the byte
``offset`` where the input stops being acceptable and the ``path`` of the
field being read, and print as one line::

    non-minimal length at byte 37 (certificationRequestInfo.subject)

Caller mistakes while building (:class:`BuildError`) are a separate class from
bad input, and no exception of a dependency ever escapes a public function.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "ENCODING_DEVIATIONS",
    "KINDS",
    "bytes_text",
    "int_text",
    "BuildError",
    "CSRError",
    "DecodeError",
    "EncodeError",
    "InvalidKey",
    "InvalidSignature",
    "PolicyError",
    "SignerCertificateRequired",
    "UnsupportedAlgorithm",
    "join_path",
]

#: Every ``DecodeError.kind`` with the sentence it prints as.  The kinds are
#: stable identifiers: tests, the lenient-mode ``deviations`` and the fuzzing
#: tools name defects by them.
KINDS: dict[str, str] = {
    # TLV structure (X.690 8.1)
    "truncated": "input ends inside an element",
    "length-overrun": "length runs past the end of the enclosing element",
    "indefinite-length": "indefinite length",
    "nonminimal-length": "non-minimal length",
    "length-too-long": "too many length octets",
    "reserved-length": "reserved length octet 0xff",
    "nonminimal-tag": "non-minimal tag",
    "tag-too-long": "tag number too large",
    "unexpected-tag": "unexpected tag",
    "constructed-form": "constructed encoding of a primitive type",
    "primitive-form": "primitive encoding of a constructed type",
    "missing-component": "missing required component",
    "duplicate-component": "component given twice",
    "trailing-data": "unexpected data after the last component",
    # limits
    "depth-limit": "nesting too deep",
    "size-limit": "input too large",
    "oid-limit": "object identifier exceeds limits",
    # primitive contents (X.690 8 and 11)
    "empty-integer": "empty INTEGER",
    "nonminimal-integer": "non-minimal INTEGER",
    "bool-length": "BOOLEAN not one octet",
    "bool-nonstandard": "BOOLEAN true not encoded as 0xff",
    "null-length": "NULL with contents",
    "empty-oid": "empty OBJECT IDENTIFIER",
    "nonminimal-oid": "non-minimal OBJECT IDENTIFIER arc",
    "truncated-oid": "OBJECT IDENTIFIER ends inside an arc",
    "bitstring-empty": "BIT STRING without unused-bits octet",
    "bitstring-unused": "invalid BIT STRING unused-bits count",
    "bitstring-padding": "non-zero BIT STRING padding bits",
    "bitstring-trailing-zero": "named BIT STRING with trailing zero bits",
    "bad-string": "invalid character string",
    "printable-alphabet": "PrintableString character outside its alphabet",
    "teletex-non-ascii": "TeletexString with non-ASCII octets",
    "bad-time": "invalid time encoding",
    "bad-real": "REAL not in DER form",
    # structure rules (X.690 11)
    "default-encoded": "DEFAULT value encoded",
    "setof-unsorted": "SET OF elements not in DER order",
    "set-unsorted": "SET components not in canonical tag order",
    "constraint": "value outside its constraint",
    # semantic rules of PKCS#10 (RFC 2986)
    "bad-version": "unsupported version",
    "duplicate-extension": "extension given twice",
    "duplicate-attribute": "attribute type given twice",
    "single-valued": "single-valued attribute with several values",
    "attributes-missing": "missing [0] attributes",
    "bad-extension": "invalid extension value",
    "bad-key": "invalid public key",
    "bad-parameters": "invalid algorithm parameters",
    "signature-unused-bits": "signature BIT STRING with unused bits",
    # PEM (RFC 7468)
    "pem": "malformed PEM",
    # anything a bug let through: reported, never raised as another type
    "internal-error": "malformed input",
}


#: Deviation kinds about how a value is encoded, where DER has one encoding of
#: the same value: lenient ``to_der()`` writes that one, so none remains.
ENCODING_DEVIATIONS = frozenset((
    "nonminimal-length", "nonminimal-integer", "bool-nonstandard", "default-encoded",
    "setof-unsorted", "set-unsorted", "bitstring-trailing-zero"))


def int_text(value: int) -> str:
    """Return an integer as bounded text: decimal up to 64 bits, hex up to 1024, else its size.

    Never ``str()`` of an unbounded integer: CPython refuses to make more
    than 4300 decimal digits (ValueError), and the work is quadratic.
    """
    bits = value.bit_length()
    if bits <= 64:
        return str(value)
    if bits <= 1024:
        return f"{value:#x}"
    return f"<{'negative ' if value < 0 else ''}{bits}-bit integer>"


#: Octets shown whole by :func:`bytes_text`.
BYTES_SHOWN = 64


def bytes_text(value: bytes) -> str:
    """Return octets as bounded text: their ``repr`` up to 64 octets, else a prefix and the size.

    For the ``repr`` of values holding bytes from the input, which may be as
    large as the input.
    """
    if len(value) <= BYTES_SHOWN:
        return repr(value)
    return f"<{len(value)} octets: {value[:16].hex()}...>"


def join_path(segments: Iterable[str]) -> str:
    """Return field-path segments (names and ``[i]``) joined, outermost first."""
    out = ""
    for seg in segments:
        if not out or seg.startswith("["):
            out += seg
        else:
            out += "." + seg
    return out


class CSRError(ValueError):
    """Root of every error csrlib raises on purpose."""


class DecodeError(CSRError):
    """Input that is not acceptable: raised with a kind, an offset and a path.

    ``kind`` is a key of :data:`KINDS`; ``offset`` is the byte offset in the
    input; ``path`` names the field being read, e.g.
    ``certificationRequestInfo.subject[2][0].value`` (empty at the top).
    ``detail`` adds what was expected or found, when it helps.
    """

    def __init__(self, kind: str, offset: int, detail: str = "", path: str = "") -> None:
        self.kind = kind
        self.offset = offset
        self.detail = detail
        # Segments are collected innermost first while the stack unwinds.
        self._segments: list[str] = [path] if path else []
        super().__init__(kind, offset, detail)

    def add_segment(self, segment: str) -> None:
        """Prepend one path segment (a field name or ``[i]``); used while unwinding."""
        self._segments.append(segment)

    @property
    def path(self) -> str:
        """Return the dotted field path, outermost first."""
        return join_path(reversed(self._segments))

    def __str__(self) -> str:
        text = KINDS.get(self.kind, self.kind)
        if self.detail:
            text += f" ({self.detail})"
        text += f" at byte {self.offset}"
        path = self.path
        if path:
            text += f" ({path})"
        return text

    def __repr__(self) -> str:
        return f"DecodeError({self.kind!r}, offset={self.offset}, path={self.path!r})"


class EncodeError(CSRError):
    """A value that cannot be encoded as DER (missing component, bad string...)."""


class InvalidSignature(CSRError):
    """The signature does not verify (wrong value, malformed, wrong key type)."""


class UnsupportedAlgorithm(CSRError):
    """The key or signature algorithm is unknown to csrlib."""


class SignerCertificateRequired(UnsupportedAlgorithm):
    """The request is signed by another key than its own (RFC 9883).

    Its privateKeyPossessionStatement attribute names the certificate
    whose key signed it; ``verify(signer_certificate=...)`` checks the
    signature with that certificate's key.  A subclass of
    UnsupportedAlgorithm: without the certificate, the signature cannot be
    checked.
    """


class PolicyError(CSRError):
    """The algorithm or key is refused by the verification policy."""


class InvalidKey(CSRError):
    """A private or public key that cannot be used."""


class BuildError(CSRError):
    """A caller's mistake while building a request."""
