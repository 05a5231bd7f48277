"""Signature algorithms: one table, and the AlgorithmIdentifier they are read from.

Each known algorithm has its OID, name, key type, hash and the rule for its
parameters (RFC 4055, RFC 5758, RFC 8410).  RSASSA-PSS parameters are read
and checked (RFC 4055 3.1); unknown algorithms are kept with their raw
parameters, and verification will call them unsupported.
"""

from __future__ import annotations

from typing import Any

from .. import key_schemas, oids, schemas
from ..der.primitives import encode_integer, encode_oid
from ..der.tlv import Limits, tlv
from ..errors import BuildError, EncodeError, bytes_text, int_text
from ..frozen import field, frozen
from .reading import Source, maker, plan

__all__ = ["HASHES", "PssParameters", "SignatureAlgorithm", "is_null", "read_pss_parameters"]

#: Hash algorithms by OID: hashlib name.
HASHES: dict[str, str] = {
    oids.MD5: "md5",
    oids.SHA1: "sha1",
    oids.SHA224: "sha224",
    oids.SHA256: "sha256",
    oids.SHA384: "sha384",
    oids.SHA512: "sha512",
    oids.SHA3_224: "sha3_224",
    oids.SHA3_256: "sha3_256",
    oids.SHA3_384: "sha3_384",
    oids.SHA3_512: "sha3_512",
}
_HASH_OIDS = {name: oid for oid, name in HASHES.items()}

# Parameter rules: NULL or absent (RFC 4055 5), absent (RFC 5758 3.2, RFC 8410 3),
# RSASSA-PSS-params present (RFC 4055 3.1).
_NULL_OR_ABSENT, _ABSENT, _PSS = "null-or-absent", "absent", "pss"

# oid: (name, key type, hash, parameter rule)
_TABLE: dict[str, tuple[str, str, str | None, str]] = {
    oids.MD5_WITH_RSA: ("md5WithRSAEncryption", "rsa", "md5", _NULL_OR_ABSENT),
    oids.SHA1_WITH_RSA: ("sha1WithRSAEncryption", "rsa", "sha1", _NULL_OR_ABSENT),
    oids.SHA224_WITH_RSA: ("sha224WithRSAEncryption", "rsa", "sha224", _NULL_OR_ABSENT),
    oids.SHA256_WITH_RSA: ("sha256WithRSAEncryption", "rsa", "sha256", _NULL_OR_ABSENT),
    oids.SHA384_WITH_RSA: ("sha384WithRSAEncryption", "rsa", "sha384", _NULL_OR_ABSENT),
    oids.SHA512_WITH_RSA: ("sha512WithRSAEncryption", "rsa", "sha512", _NULL_OR_ABSENT),
    oids.RSASSA_PSS: ("RSASSA-PSS", "rsa", None, _PSS),
    oids.ECDSA_WITH_SHA1: ("ecdsa-with-SHA1", "ec", "sha1", _ABSENT),
    oids.ECDSA_WITH_SHA224: ("ecdsa-with-SHA224", "ec", "sha224", _ABSENT),
    oids.ECDSA_WITH_SHA256: ("ecdsa-with-SHA256", "ec", "sha256", _ABSENT),
    oids.ECDSA_WITH_SHA384: ("ecdsa-with-SHA384", "ec", "sha384", _ABSENT),
    oids.ECDSA_WITH_SHA512: ("ecdsa-with-SHA512", "ec", "sha512", _ABSENT),
    # RFC 9688 / NIST CSOR: SHA-3 signatures.  RSA with NULL parameters as
    # OpenSSL writes them (or absent), ECDSA without parameters.
    **{oid: (oids.name_of(oid), "rsa", f"sha3_{size}", _NULL_OR_ABSENT) for oid, size in (
        (oids.SHA3_224_WITH_RSA, 224), (oids.SHA3_256_WITH_RSA, 256),
        (oids.SHA3_384_WITH_RSA, 384), (oids.SHA3_512_WITH_RSA, 512))},
    **{oid: (oids.name_of(oid), "ec", f"sha3_{size}", _ABSENT) for oid, size in (
        (oids.ECDSA_WITH_SHA3_224, 224), (oids.ECDSA_WITH_SHA3_256, 256),
        (oids.ECDSA_WITH_SHA3_384, 384), (oids.ECDSA_WITH_SHA3_512, 512))},
    oids.ED25519: ("Ed25519", "ed25519", None, _ABSENT),
    oids.ED448: ("Ed448", "ed448", None, _ABSENT),
    # RFC 9881 2: pure ML-DSA, parameters absent.
    **{oid: (oids.name_of(oid), f"ml-dsa-{level}", None, _ABSENT) for oid, level in (
        (oids.ML_DSA_44, 44), (oids.ML_DSA_65, 65), (oids.ML_DSA_87, 87))},
}

_NULL = b"\x05\x00"


def is_null(element: bytes) -> bool:
    """Return whether a (decoded, hence well-formed) element is a NULL.

    In lenient mode its length may be non-minimal; that is its own
    deviation, not a second one about the parameters.
    """
    return element == _NULL or (element[:1] == b"\x05" and element[-1:] == b"\x00"
                                and element[1] & 0x80 != 0 and not any(element[2:]))
_SHA1_IDENTIFIER = bytes.fromhex("300906052b0e03021a0500")


@frozen
class PssParameters:
    """RSASSA-PSS-params (RFC 4055 3.1), with the defaults filled in.

    ``hash`` and ``mgf_hash`` are hashlib names (``sha256``), or the dotted
    OID of a hash csrlib does not know (then the algorithm is not
    ``is_known`` and verification calls it unsupported).
    """

    hash: str
    mgf_hash: str
    salt_length: int
    trailer_field: int = 1
    mgf: str = oids.MGF1

    def __repr__(self) -> str:
        # The integers come from the input: never str() of an unbounded one.
        return (f"PssParameters(hash={self.hash!r}, mgf_hash={self.mgf_hash!r}, "
                f"salt_length={int_text(self.salt_length)}, "
                f"trailer_field={int_text(self.trailer_field)}, mgf={self.mgf!r})")

    def to_der(self) -> bytes:
        """Return the DER RSASSA-PSS-params, defaults left out (X.690 11.5)."""
        def algorithm(hash_name: str) -> bytes:
            oid = _HASH_OIDS.get(hash_name, hash_name)
            try:
                return tlv(0x30, tlv(0x06, encode_oid(oid)) + _NULL)
            except EncodeError:
                raise BuildError(f"unknown hash {hash_name!r}") from None

        parts = b""
        if self.hash != "sha1":
            parts += tlv(0xA0, algorithm(self.hash))
        if self.mgf_hash != "sha1" or self.mgf != oids.MGF1:
            mgf = tlv(0x30, tlv(0x06, encode_oid(self.mgf)) + algorithm(self.mgf_hash))
            parts += tlv(0xA1, mgf)
        if self.salt_length != 20:
            parts += tlv(0xA2, tlv(0x02, encode_integer(self.salt_length)))
        if self.trailer_field != 1:
            parts += tlv(0xA3, tlv(0x02, encode_integer(self.trailer_field)))
        return tlv(0x30, parts)


def _hash_name(src: Source, algorithm: tuple[str, bytes | None], offset: int, path: str) -> str:
    oid, params = algorithm
    # RFC 4055 2.1: the hash's parameters are NULL or absent.
    if params is not None and not is_null(params):
        src.deviate("bad-parameters", offset, path, "hash parameters must be NULL or absent")
    return HASHES.get(oid, oid)


#: Parameters read without a deviation, by (encoding, depth, limits): real
#: requests use a handful of encodings (hash and salt length), and reading
#: one takes three schema decodes.  Bounded: hostile input cannot grow it.
_PSS_READ: dict[tuple[bytes, int, Limits], PssParameters] = {}
_PSS_READ_MAX = 64


def read_pss_parameters(src: Source, start: int, end: int, depth: int, path: str) -> PssParameters:
    """Return the RSASSA-PSS-params element ``buf[start:end]``, checked."""
    key = (src.buf[start:end], depth, src.ctx.limits)
    found = _PSS_READ.get(key)
    if found is not None:
        return found
    seen = len(src.ctx.deviations)
    params = _read_pss_parameters(src, start, end, depth, path)
    if len(src.ctx.deviations) == seen and len(_PSS_READ) < _PSS_READ_MAX:
        _PSS_READ[key] = params
    return params


def _read_pss_parameters(src: Source, start: int, end: int, depth: int,
                         path: str) -> PssParameters:
    hash_alg, mgf, salt, trailer = src.decode(plan(key_schemas.RsassaPssParams), start, end, depth,
                                              path)
    hash_name = _hash_name(src, hash_alg, start, f"{path}.hashAlgorithm")
    mgf_oid, mgf_params = mgf
    if mgf_oid != oids.MGF1:
        src.deviate("bad-parameters", start, f"{path}.maskGenAlgorithm",
                    "mask generation function is not MGF1")
    if mgf_params is None:
        raise src.fail("bad-parameters", start, f"{path}.maskGenAlgorithm",
                       "MGF1 without its hash")
    raw, mgf_start, mgf_end = mgf_params
    if raw == _SHA1_IDENTIFIER:
        # The default (or equal to it): its span may not be in this input.
        mgf_hash = "sha1"
    else:
        mgf_path = f"{path}.maskGenAlgorithm.parameters"
        mgf_alg = src.decode(plan(key_schemas.HashAlgorithm), mgf_start, mgf_end, depth + 3,
                             mgf_path)
        mgf_hash = _hash_name(src, mgf_alg, mgf_start, mgf_path)
    if trailer != 1:
        raise src.fail("bad-parameters", start, f"{path}.trailerField",
                       "trailerField must be 1 (RFC 4055 3.1)")
    if salt < 0:
        raise src.fail("bad-parameters", start, f"{path}.saltLength", "negative salt length")
    return PssParameters(hash_name, mgf_hash, salt, trailer, mgf_oid)


@frozen
class SignatureAlgorithm:
    """A signature algorithm as named by an AlgorithmIdentifier.

    ``key_type`` and ``hash`` are None for algorithms csrlib does not know
    (and ``hash`` is None for EdDSA, which hashes internally); ``parameters``
    is the DER of the parameters as received, ``pss`` the parsed
    RSASSA-PSS parameters.
    """

    oid: str
    name: str
    key_type: str | None
    hash: str | None
    parameters: bytes | None = None
    pss: PssParameters | None = None
    der: bytes = field(default=b"", repr=False, compare=False)

    def __repr__(self) -> str:
        params = "None" if self.parameters is None else bytes_text(self.parameters)
        return (f"SignatureAlgorithm(oid={self.oid!r}, name={self.name!r}, "
                f"key_type={self.key_type!r}, hash={self.hash!r}, parameters={params}, "
                f"pss={self.pss!r})")

    @property
    def is_known(self) -> bool:
        """Return whether csrlib knows this algorithm (and, for PSS, its hashes and MGF)."""
        pss = self.pss
        return self.key_type is not None and (pss is None or (
            pss.hash in _HASH_OIDS and pss.mgf_hash in _HASH_OIDS and pss.mgf == oids.MGF1))

    def to_der(self) -> bytes:
        """Return the DER AlgorithmIdentifier (as received, when parsed)."""
        if self.der:
            return self.der
        return tlv(0x30, tlv(0x06, encode_oid(self.oid)) + (self.parameters or b""))

    @classmethod
    def for_key(
        cls, key: Any, hash_name: str | None = None, pss: PssParameters | None = None, *,
        hash: str | None = None,
    ) -> SignatureAlgorithm:
        """Return the algorithm a key signs with, using ``hash_name`` (or ``hash=``).

        ``key`` is a key type (``"rsa"``, ``"ec"``, ``"ed25519"``, ``"ed448"``,
        ``"ml-dsa-65"``...)
        or a public key (:meth:`csrlib.PublicKey.from_der`), whose curve then
        gives the ECDSA hash when none is named (sha256 on P-256, sha384 on
        P-384...).  RSA: PKCS#1 v1.5 with that hash, or RSASSA-PSS when
        ``pss`` is given (then the hash must be None or equal ``pss.hash``);
        EC: ECDSA with that hash; Ed25519, Ed448 and ML-DSA: no hash.  Hash names are
        hashlib's (``sha256``, ``sha3_256``).  Raises BuildError for any
        other combination.
        """
        if hash is not None:
            if hash_name is not None and hash_name != hash:
                raise BuildError("give the hash once")
            hash_name = hash
        key_type = key if isinstance(key, str) else getattr(key, "key_type", None)
        if not isinstance(key_type, str):
            raise BuildError(f"not a key type or public key: {type(key).__name__}")
        if key_type == "ec" and hash_name is None and not isinstance(key, str):
            from .curves import curve_by_name

            curve = curve_by_name(getattr(key, "curve", None) or "")
            hash_name = curve.default_hash if curve is not None else None
        if pss is not None:
            if key_type != "rsa" or hash_name not in (None, pss.hash):
                raise BuildError("RSASSA-PSS needs an RSA key and the parameters' hash")
            params = pss.to_der()
            oid = oids.RSASSA_PSS
        else:
            params = b"\x05\x00" if key_type == "rsa" else b""
            oid = next((o for o, (_, kt, h, _r) in _TABLE.items()
                        if kt == key_type and h == hash_name and o != oids.RSASSA_PSS), "")
            if not oid:
                raise BuildError(f"no signature algorithm for a {key_type} key with {hash_name}")
        return cls.from_der(tlv(0x30, tlv(0x06, encode_oid(oid)) + params))

    @classmethod
    def from_name(cls, name: str) -> SignatureAlgorithm:
        """Return the algorithm called ``name`` (``"ecdsa-with-SHA256"``,
        ``"sha256WithRSAEncryption"``, ``"Ed25519"``, ``"id-ecdsa-with-sha3-256"``;
        any case) or given as a dotted OID.

        RSA algorithms get NULL parameters, the others none.  Raises BuildError
        for an unknown name and for RSASSA-PSS, whose parameters a name does
        not give (use :meth:`for_key` with ``pss=``).
        """
        if not isinstance(name, str):
            raise TypeError(f"name must be a str, not {type(name).__name__}")
        wanted = name.strip().lower()
        oid = next((o for o, (n, _kt, _h, _r) in _TABLE.items()
                    if n.lower() == wanted or o == wanted), "")
        if oid == oids.RSASSA_PSS:
            raise BuildError("RSASSA-PSS needs its parameters: use "
                             "SignatureAlgorithm.for_key('rsa', pss=PssParameters(...))")
        if not oid:
            raise BuildError(f"unknown signature algorithm {name[:60]!r}")
        params = b"\x05\x00" if _TABLE[oid][1] == "rsa" else b""
        return cls.from_der(tlv(0x30, tlv(0x06, encode_oid(oid)) + params))

    @classmethod
    def from_der(
        cls, data: bytes | bytearray | memoryview, *, strict: bool = True,
        limits: Limits | None = None,
    ) -> SignatureAlgorithm:
        """Return the algorithm of a DER AlgorithmIdentifier; raise DecodeError if invalid."""
        src = Source(bytes(data), strict, limits)
        value = src.decode(plan(schemas.AlgorithmIdentifier), 0, len(src.buf), 0, "")
        return read_signature_algorithm(src, value, 0, "")


def read_signature_algorithm(src: Source, value: Any, depth: int, path: str) -> SignatureAlgorithm:
    """Return the algorithm of a decoded (spanned) AlgorithmIdentifier at ``depth``."""
    (oid, params), start, end = value
    der = src.buf[start:end]
    entry = _TABLE.get(oid)
    if entry is None:
        return _algorithm(oid, oids.name_of(oid), None, None, params, None, der)
    name, key_type, hash_name, rule = entry
    params_path = f"{path}.parameters" if path else "parameters"
    pss = None
    if rule == _NULL_OR_ABSENT and params is not None and not is_null(params):
        src.deviate("bad-parameters", start, params_path, f"{name} parameters must be NULL")
    elif rule == _ABSENT and params is not None:
        src.deviate("bad-parameters", start, params_path, f"{name} takes no parameters")
    elif rule == _PSS:
        if params is None:
            src.deviate("bad-parameters", start, params_path,
                        "RSASSA-PSS signature parameters missing (RFC 4055 3.1)")
            pss = PssParameters("sha1", "sha1", 20)
        else:
            pss = read_pss_parameters(src, end - len(params), end, depth + 1, params_path)
        hash_name = pss.hash
    return _algorithm(oid, name, key_type, hash_name, params, pss, der)


_algorithm = maker(SignatureAlgorithm)
