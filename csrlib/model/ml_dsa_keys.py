"""ML-DSA public keys (FIPS 204) as RFC 9881 puts them in a SubjectPublicKeyInfo.

RFC 9881 2 and 4: the algorithm is id-ml-dsa-44, -65 or -87
(2.16.840.1.101.3.4.3.17 / .18 / .19), its parameters absent, and the
BIT STRING holds the raw FIPS 204 public key (rho ‖ t1): 1312, 1952 or 2592
octets.  Parameters that are present (NULL included) are refused by a
strict load and listed as a deviation by a lenient one (the key keeps
them, and verification refuses it); a key of any other length is refused.

The sizes of the keys and signatures of each parameter set are here too
(:data:`ML_DSA_SIZES`), for the verifier and the signers above.
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

__all__ = ["ML_DSA_OIDS", "ML_DSA_SIZES", "ML_DSA_TYPES", "MlDsaPublicKey", "read_ml_dsa_key"]

#: Key type by OID (RFC 9881 2).
ML_DSA_OIDS: dict[str, str] = {
    oids.ML_DSA_44: "ml-dsa-44", oids.ML_DSA_65: "ml-dsa-65", oids.ML_DSA_87: "ml-dsa-87"}
#: OID by key type.
ML_DSA_TYPES: dict[str, str] = {kind: oid for oid, kind in ML_DSA_OIDS.items()}
#: Octets of (public key, expanded private key, signature) by key type
#: (FIPS 204 table 2; RFC 9881 table 1).
ML_DSA_SIZES: dict[str, tuple[int, int, int]] = {
    "ml-dsa-44": (1312, 2560, 2420),
    "ml-dsa-65": (1952, 4032, 3309),
    "ml-dsa-87": (2592, 4896, 4627),
}


@frozen(eq=False, repr=False)
class MlDsaPublicKey(RawPublicKey):
    """An ML-DSA public key (FIPS 204, RFC 9881): ``level`` 44, 65 or 87.

    ``public_bytes``: the raw FIPS 204 encoding (rho ‖ t1); ``key_type``:
    ``ml-dsa-44``, ``ml-dsa-65`` or ``ml-dsa-87``; ``parameters``: the DER
    of algorithm parameters a lenient load met (RFC 9881 requires them
    absent: verification refuses such a key), else None.
    """

    _family: ClassVar[str] = "ml-dsa"
    _types: ClassVar[dict[str, str]] = ML_DSA_TYPES

    @property
    def key_size(self) -> int:
        """Return the size of the encoded public key in bits (10496, 15616 or 20736)."""
        return len(self.public_bytes) * 8

    @staticmethod
    def from_bytes(level: int | str, public: bytes) -> MlDsaPublicKey:
        """Return the key of level 44, 65 or 87 (or ``"ml-dsa-65"``...) and its raw encoding.

        Raises InvalidKey for another level or a key of the wrong length,
        TypeError when ``public`` is not bytes, bytearray or memoryview.
        """
        key = key_from_raw(ML_DSA_TYPES, "ML-DSA", "44, 65 or 87", level, public)
        assert isinstance(key, MlDsaPublicKey)
        return key


def read_ml_dsa_key(src: Source, algorithm: str, params: bytes | None, alg_start: int,
                    alg_end: int, bits: bytes, unused: int, der: bytes, path: str,
                    key_path: str) -> MlDsaPublicKey:
    """Return the ML-DSA key of a decoded SubjectPublicKeyInfo (see the module docstring)."""
    kind = ML_DSA_OIDS[algorithm]
    check_raw_key(src, kind, ML_DSA_SIZES[kind][0], params, "RFC 9881 2", alg_start, alg_end,
                  bits, unused, path, key_path)
    return _make(int(kind[-2:]), bits, der, params)


_make = maker(MlDsaPublicKey)
SPKI_READERS.update(dict.fromkeys(ML_DSA_OIDS, read_ml_dsa_key))
