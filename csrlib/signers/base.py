"""The ``Signer`` protocol, its async twin, and wrappers for outside signers.

A signer is anything with ``public_key`` (a csrlib public key),
``signature_algorithm`` (a csrlib :class:`~csrlib.SignatureAlgorithm`) and
``sign(data) -> bytes`` returning the final signature value: the DER
``Ecdsa-Sig-Value`` for ECDSA, the raw block for RSA and EdDSA.  An HSM, a
KMS or a PKCS#11 token plugs in by implementing those three, or by handing
a callable to :class:`ExternalSigner` (:class:`AsyncExternalSigner` for a
coroutine function), which checks every signature it returns.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol, runtime_checkable

from ..crypto.verify import EXTRA_CURVES, SHA3_HASHES, Policy, verify_signature
from ..errors import BuildError, CSRError, InvalidSignature
from ..model.algorithms import SignatureAlgorithm
from ..model.keys import PublicKey

__all__ = ["AsyncExternalSigner", "AsyncSigner", "ExternalSigner", "Signer", "check_pair"]


@runtime_checkable
class Signer(Protocol):
    """What :meth:`CertificateRequestBuilder.sign` needs from a key."""

    @property
    def public_key(self) -> PublicKey:
        """The public key the request will carry."""
        ...

    @property
    def signature_algorithm(self) -> SignatureAlgorithm:
        """The algorithm ``sign`` uses (and the request names)."""
        ...

    def sign(self, data: bytes) -> bytes:
        """Return the signature of ``data``, the exact TBS bytes."""
        ...


@runtime_checkable
class AsyncSigner(Protocol):
    """A :class:`Signer` whose ``sign`` is a coroutine (KMS and HSM clients)."""

    @property
    def public_key(self) -> PublicKey:
        """The public key the request will carry."""
        ...

    @property
    def signature_algorithm(self) -> SignatureAlgorithm:
        """The algorithm ``sign`` uses (and the request names)."""
        ...

    async def sign(self, data: bytes) -> bytes:
        """Return the signature of ``data``, the exact TBS bytes."""
        ...


# What an outside signer's result is checked with: any algorithm csrlib can
# verify, as long as it is the one announced (the builder's policy is the
# caller's business; this check is about the signer's correctness).
_ANY_KNOWN = Policy.legacy().with_changes(
    allow_md5=True, min_rsa_bits=512, curves=Policy().curves | EXTRA_CURVES,
    hashes=Policy().hashes | SHA3_HASHES)


def check_pair(public_key: PublicKey, algorithm: SignatureAlgorithm) -> None:
    """Raise BuildError unless ``algorithm`` is one csrlib can use with ``public_key``."""
    if not algorithm.is_known:
        raise BuildError(f"signature algorithm {algorithm.name} is not one csrlib knows")
    if algorithm.key_type != public_key.key_type:
        raise BuildError(f"a {public_key.key_type} key cannot sign with {algorithm.name}")


_FORMATS = ("der", "raw")


def _check_format(public_key: PublicKey, signature_format: str) -> int:
    """Return the EC group order for raw signatures (0 for DER); BuildError if unusable."""
    if signature_format not in _FORMATS:
        raise BuildError("signature_format must be 'der' or 'raw'")
    if signature_format == "der":
        return 0
    from ..model.curves import curve_by_name

    curve = curve_by_name(public_key.curve or "") if public_key.key_type == "ec" else None
    if curve is None:
        raise BuildError("signature_format='raw' is for ECDSA keys on a curve csrlib knows")
    return curve.n


def _checked(public_key: PublicKey, algorithm: SignatureAlgorithm, signature: object,
             data: bytes, order: int = 0) -> bytes:
    if not isinstance(signature, bytes | bytearray | memoryview):
        raise BuildError(f"the signer returned {type(signature).__name__}, not bytes")
    signature = bytes(signature)
    if order:
        from ..crypto.ecdsa import raw_to_der

        try:
            signature = raw_to_der(signature, order)
        except InvalidSignature as exc:
            raise InvalidSignature(f"the external signer's signature is not valid ({exc})"
                                   ) from None
    try:
        verify_signature(public_key, algorithm, signature, data, policy=_ANY_KNOWN)
    except CSRError as exc:
        raise InvalidSignature(
            f"the external signer's signature does not verify with its public key ({exc})"
        ) from None
    return signature


class ExternalSigner:
    """A signer around ``sign_fn(data) -> signature``: an HSM, a KMS, a token.

    Each signature ``sign_fn`` returns is verified against ``public_key``
    before it is used, so a misbehaving device cannot produce a request
    that fails verification: :class:`~csrlib.InvalidSignature` is raised
    instead.

    ``signature_format``: ``"der"`` (default) for signatures as requests
    carry them; ``"raw"`` for ECDSA ``r || s`` of fixed width (PKCS#11
    CKM_ECDSA, Azure Key Vault, WebCrypto), converted to DER after its
    length and range are checked.  ``sign_fn`` receives the data to sign,
    the exact TBS octets: for a device that signs a digest (CKM_ECDSA),
    hash them first with the algorithm's hash.
    """

    __slots__ = ("_algorithm", "_order", "_public_key", "_sign_fn")

    def __init__(self, public_key: PublicKey, algorithm: SignatureAlgorithm,
                 sign_fn: Callable[[bytes], bytes], *, signature_format: str = "der") -> None:
        check_pair(public_key, algorithm)
        self._order = _check_format(public_key, signature_format)
        self._public_key = public_key
        self._algorithm = algorithm
        self._sign_fn = sign_fn

    @property
    def public_key(self) -> PublicKey:
        """The public key the request will carry."""
        return self._public_key

    @property
    def signature_algorithm(self) -> SignatureAlgorithm:
        """The algorithm ``sign_fn`` signs with."""
        return self._algorithm

    def sign(self, data: bytes) -> bytes:
        """Return ``sign_fn(data)`` (as DER) once it verifies; raise InvalidSignature otherwise."""
        return _checked(self._public_key, self._algorithm, self._sign_fn(data), data,
                        self._order)

    def __repr__(self) -> str:
        return f"ExternalSigner({self._public_key!r}, {self._algorithm.name})"


class AsyncExternalSigner:
    """:class:`ExternalSigner` for a coroutine function ``sign_fn(data)``."""

    __slots__ = ("_algorithm", "_order", "_public_key", "_sign_fn")

    def __init__(self, public_key: PublicKey, algorithm: SignatureAlgorithm,
                 sign_fn: Callable[[bytes], Awaitable[bytes]], *,
                 signature_format: str = "der") -> None:
        check_pair(public_key, algorithm)
        self._order = _check_format(public_key, signature_format)
        self._public_key = public_key
        self._algorithm = algorithm
        self._sign_fn = sign_fn

    @property
    def public_key(self) -> PublicKey:
        """The public key the request will carry."""
        return self._public_key

    @property
    def signature_algorithm(self) -> SignatureAlgorithm:
        """The algorithm ``sign_fn`` signs with."""
        return self._algorithm

    async def sign(self, data: bytes) -> bytes:
        """Return ``await sign_fn(data)`` once it verifies; raise InvalidSignature otherwise."""
        return _checked(self._public_key, self._algorithm, await self._sign_fn(data), data,
                        self._order)

    def __repr__(self) -> str:
        return f"AsyncExternalSigner({self._public_key!r}, {self._algorithm.name})"
