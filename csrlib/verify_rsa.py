"""RSA signature verification, written out from RFC 8017 (no backend needed).

PKCS#1 v1.5 is checked by encode-then-compare (RFC 8017 8.2.2): the expected
encoded message is built for the declared hash and compared, in constant
time, with ``s^e mod n``; the decrypted block is never parsed.  RSASSA-PSS
follows EMSA-PSS-VERIFY (RFC 8017 9.1.2) step by step.
"""

from __future__ import annotations

import hashlib
import hmac

from .der.primitives import encode_oid
from .der.tlv import tlv
from .errors import InvalidSignature

__all__ = ["HASH_OIDS", "digest_info", "verify_pkcs1v15", "verify_pss"]

#: hashlib name -> OID of the hash, for DigestInfo (RFC 8017 9.2 note 1).
HASH_OIDS = {
    "md5": "1.2.840.113549.2.5",
    "sha1": "1.3.14.3.2.26",
    "sha224": "2.16.840.1.101.3.4.2.4",
    "sha256": "2.16.840.1.101.3.4.2.1",
    "sha384": "2.16.840.1.101.3.4.2.2",
    "sha512": "2.16.840.1.101.3.4.2.3",
}

# DigestInfo prefixes (everything before the digest), with and without the
# NULL parameters: built once from the OIDs.
_PREFIXES: dict[tuple[str, bool], bytes] = {}


def digest_info(hash_name: str, digest: bytes, with_null: bool = True) -> bytes:
    """Return the DER DigestInfo of ``digest`` (RFC 8017 9.2 step 2)."""
    key = (hash_name, with_null)
    prefix = _PREFIXES.get(key)
    if prefix is None:
        algorithm = tlv(0x06, encode_oid(HASH_OIDS[hash_name])) + (b"\x05\x00" if with_null
                                                                   else b"")
        whole = tlv(0x30, tlv(0x30, algorithm) + tlv(0x04, bytes(len(digest))))
        prefix = _PREFIXES[key] = whole[: -len(digest)]
    return prefix + digest


def _signature_integer(n: int, signature: bytes) -> int:
    # RFC 8017 8.2.2 step 1 and 5.2.2 step 1: length k, and s < n.
    if len(signature) != (n.bit_length() + 7) // 8:
        raise InvalidSignature("RSA signature length differs from the modulus length")
    s = int.from_bytes(signature, "big")
    if s >= n:
        raise InvalidSignature("RSA signature representative out of range")
    return s


def verify_pkcs1v15(n: int, e: int, hash_name: str, signature: bytes, message: bytes) -> None:
    """Return None if ``signature`` is a PKCS#1 v1.5 signature of ``message``; else raise.

    The DigestInfo is accepted with the hash's NULL parameters (the standard
    form) and without them: RFC 8017 B.1 has verifiers accept both forms of
    a SHA-family AlgorithmIdentifier, and Wycheproof rates the missing NULL
    as acceptable.  Both candidate blocks are compared in constant time.
    """
    k = (n.bit_length() + 7) // 8
    s = _signature_integer(n, signature)
    em = pow(s, e, n).to_bytes(k, "big")
    digest = hashlib.new(hash_name, message).digest()
    ok = False
    for with_null in (True, False):
        t = digest_info(hash_name, digest, with_null)
        # RFC 8017 9.2 step 3: at least 11 octets of framing.
        if k < len(t) + 11:
            raise InvalidSignature("RSA modulus too short for the digest")
        expected = b"\x00\x01" + b"\xff" * (k - len(t) - 3) + b"\x00" + t
        ok |= hmac.compare_digest(em, expected)
    if not ok:
        raise InvalidSignature("RSA PKCS#1 v1.5 signature does not match")


def _mgf1(hash_name: str, seed: bytes, length: int) -> bytes:
    # RFC 8017 B.2.1.
    out = bytearray()
    counter = 0
    while len(out) < length:
        out += hashlib.new(hash_name, seed + counter.to_bytes(4, "big")).digest()
        counter += 1
    return bytes(out[:length])


def verify_pss(
    n: int, e: int, hash_name: str, mgf_hash: str, salt_length: int, signature: bytes,
    message: bytes,
) -> None:
    """Return None if ``signature`` is an RSASSA-PSS signature of ``message``; else raise.

    EMSA-PSS-VERIFY of RFC 8017 9.1.2 with trailer field 1 (0xbc).
    """
    s = _signature_integer(n, signature)
    mod_bits = n.bit_length()
    em_bits = mod_bits - 1
    em_len = (em_bits + 7) // 8
    m = pow(s, e, n)
    # RFC 8017 8.1.2 step 2c: EM is emLen octets (m < 2^(8 emLen)).
    if m.bit_length() > em_len * 8:
        raise InvalidSignature("RSASSA-PSS encoded message too long")
    em = m.to_bytes(em_len, "big")
    m_hash = hashlib.new(hash_name, message).digest()
    h_len = len(m_hash)
    # Steps 3 and 4.
    if em_len < h_len + salt_length + 2 or em[-1] != 0xBC:
        raise InvalidSignature("RSASSA-PSS encoding inconsistent")
    masked_db = em[: em_len - h_len - 1]
    h = em[em_len - h_len - 1 : -1]
    zero_bits = 8 * em_len - em_bits
    # Step 6: the leftmost 8 emLen - emBits bits of maskedDB are zero.
    if masked_db[0] & (0xFF00 >> zero_bits) & 0xFF:
        raise InvalidSignature("RSASSA-PSS encoding inconsistent")
    db_mask = _mgf1(mgf_hash, h, len(masked_db))
    db = bytearray(a ^ b for a, b in zip(masked_db, db_mask, strict=True))
    db[0] &= 0xFF >> zero_bits
    # Step 10: zeros, then 0x01, then the salt.
    ps_len = em_len - h_len - salt_length - 2
    if any(db[:ps_len]) or db[ps_len] != 0x01:
        raise InvalidSignature("RSASSA-PSS encoding inconsistent")
    salt = bytes(db[len(db) - salt_length :]) if salt_length else b""
    h2 = hashlib.new(hash_name, b"\x00" * 8 + m_hash + salt).digest()
    if not hmac.compare_digest(h, h2):
        raise InvalidSignature("RSASSA-PSS signature does not match")
