"""Private key material, independent of any backend: what key files hold.

These records carry secrets, so none of them shows its values in ``repr``
or ``str`` (only the kind and size of key), and none is ever put in an
exception message.  The backends (:mod:`csrlib.signers.rsa_backend`,
:mod:`csrlib.signers.ecdsa_backend`) turn them into signing keys, and
:mod:`csrlib.signers.keyfiles` reads and writes them.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["EcPrivateNumbers", "EdPrivateSeed", "MlDsaPrivateKey", "MlKemKeyParts",
           "PrivateKeyData", "RsaPrivateNumbers"]


@dataclass(frozen=True, slots=True, repr=False)
class RsaPrivateNumbers:
    """An RSA private key: modulus, exponents and the two primes (RFC 8017 3.2).

    ``pss_only``: the key file named it id-RSASSA-PSS (RFC 4055 3.1), a key
    for RSASSA-PSS signatures only; ``pss_parameters``: then the DER
    RSASSA-PSS-params restricting it further, or None when absent.
    """

    n: int
    e: int
    d: int
    p: int
    q: int
    pss_only: bool = False
    pss_parameters: bytes | None = None

    def __repr__(self) -> str:
        return f"<RsaPrivateNumbers {self.n.bit_length()} bits>"

    __str__ = __repr__


@dataclass(frozen=True, slots=True, repr=False)
class EcPrivateNumbers:
    """An EC private key: csrlib curve name (``secp256r1``...), the secret
    scalar, and the public point when the key file carried one."""

    curve: str
    secret: int
    public: tuple[int, int] | None = None

    def __repr__(self) -> str:
        return f"<EcPrivateNumbers {self.curve}>"

    __str__ = __repr__


@dataclass(frozen=True, slots=True, repr=False)
class EdPrivateSeed:
    """An EdDSA private key (RFC 8032): ``ed25519`` or ``ed448`` and its seed
    (32 or 57 octets), with the public key when the key file carried one."""

    key_type: str
    seed: bytes
    public: bytes | None = None

    def __repr__(self) -> str:
        return f"<EdPrivateSeed {self.key_type}>"

    __str__ = __repr__


@dataclass(frozen=True, slots=True, repr=False)
class MlDsaPrivateKey:
    """An ML-DSA private key (FIPS 204, RFC 9881 6): ``ml-dsa-44``, ``ml-dsa-65``
    or ``ml-dsa-87``, its 32-octet ``seed`` and/or its ``expanded`` key
    (skEncode), with the public key when the key file carried one or it was
    derived.  Written in the seed form when the seed is known, else as the
    expanded key (:mod:`csrlib.signers.ml_dsa_keys`)."""

    key_type: str
    seed: bytes | None = None
    expanded: bytes | None = None
    public: bytes | None = None

    def __repr__(self) -> str:
        form = "+".join(name for name, value in (("seed", self.seed),
                                                 ("expanded", self.expanded)) if value)
        return f"<MlDsaPrivateKey {self.key_type} {form or 'empty'}>"

    __str__ = __repr__


@dataclass(frozen=True, slots=True, repr=False)
class MlKemKeyParts:
    """An ML-KEM key as a PKCS#8 file holds it, not yet checked: ``ml-kem-512|768|1024``,
    the privateKey contents (RFC 9935 6 CHOICE) and the publicKey [1] octets, if any.
    :class:`csrlib.signers.MlKemPrivateKey` reads and checks it; it cannot sign."""

    key_type: str
    private: bytes
    public: bytes | None = None

    def __repr__(self) -> str:
        return f"<MlKemKeyParts {self.key_type}>"

    __str__ = __repr__


PrivateKeyData = RsaPrivateNumbers | EcPrivateNumbers | EdPrivateSeed | MlDsaPrivateKey
