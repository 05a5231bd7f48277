"""ML-KEM key pairs (FIPS 203): made with the optional ``kyber-py``, kept as their seed.

An ML-KEM key cannot sign, so it is no signer: it is the key a request
carries, signed by another key (RFC 9883, see
``CertificateRequestBuilder.possession_statement``).  This module makes
one, ``generate_ml_kem(768)``, from 64 random octets of :mod:`secrets`
(FIPS 203 ``ML-KEM.KeyGen_internal(d, z)`` with ``seed = d || z``, through
kyber-py's ``key_derive``), and writes its private key as RFC 9935 6
recommends: the seed, in PKCS#8 (``privateKey`` = ``[0] IMPLICIT OCTET
STRING (SIZE (64))``).  The arithmetic is kyber-py's (``pip install
csrlib[pq]``), imported only here; without it, UnsupportedAlgorithm.

``MlKemPrivateKey.from_pem`` / ``from_der`` read a key file back: PKCS#8,
plain or encrypted (as :func:`csrlib.signers.load_private_key` reads
them), holding RFC 9935 6's CHOICE of ``seed [0]`` (64 octets),
``expandedKey`` (the FIPS 203 decapsulation key) or ``both``.  A seed is
expanded (kyber-py); ``both`` must hold the expanded key its seed gives;
an expanded key alone must pass FIPS 203 7.3's checks (the hash of the
encapsulation key it holds, and that key's modulus check), which need no
backend; a stated publicKey [1] must be the key's.

A key made elsewhere needs no backend: ``MlKemPublicKey.from_bytes(768,
raw)`` or ``PublicKey.from_der(spki)`` / ``from_pem``.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass, field
from typing import Any

from ..der.primitives import encode_oid
from ..der.tlv import tlv
from ..errors import InvalidKey, UnsupportedAlgorithm
from ..model.ml_kem_keys import ML_KEM_SIZES, MlKemPublicKey
from .private import MlKemKeyParts

__all__ = ["MlKemPrivateKey", "generate_ml_kem", "read_ml_kem_private_key"]

_SEED_SIZE = 64


def _backend(kind: str) -> Any:
    """Return kyber-py's ML_KEM object for ``kind``; raise UnsupportedAlgorithm without it."""
    try:
        from kyber_py.ml_kem import ML_KEM_512, ML_KEM_768, ML_KEM_1024
    except ImportError:
        raise UnsupportedAlgorithm(f"{kind} keys need kyber-py: install csrlib[pq]") from None
    return {"ml-kem-512": ML_KEM_512, "ml-kem-768": ML_KEM_768,
            "ml-kem-1024": ML_KEM_1024}[kind]


def _kind(level: int | str) -> str:
    kind = level if isinstance(level, str) else f"ml-kem-{level}"
    if kind not in ML_KEM_SIZES:
        raise InvalidKey(f"unknown ML-KEM level {str(level)[:20]!r} (512, 768 or 1024)")
    return kind


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class MlKemPrivateKey:
    """An ML-KEM key pair: its 64-octet seed (d || z) and/or expanded key, and its public key.

    ``seed`` is None for a key read in the expandedKey form; ``expanded``
    (the FIPS 203 decapsulation key) is None unless a key file held it.
    Neither ever appears in ``repr`` or in errors.
    """

    seed: bytes | None = field(repr=False)
    public_key: MlKemPublicKey
    expanded: bytes | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        return f"MlKemPrivateKey({self.public_key.key_type})"

    @staticmethod
    def from_seed(level: int | str, seed: bytes) -> MlKemPrivateKey:
        """Return the key pair FIPS 203 derives from a 64-octet seed (needs kyber-py).

        Raises InvalidKey for another level or seed size, UnsupportedAlgorithm
        without kyber-py.
        """
        kind = _kind(level)
        if not isinstance(seed, bytes | bytearray) or len(seed) != _SEED_SIZE:
            raise InvalidKey(f"an {kind} seed is {_SEED_SIZE} octets")
        ek, _ = _backend(kind).key_derive(bytes(seed))
        return MlKemPrivateKey(bytes(seed), MlKemPublicKey.from_bytes(kind, ek))

    @staticmethod
    def from_expanded(level: int | str, expanded: bytes) -> MlKemPrivateKey:
        """Return the key pair of a FIPS 203 decapsulation key (no backend needed).

        Raises InvalidKey for another level or size, or a key failing FIPS
        203 7.3 (the hash of its encapsulation key, that key's modulus check).
        """
        kind = _kind(level)
        size = ML_KEM_SIZES[kind][1]
        if not isinstance(expanded, bytes | bytearray) or len(expanded) != size:
            raise InvalidKey(f"an {kind} expanded key is {size} octets")
        k = int(kind[7:]) // 256
        ek = bytes(expanded[384 * k:768 * k + 32])
        if hashlib.sha3_256(ek).digest() != expanded[768 * k + 32:768 * k + 64]:
            raise InvalidKey(f"{kind} expanded key fails the FIPS 203 7.3 hash check")
        try:
            public = MlKemPublicKey.from_bytes(kind, ek)
        except InvalidKey:
            raise InvalidKey(f"{kind} expanded key: its encapsulation key fails the FIPS 203 "
                             "7.2 modulus check") from None
        return MlKemPrivateKey(None, public, bytes(expanded))

    @staticmethod
    def from_pem(data: str | bytes, password: bytes | str | None = None) -> MlKemPrivateKey:
        """Return the key of a ``PRIVATE KEY`` or ``ENCRYPTED PRIVATE KEY`` PEM block.

        Raises InvalidKey (a key of another type included: "not an ML-KEM
        key"), never showing key material; a seed-form key without kyber-py
        to expand it raises InvalidKey starting "unsupported: ... install
        csrlib[pq]".
        """
        return _read(data, password, "pem")

    @staticmethod
    def from_der(data: bytes, password: bytes | str | None = None) -> MlKemPrivateKey:
        """Return the key of PKCS#8 DER, plain or encrypted (``password``); see :meth:`from_pem`."""
        return _read(data, password, "der")

    def decapsulation_key(self) -> bytes:
        """Return the expanded FIPS 203 decapsulation key (kyber-py needed for a seed)."""
        if self.expanded is not None:
            return self.expanded
        assert self.seed is not None
        _, dk = _backend(self.public_key.key_type).key_derive(self.seed)
        return bytes(dk)

    def to_pkcs8_der(self) -> bytes:
        """Return the private key as PKCS#8 DER (version 0): RFC 9935's seed form when known.

        A key read without its seed is written as it came, ``expandedKey``.
        """
        algorithm = tlv(0x30, tlv(0x06, encode_oid(self.public_key.algorithm)))
        private = (tlv(0x80, self.seed) if self.seed is not None
                   else tlv(0x04, self.decapsulation_key()))
        return tlv(0x30, b"\x02\x01\x00" + algorithm + tlv(0x04, private))

    def to_pem(self, password: bytes | str | None = None, **encryption: Any) -> str:
        """Return :meth:`to_pkcs8_der` as ``PRIVATE KEY`` PEM, encrypted with ``password``.

        Encrypted as :func:`csrlib.signers.private_key_pem` does (an
        ``ENCRYPTED PRIVATE KEY`` block, PBES2; ``encryption`` options alike).
        """
        if password is None:
            if encryption:
                raise TypeError("encryption options need a password")
            from ..pem import encode_pem

            return encode_pem("PRIVATE KEY", self.to_pkcs8_der())
        from .encrypted_keys import encrypted_pem

        return encrypted_pem(self.to_pkcs8_der(), password, **encryption)

    def save(self, path: str | os.PathLike[str], *, overwrite: bool = False,
             password: bytes | str | None = None, **encryption: Any) -> None:
        """Write :meth:`to_pem` to a new file readable by its owner only (0600).

        Refuses an existing file unless ``overwrite`` (see
        :func:`csrlib.signers.save_private_key`); ``password`` encrypts it
        (see :meth:`to_pem`).  Raises OSError naming ``path``.
        """
        from .files import write_file

        text = self.to_pem(password, **encryption)
        write_file(path, text.encode("ascii"), overwrite=overwrite, private=True)


def _read(data: str | bytes, password: bytes | str | None, form: str) -> MlKemPrivateKey:
    from ..pem import detect_format
    from .keyfiles import read_key_file

    raw = data.encode("utf-8", "replace") if isinstance(data, str) else data
    if not isinstance(raw, bytes | bytearray | memoryview):
        raise TypeError(f"data must be bytes or str, not {type(data).__name__}")
    if bytes(raw) and detect_format(bytes(raw)) != form:
        other = "from_pem" if form == "der" else "from_der"
        raise InvalidKey(f"not {form.upper()}: use MlKemPrivateKey.{other}")
    parts = read_key_file(bytes(raw), password)
    if not isinstance(parts, MlKemKeyParts):
        raise InvalidKey(f"not an ML-KEM key: a {_key_kind(parts)} key "
                         "(csrlib.signers.load_private_key reads it)")
    return read_ml_kem_private_key(parts.key_type, parts.private, parts.public)


def _key_kind(key: object) -> str:
    names = {"RsaPrivateNumbers": "rsa", "EcPrivateNumbers": "ec"}
    return str(getattr(key, "key_type", None) or names.get(type(key).__name__, "other"))


def read_ml_kem_private_key(kind: str, private: bytes, public: bytes | None) -> MlKemPrivateKey:
    """Return the checked key of a PKCS#8 privateKey's contents (RFC 9935 6 CHOICE).

    ``public``: the PKCS#8 publicKey [1] octets, which must be the key's.
    Raises InvalidKey; a seed without kyber-py raises InvalidKey starting
    "unsupported" (an encrypted key's reader lets such messages through).
    """
    from .seed_choice import read_seed_choice

    seed, expanded = read_seed_choice(kind, private, _SEED_SIZE, ML_KEM_SIZES[kind][1],
                                      "RFC 9935 6")
    try:
        if seed is not None:
            key = MlKemPrivateKey.from_seed(kind, seed)
            if expanded is not None and key.decapsulation_key() != expanded:
                raise InvalidKey(f"{kind} private key: the expanded key is not the one its "
                                 "seed derives")
            key = MlKemPrivateKey(key.seed, key.public_key, expanded)
        else:
            assert expanded is not None
            key = MlKemPrivateKey.from_expanded(kind, expanded)
    except UnsupportedAlgorithm as exc:
        raise InvalidKey(f"unsupported: {exc}") from None
    if public is not None and public != key.public_key.public_bytes:
        raise InvalidKey("the key file's public key does not match its private key")
    return key


def generate_ml_kem(level: int | str = 768) -> MlKemPrivateKey:
    """Return a new ML-KEM key pair of level 512, 768 (the default) or 1024 (needs kyber-py)."""
    return MlKemPrivateKey.from_seed(level, secrets.token_bytes(_SEED_SIZE))
