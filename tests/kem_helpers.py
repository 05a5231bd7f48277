"""Test helpers for RFC 9883 requests: certificates made by hand, signed by csrlib's signers.

Written from RFC 5280 4.1 with the suite's own TLV helper, so that the
tests that need a signature certificate run where neither openssl nor
cryptography does (Pyodide).  The certificates are not checked by anything
in csrlib but its reader; tests that need an independent maker use openssl
or cryptography.
"""

from __future__ import annotations

from csrlib.der.primitives import encode_integer, encode_oid
from csrlib.model.names import Name
from csrlib.signers.base import Signer
from tests.helpers import tlv

__all__ = ["make_certificate"]


def make_certificate(signer: Signer, serial: int, issuer: str = "CN=Test CA,O=Example",
                     subject: str = "CN=signer.example", *,
                     issuer_signer: Signer | None = None) -> bytes:
    """Return the DER of a v3 certificate for ``signer``'s key, signed by ``issuer_signer``.

    Self-signed (by ``signer``) when no issuer signer is given.
    """
    by = issuer_signer or signer
    algorithm = by.signature_algorithm.to_der()
    validity = tlv(0x30, tlv(0x17, b"260101000000Z") + tlv(0x17, b"360101000000Z"))
    basic = tlv(0x30, tlv(0x06, encode_oid("2.5.29.19")) + tlv(0x04, tlv(0x30, b"")))
    extensions = tlv(0xA3, tlv(0x30, basic))
    tbs = tlv(0x30, tlv(0xA0, tlv(0x02, b"\x02")) + tlv(0x02, encode_integer(serial))
              + algorithm + Name.from_rfc4514(issuer).to_der() + validity
              + Name.from_rfc4514(subject).to_der() + signer.public_key.to_der() + extensions)
    signature = by.sign(tbs)
    return tlv(0x30, tbs + algorithm + tlv(0x03, b"\x00" + signature))
