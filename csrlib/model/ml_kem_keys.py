"""ML-KEM public keys (FIPS 203) as RFC 9935 puts them in a SubjectPublicKeyInfo.

RFC 9935 3 and 4: the algorithm is id-alg-ml-kem-512, -768 or -1024
(2.16.840.1.101.3.4.4.1 / .2 / .3), its parameters absent, and the BIT
STRING holds the raw FIPS 203 encapsulation key (``ByteEncode12(t) || rho``):
800, 1184 or 1568 octets.  Parameters that are present (NULL included) are
refused by a strict load and listed as a deviation by a lenient one (the
key keeps them), as is a key that fails FIPS 203's modulus check (a
coefficient of ``t`` not below q = 3329); a key of any other length is
refused.

An ML-KEM key cannot sign: a request carrying one is signed with another
key, named by RFC 9883's privateKeyPossessionStatement attribute
(:mod:`csrlib.model.possession`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from .. import oids
from ..frozen import frozen
from .keys import SPKI_READERS
from .raw_keys import RawPublicKey, check_raw_key, key_from_raw
from .reading import maker

if TYPE_CHECKING:
    from .reading import Source

__all__ = ["ML_KEM_OIDS", "ML_KEM_SIZES", "ML_KEM_TYPES", "MlKemPublicKey", "read_ml_kem_key"]

#: Key type by OID (RFC 9935 3).
ML_KEM_OIDS: dict[str, str] = {
    oids.ML_KEM_512: "ml-kem-512", oids.ML_KEM_768: "ml-kem-768",
    oids.ML_KEM_1024: "ml-kem-1024"}
#: OID by key type.
ML_KEM_TYPES: dict[str, str] = {kind: oid for oid, kind in ML_KEM_OIDS.items()}
#: Octets of (encapsulation key, decapsulation key, ciphertext) by key type
#: (FIPS 203 table 3: 384k + 32, 768k + 96, 32(du k + dv)).
ML_KEM_SIZES: dict[str, tuple[int, int, int]] = {
    "ml-kem-512": (800, 1632, 768),
    "ml-kem-768": (1184, 2400, 1088),
    "ml-kem-1024": (1568, 3168, 1568),
}


@frozen(eq=False, repr=False)
class MlKemPublicKey(RawPublicKey):
    """An ML-KEM encapsulation key (FIPS 203, RFC 9935): ``level`` 512, 768 or 1024.

    ``public_bytes``: the raw FIPS 203 encoding; ``key_type``:
    ``ml-kem-512``, ``ml-kem-768`` or ``ml-kem-1024``; ``parameters``: the
    DER of algorithm parameters a lenient load met (RFC 9935 requires them
    absent), else None.
    """

    _family: ClassVar[str] = "ml-kem"
    _types: ClassVar[dict[str, str]] = ML_KEM_TYPES

    @property
    def key_size(self) -> int:
        """Return the parameter set's number, 512, 768 or 1024 (as OpenSSL reports it)."""
        return self.level

    def problem(self) -> str | None:
        """Return why RFC 9935 / FIPS 203 refuse this key (one a lenient load kept), or None.

        Parameters present (RFC 9935 3), or a coefficient failing FIPS 203
        7.2's modulus check; ``CertificateRequest.verify`` and
        ``csrlib.lint`` (``key.ml-kem``) refuse such keys.
        """
        if self.parameters is not None:
            return "its algorithm parameters must be absent (RFC 9935 3)"
        if not _modulus_check(self.public_bytes):
            return "it fails the FIPS 203 7.2 modulus check (a coefficient not below q = 3329)"
        return None

    @staticmethod
    def from_bytes(level: int | str, public: bytes) -> MlKemPublicKey:
        """Return the key of level 512, 768 or 1024 (or ``"ml-kem-768"``...) and its raw octets.

        Raises InvalidKey for another level or a key of the wrong length.
        """
        key = key_from_raw(ML_KEM_TYPES, "ML-KEM", "512, 768 or 1024", level, public)
        assert isinstance(key, MlKemPublicKey)
        return key


def read_ml_kem_key(src: Source, algorithm: str, params: bytes | None, alg_start: int,
                    alg_end: int, bits: bytes, unused: int, der: bytes, path: str,
                    key_path: str) -> MlKemPublicKey:
    """Return the ML-KEM key of a decoded SubjectPublicKeyInfo (see the module docstring)."""
    kind = ML_KEM_OIDS[algorithm]
    check_raw_key(src, kind, ML_KEM_SIZES[kind][0], params, "RFC 9935 3", alg_start, alg_end,
                  bits, unused, path, key_path)
    if not _modulus_check(bits):
        # Lenient mode keeps it, as an EC point off its curve, for csrlib.lint.
        src.deviate("bad-key", alg_end, key_path,
                    f"{kind} public key fails the FIPS 203 7.2 modulus check")
    return _make(int(kind[7:]), bits, der, params)


def _modulus_check(key: bytes) -> bool:
    """Return whether every 12-bit coefficient of ``t`` (all but the last 32 octets) is below q.

    FIPS 203 7.2: ``ByteEncode12(ByteDecode12(ek[0:384k]))`` must give back
    the same octets, which holds exactly when no coefficient is 3329 (0xd01)
    or more.  Octets ``a b c`` hold ``b & 15 : a`` and ``c : b >> 4``; the
    scans below run in C, and only a high octet at the bound (0xd, 0xd0:
    rare in a valid key) is looked at in Python.
    """
    end = len(key) - 32
    low, middle, high = key[0:end:3], key[1:end:3], key[2:end:3]
    if max(high) > 0xD0 or max(middle.translate(_LOW_NIBBLE)) > 0xD:
        return False
    at = high.find(0xD0)
    while at >= 0:
        if middle[at] >> 4:
            return False
        at = high.find(0xD0, at + 1)
    nibbles = middle.translate(_LOW_NIBBLE)
    at = nibbles.find(0xD)
    while at >= 0:
        if low[at]:
            return False
        at = nibbles.find(0xD, at + 1)
    return True


_LOW_NIBBLE = bytes(i & 15 for i in range(256))


_make = maker(MlKemPublicKey)


SPKI_READERS.update(dict.fromkeys(ML_KEM_OIDS, read_ml_kem_key))
