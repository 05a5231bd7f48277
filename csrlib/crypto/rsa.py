"""RSA signature verification, written out from RFC 8017 (no backend needed).

PKCS#1 v1.5 is checked by encode-then-compare (RFC 8017 8.2.2): the expected
encoded message is built for the declared hash and compared, in constant
time, with ``s^e mod n``; the decrypted block is never parsed.  RSASSA-PSS
follows EMSA-PSS-VERIFY (RFC 8017 9.1.2) step by step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..der.primitives import encode_oid
from ..der.tlv import tlv
from ..errors import InvalidSignature

__all__ = ["HASH_OIDS", "digest_info", "mgf1", "verify_pkcs1v15", "verify_pss"]

#: hashlib name -> OID of the hash, for DigestInfo (RFC 8017 9.2 note 1).
HASH_OIDS = {
    "md5": "1.2.840.113549.2.5",
    "sha1": "1.3.14.3.2.26",
    "sha224": "2.16.840.1.101.3.4.2.4",
    "sha256": "2.16.840.1.101.3.4.2.1",
    "sha384": "2.16.840.1.101.3.4.2.2",
    "sha512": "2.16.840.1.101.3.4.2.3",
    # NIST CSOR hashAlgs: id-sha3-224 .. id-sha3-512 (DigestInfo as for SHA-2).
    "sha3_224": "2.16.840.1.101.3.4.2.7",
    "sha3_256": "2.16.840.1.101.3.4.2.8",
    "sha3_384": "2.16.840.1.101.3.4.2.9",
    "sha3_512": "2.16.840.1.101.3.4.2.10",
}

#: hashlib constructors by name (faster than ``hashlib.new``), filled when
#: first needed: importing hashlib costs import csrlib 6 %.
_HASH_FUNCTIONS: dict[str, Callable[[bytes], Any]] = {}


def _hash(name: str) -> Callable[[bytes], Any]:
    if not _HASH_FUNCTIONS:
        import hashlib

        _HASH_FUNCTIONS.update((n, getattr(hashlib, n)) for n in HASH_OIDS)
    return _HASH_FUNCTIONS[name]

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

    Only the DigestInfo with the hash's NULL parameters (RFC 8017 9.2 note 1)
    is accepted.  Wycheproof rates the form without NULL "acceptable", but
    OpenSSL, cryptography, BoringSSL and Go refuse it, and a CSR verifier
    should agree with the CAs that will check the same request.
    """
    k = (n.bit_length() + 7) // 8
    s = _signature_integer(n, signature)
    em = pow(s, e, n).to_bytes(k, "big")
    t = digest_info(hash_name, _hash(hash_name)(message).digest())
    # RFC 8017 9.2 step 3: at least 11 octets of framing.
    if k < len(t) + 11:
        raise InvalidSignature("RSA modulus too short for the digest")
    expected = b"\x00\x01" + b"\xff" * (k - len(t) - 3) + b"\x00" + t
    from hmac import compare_digest

    if not compare_digest(em, expected):
        raise InvalidSignature("RSA PKCS#1 v1.5 signature does not match")


def mgf1(hash_name: str, seed: bytes, length: int) -> bytes:
    # RFC 8017 B.2.1: Hash(seed || C) for C = 0, 1, ...; the seed's state is hashed once.
    base = _hash(hash_name)(seed)
    blocks = []
    for counter in range(-(-length // base.digest_size)):
        block = base.copy()
        block.update(counter.to_bytes(4, "big"))
        blocks.append(block.digest())
    return b"".join(blocks)[:length]


def verify_pss(
    n: int, e: int, hash_name: str, mgf_hash: str, salt_length: int, signature: bytes,
    message: bytes,
) -> None:
    """Return None if ``signature`` is an RSASSA-PSS signature of ``message``; else raise.

    EMSA-PSS-VERIFY of RFC 8017 9.1.2 with trailer field 1 (0xbc).  The
    encoded message is taken apart as an integer (its fields are bit ranges
    of ``s^e mod n``), which spares the octet-by-octet work of the steps as
    written; every check of the RFC is made, in its order.
    """
    s = _signature_integer(n, signature)
    em_bits = n.bit_length() - 1
    em_len = (em_bits + 7) // 8
    m = pow(s, e, n)
    m_hash = _hash(hash_name)(message).digest()
    h_len = len(m_hash)
    # 8.1.2 step 2c: EM fits emLen octets; 9.1.2 steps 3 and 4: room for the
    # fields, and the 0xbc trailer.
    if m.bit_length() > em_len * 8 or em_len < h_len + salt_length + 2 or m & 0xFF != 0xBC:
        raise InvalidSignature("RSASSA-PSS encoding inconsistent")
    db_len = em_len - h_len - 1
    db_bits = 8 * db_len - (8 * em_len - em_bits)
    masked_db = m >> (8 * h_len + 8)
    h = ((m >> 8) & ((1 << (8 * h_len)) - 1)).to_bytes(h_len, "big")
    # Step 6: the leftmost 8 emLen - emBits bits of maskedDB are zero.
    if masked_db.bit_length() > db_bits:
        raise InvalidSignature("RSASSA-PSS encoding inconsistent")
    # Steps 7 to 9: DB = maskedDB xor MGF(H), leftmost bits cleared.
    db = (masked_db ^ int.from_bytes(mgf1(mgf_hash, h, db_len), "big")) & ((1 << db_bits) - 1)
    # Step 10: DB is zeros, then 0x01, then the salt.
    if db >> (8 * salt_length) != 1:
        raise InvalidSignature("RSASSA-PSS encoding inconsistent")
    salt = (db & ((1 << (8 * salt_length)) - 1)).to_bytes(salt_length, "big")
    h2 = _hash(hash_name)(b"\x00" * 8 + m_hash + salt).digest()
    from hmac import compare_digest

    if not compare_digest(h, h2):
        raise InvalidSignature("RSASSA-PSS signature does not match")
