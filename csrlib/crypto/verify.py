"""Checking a signature (the proof of possession) under an explicit policy.

``verify_signature(public_key, algorithm, signature, message, policy=...)``
returns None or raises :class:`InvalidSignature` (the signature is wrong,
malformed, or made with another kind of key), :class:`UnsupportedAlgorithm`
(csrlib cannot check this key or algorithm) or :class:`PolicyError` (the
policy refuses the algorithm or key, with the reason).  Policy refusals come
before any expensive arithmetic.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..errors import InvalidSignature, PolicyError, UnsupportedAlgorithm, int_text
from ..frozen import field, frozen
from .rsa import verify_pkcs1v15, verify_pss

if TYPE_CHECKING:
    from ..model.algorithms import SignatureAlgorithm
    from ..model.keys import PublicKey

__all__ = ["Policy", "verify_signature"]

_HASHES = frozenset({"md5", "sha1", "sha224", "sha256", "sha384", "sha512",
                     "sha3_224", "sha3_256", "sha3_384", "sha3_512"})
#: What Policy.with_changes(hashes=...) adds to admit SHA-3 (not in the default).
SHA3_HASHES = frozenset({"sha3_224", "sha3_256", "sha3_384", "sha3_512"})
#: Curves csrlib verifies that the default Policy does not accept.
EXTRA_CURVES = frozenset({"secp224r1", "brainpoolP256r1", "brainpoolP384r1", "brainpoolP512r1"})
_SAFE_HASHES = frozenset({"sha224", "sha256", "sha384", "sha512"})
_CURVES = frozenset({"secp256r1", "secp384r1", "secp521r1", "secp256k1"})
# id-hash-ml-dsa-44/65/87-with-sha512 (NIST CSOR).
_HASH_ML_DSA = frozenset({"2.16.840.1.101.3.4.3.32", "2.16.840.1.101.3.4.3.33",
                          "2.16.840.1.101.3.4.3.34"})


@frozen
class Policy:
    """What a verifier accepts.  ``Policy()`` is the safe default.

    ``hashes``: hashes accepted for the signature (and for PSS's MGF1);
    ``allow_sha1`` / ``allow_md5``: admit those broken hashes too;
    ``min_rsa_bits`` / ``max_rsa_bits``: RSA modulus size range;
    ``max_rsa_exponent``: largest RSA public exponent;
    ``curves``: EC curves accepted; ``key_types``: key types accepted (the
    ML-DSA levels are the types ``ml-dsa-44``, ``ml-dsa-65``, ``ml-dsa-87``);
    ``require_safe_pss``: PSS must use the same hash for MGF1 and a salt as
    long as the hash (the profile CA/Browser Forum rules and most CAs expect).
    """

    hashes: frozenset[str] = _SAFE_HASHES
    allow_sha1: bool = False
    allow_md5: bool = False
    min_rsa_bits: int = 2048
    max_rsa_bits: int = 16384
    max_rsa_exponent: int = 2 ** 64
    curves: frozenset[str] = _CURVES
    key_types: frozenset[str] = field(
        default=frozenset({"rsa", "ec", "ed25519", "ed448", "ml-dsa-44", "ml-dsa-65",
                           "ml-dsa-87"}))
    require_safe_pss: bool = False

    def __post_init__(self) -> None:
        """Check every field's type and range; raise TypeError or ValueError naming it.

        Sets may be given as any iterable of strings (a list from JSON); they
        are kept as frozensets.
        """
        for name in ("hashes", "curves", "key_types"):
            value = getattr(self, name)
            if isinstance(value, str | bytes) or not isinstance(
                    value, frozenset | set | list | tuple):
                raise TypeError(f"Policy.{name} must be a set of strings, not "
                                f"{type(value).__name__}")
            if not all(isinstance(item, str) for item in value):
                raise TypeError(f"Policy.{name} must hold strings only")
            object.__setattr__(self, name, frozenset(value))
        unknown = self.hashes - _HASHES
        if unknown:
            raise ValueError(f"Policy.hashes: unknown hash {sorted(unknown)[0]!r} "
                             f"(one of {', '.join(sorted(_HASHES))})")
        for name in ("allow_sha1", "allow_md5", "require_safe_pss"):
            if not isinstance(getattr(self, name), bool):
                raise TypeError(f"Policy.{name} must be True or False, not "
                                f"{type(getattr(self, name)).__name__}")
        for name, low in (("min_rsa_bits", 1), ("max_rsa_bits", 1), ("max_rsa_exponent", 3)):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool):
                raise TypeError(f"Policy.{name} must be an int, not {type(value).__name__}")
            if value < low:
                raise ValueError(f"Policy.{name} must be at least {low}, not "
                                 f"{int_text(value)}")

    @classmethod
    def from_dict(cls, settings: Mapping[str, object]) -> Policy:
        """Return the default policy with ``settings`` changed (a JSON object's fields).

        Raises ValueError for a name that is not a field, TypeError or
        ValueError for a value of the wrong type or out of range.
        """
        if not isinstance(settings, Mapping):
            raise TypeError("a policy is an object of Policy fields")
        fields = set(cls.__dataclass_fields__)
        unknown = [name for name in settings if name not in fields]
        if unknown:
            raise ValueError(f"unknown Policy field {str(unknown[0])!r} "
                             f"(fields: {', '.join(sorted(fields))})")
        return cls(**settings)  # type: ignore[arg-type]

    @classmethod
    def legacy(cls) -> Policy:
        """Return a policy for old requests: SHA-1 and 1024-bit RSA accepted (MD5 is not)."""
        return cls(allow_sha1=True, min_rsa_bits=1024)

    def with_changes(self, **changes: object) -> Policy:
        """Return a copy with some settings changed.

        Raises TypeError for a name that is not a field or a value of the
        wrong type, ValueError for one out of range (checked now, not at
        ``verify()``).
        """
        unknown = [name for name in changes if name not in self.__dataclass_fields__]
        if unknown:
            raise TypeError(f"unknown Policy field {unknown[0]!r}")
        from dataclasses import replace

        return replace(self, **changes)  # type: ignore[arg-type]

    def hash_allowed(self, name: str) -> bool:
        """Return whether signatures with hash ``name`` are accepted."""
        if name == "sha1":
            return self.allow_sha1
        if name == "md5":
            return self.allow_md5
        return name in self.hashes


DEFAULT_POLICY = Policy()


def verify_signature(
    public_key: PublicKey,
    algorithm: SignatureAlgorithm,
    signature: bytes,
    message: bytes,
    *,
    policy: Policy | None = None,
    unused_bits: int = 0,
) -> None:
    """Check ``signature`` over ``message``; return None or raise.

    Raises UnsupportedAlgorithm, PolicyError or InvalidSignature (see the
    module docstring).  ``unused_bits`` is the signature BIT STRING's count,
    which must be 0.
    """
    policy = DEFAULT_POLICY if policy is None else policy
    key_type = public_key.key_type
    if key_type == "dsa":
        # Checked first: csrlib's algorithm table has no DSA signature algorithms.
        raise UnsupportedAlgorithm(f"DSA signatures are not supported ({algorithm.name})")
    if algorithm.key_type is None:
        if algorithm.oid in _HASH_ML_DSA:
            raise UnsupportedAlgorithm(f"{algorithm.name}: HashML-DSA is not allowed in "
                                       "certificates and requests (RFC 9881 3)")
        raise UnsupportedAlgorithm(f"unknown signature algorithm {algorithm.oid}")
    if key_type == "unknown":
        _unknown_key(public_key)
    if algorithm.key_type != key_type:
        raise InvalidSignature(f"{algorithm.name} signature with a {key_type} key")
    if key_type not in policy.key_types:
        raise PolicyError(f"{key_type} keys are not accepted by the policy")
    if unused_bits:
        raise InvalidSignature("signature BIT STRING has unused bits")
    if key_type == "rsa":
        _verify_rsa(public_key, algorithm, signature, message, policy)
    elif key_type == "ec":
        _verify_ec(public_key, algorithm, signature, message, policy)
    elif key_type.startswith("ml-dsa-"):
        if algorithm.parameters is not None or getattr(public_key, "parameters", None) is not None:
            raise InvalidSignature("ML-DSA algorithm parameters must be absent (RFC 9881 2)")
        from .mldsa import verify_ml_dsa

        verify_ml_dsa(key_type, public_key.public_bytes, signature, message)  # type: ignore[attr-defined]
    else:
        from .eddsa import verify_eddsa

        verify_eddsa(key_type, public_key.public_bytes, signature, message)  # type: ignore[attr-defined]


def _unknown_key(public_key: PublicKey) -> None:
    from .. import oids

    algorithm: str = public_key.algorithm  # type: ignore[attr-defined]
    if algorithm == oids.EC_PUBLIC_KEY:
        # keys.read_spki keeps only this EC key as unknown.
        raise UnsupportedAlgorithm("EC key with a compressed point on a curve csrlib has no "
                                   "parameters for is not supported")
    if algorithm in _HASH_ML_DSA:
        raise UnsupportedAlgorithm(f"{oids.name_of(algorithm)} key: RFC 9881 "
                                   "forbids HashML-DSA keys in certificates and requests "
                                   "(RFC 9881 3)")
    raise UnsupportedAlgorithm(f"unknown public key algorithm {algorithm}")


def _curve_text(name: str) -> str:
    if name == "explicit":
        return "explicit curve parameters"
    if name == "implicit":
        return "inherited curve parameters (implicitCurve)"
    if name[:1].isdigit():
        return f"curve {name}"
    return name


def _check_hash(name: str | None, policy: Policy, what: str) -> str:
    if name is None or name not in _HASHES:
        raise UnsupportedAlgorithm(f"unsupported hash {name} for {what}")
    if not policy.hash_allowed(name):
        raise PolicyError(f"{name} is not accepted by the policy for {what}")
    return name


def _verify_rsa(public_key: PublicKey, algorithm: SignatureAlgorithm, signature: bytes,
                message: bytes, policy: Policy) -> None:
    n: int = public_key.n  # type: ignore[attr-defined]
    e: int = public_key.e  # type: ignore[attr-defined]
    if n < 3 or e < 3 or not e & 1 or not n & 1:
        # Loading keeps such keys for csrlib.lint to report; none can sign.
        raise InvalidSignature("not a valid RSA public key (even or tiny modulus or exponent)")
    bits = n.bit_length()
    # Checked before pow(): its cost grows with both.
    if not policy.min_rsa_bits <= bits <= policy.max_rsa_bits:
        raise PolicyError(f"RSA key of {int_text(bits)} bits is outside the policy's "
                          f"{int_text(policy.min_rsa_bits)}..{int_text(policy.max_rsa_bits)}")
    if e > policy.max_rsa_exponent:
        raise PolicyError("RSA public exponent larger than the policy allows")
    pss = algorithm.pss
    if pss is None:
        if public_key.algorithm != "1.2.840.113549.1.1.1":  # type: ignore[attr-defined]
            # RFC 4055 1.2: an id-RSASSA-PSS key signs with PSS only.
            raise InvalidSignature("a RSASSA-PSS key cannot make PKCS#1 v1.5 signatures")
        verify_pkcs1v15(n, e, _check_hash(algorithm.hash, policy, algorithm.name), signature,
                        message)
        return
    if algorithm.parameters is None:
        # RFC 4055 3.1: MUST be present in a signature (lenient mode reads it).
        raise InvalidSignature("RSASSA-PSS signature without its parameters")
    if pss.mgf != "1.2.840.113549.1.1.8":
        raise UnsupportedAlgorithm(f"unsupported mask generation function {pss.mgf}")
    hash_name = _check_hash(pss.hash, policy, "RSASSA-PSS")
    mgf_hash = _check_hash(pss.mgf_hash, policy, "MGF1")
    if pss.trailer_field != 1:
        raise InvalidSignature("RSASSA-PSS trailer field must be 1")
    key_pss = public_key.pss  # type: ignore[attr-defined]
    if key_pss is not None and (key_pss.hash != pss.hash or key_pss.mgf_hash != pss.mgf_hash
                                or key_pss.mgf != pss.mgf
                                or pss.salt_length < key_pss.salt_length):
        # RFC 4055 3.3: a key's own parameters bind its signatures.
        raise InvalidSignature("RSASSA-PSS parameters differ from the key's")
    if policy.require_safe_pss and (
            mgf_hash != hash_name or pss.salt_length != _digest_size(hash_name)):
        raise PolicyError("RSASSA-PSS parameters are not the safe profile "
                          "(MGF1 with the same hash, salt as long as the hash)")
    verify_pss(n, e, hash_name, mgf_hash, pss.salt_length, signature, message)


def _verify_ec(public_key: PublicKey, algorithm: SignatureAlgorithm, signature: bytes,
               message: bytes, policy: Policy) -> None:
    from ..model.curves import CURVES, CURVES_BY_NAME
    from .ecdsa import verify_ecdsa

    curve_name = public_key.curve
    curve = CURVES_BY_NAME.get(curve_name or "")
    if curve_name is None or curve is None:
        names = ", ".join(c.name for c in CURVES.values())
        raise UnsupportedAlgorithm(f"ECDSA on {_curve_text(curve_name or '')} is not supported "
                                   f"(csrlib verifies ECDSA on {names})")
    if curve_name not in policy.curves:
        raise PolicyError(f"curve {curve_name} is not accepted by the policy")
    hash_name = _check_hash(algorithm.hash, policy, algorithm.name)
    x: int = public_key.x  # type: ignore[attr-defined]
    y: int = public_key.y  # type: ignore[attr-defined]
    if not (0 <= x < curve.p and 0 <= y < curve.p
            and (y * y - x * x * x - curve.a * x - curve.b) % curve.p == 0):
        # A lenient load keeps such a key for csrlib.lint (key.ec.point).
        raise InvalidSignature(f"EC public key is not a point on {curve_name}")
    verify_ecdsa(curve_name, curve.n, public_key.x, public_key.y,  # type: ignore[attr-defined]
                 hash_name, signature, message)


def _digest_size(hash_name: str) -> int:
    import hashlib  # imported when first needed: it costs import csrlib 6 %

    return hashlib.new(hash_name).digest_size
