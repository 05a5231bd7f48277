"""RSA signing over the ``rsa`` package's private keys: PKCS#1 v1.5 and RSASSA-PSS.

The encodings are built here from RFC 8017 (EMSA-PKCS1-v1_5, 9.2, and
EMSA-PSS-ENCODE, 9.1.1); ``rsa`` supplies the private-key operation, its
CRT form with blinding (``PrivateKey.blinded_decrypt``; ``rsa.sign`` does
not use the CRT and is about three times slower).  Each signature is
checked with the public exponent before it is returned, so a fault in the
CRT computation cannot leak the key (the Bellcore attack).

Like the rest of csrlib's backends this is pure Python and not
constant-time; where side channels matter, sign through an HSM with
:class:`~csrlib.signers.ExternalSigner`.
"""

from __future__ import annotations

import hashlib
import os
from typing import TYPE_CHECKING

from ..crypto.rsa import digest_info, mgf1
from ..errors import BuildError, InvalidKey
from ..model.algorithms import PssParameters, SignatureAlgorithm
from ..model.keys import PublicKey, RsaPublicKey
from .keycheck import check_rsa_numbers, pss_public_key
from .private import RsaPrivateNumbers

if TYPE_CHECKING:
    import rsa

__all__ = ["RsaSigner"]

_HASHES = ("sha256", "sha384", "sha512")


class RsaSigner:
    """Signs with an ``rsa.PrivateKey``.

    ``hash``: sha256 (default), sha384 or sha512; sha1 only with
    ``allow_sha1=True``.  ``pss=True`` signs RSASSA-PSS with MGF1 over the
    same hash and a salt as long as the hash unless ``salt_length`` says
    otherwise; the parameters are written out per RFC 4055.  PKCS#1 v1.5
    signatures are deterministic (equal to OpenSSL's for the same key and
    data); PSS salts come from ``os.urandom``.
    """

    __slots__ = ("_algorithm", "_key", "_pss", "_pss_key", "_public_key")

    def __init__(self, key: rsa.PrivateKey, *, hash: str = "sha256", pss: bool = False,
                 salt_length: int | None = None, allow_sha1: bool = False) -> None:
        if hash not in _HASHES and not (hash == "sha1" and allow_sha1):
            raise BuildError(f"RSA signing hash must be one of {', '.join(_HASHES)}"
                             + (" (sha1 needs allow_sha1=True)" if hash == "sha1" else ""))
        if key.n.bit_length() < 1024:
            raise InvalidKey("RSA keys under 1024 bits cannot sign")
        self._key = key
        self._public_key: PublicKey = RsaPublicKey.from_numbers(key.n, key.e)
        # For an id-RSASSA-PSS key: (True, its parameters' DER or None).
        self._pss_key: tuple[bool, bytes | None] = (False, None)
        if pss:
            size = hashlib.new(hash).digest_size
            salt = size if salt_length is None else salt_length
            em_len = (key.n.bit_length() - 1 + 7) // 8
            if salt < 0 or em_len < size + salt + 2:
                raise BuildError(f"salt length {salt} does not fit this key and hash")
            self._pss: PssParameters | None = PssParameters(hash, hash, salt)
            self._algorithm = SignatureAlgorithm.for_key("rsa", pss=self._pss)
        else:
            if salt_length is not None:
                raise BuildError("salt_length is for RSASSA-PSS (pss=True)")
            self._pss = None
            self._algorithm = SignatureAlgorithm.for_key("rsa", hash)

    @classmethod
    def from_numbers(cls, numbers: RsaPrivateNumbers, **options: object) -> RsaSigner:
        """Return a signer for private numbers read from a key file (see ``__init__``).

        An id-RSASSA-PSS key (``numbers.pss_only``) signs RSASSA-PSS only, see
        :meth:`_pss_only`; BuildError for options its parameters exclude.
        Raises InvalidKey for numbers that are not consistent
        (:func:`~csrlib.signers.keycheck.check_rsa_numbers`; the primality
        test is left to whoever read them, as
        :func:`~csrlib.signers.keyfiles.read_private_key` does), for
        parameters on a key that is not id-RSASSA-PSS, or parameters that are
        not valid RSASSA-PSS-params or that csrlib cannot sign within.
        """
        import rsa

        # rsa.PrivateKey computes q**-1 mod p: a ValueError for numbers that
        # share a factor.  Composite but consistent numbers get this far and
        # sign wrongly, which sign() refuses to release.
        check_rsa_numbers(numbers)
        key = rsa.PrivateKey(numbers.n, numbers.e, numbers.d, numbers.p, numbers.q)
        if numbers.pss_only:
            return cls._pss_only(key, numbers.pss_parameters, options)
        if numbers.pss_parameters is not None:
            raise InvalidKey("RSASSA-PSS parameters on a key that is not pss_only")
        return cls(key, **options)  # type: ignore[arg-type]

    @classmethod
    def _pss_only(cls, key: rsa.PrivateKey, params: bytes | None,
                  options: dict[str, object]) -> RsaSigner:
        """Return a signer for an id-RSASSA-PSS key: PSS only, within its parameters.

        The public key keeps the key's algorithm (RFC 4055 3.1), so the
        request says the key is for RSASSA-PSS.  With parameters, the
        signatures use the key's hash and a salt at least as long as the
        key's (RFC 4055 3.3): by default the hash length, or the key's salt
        if longer, or the longest that fits the key if that is shorter.
        """
        if options.get("pss") not in (None, True):
            raise BuildError("this key is for RSASSA-PSS only (RFC 4055 3.1); it cannot "
                             f"sign with pss={options['pss']!r}")
        public = pss_public_key(key.n, key.e, params)
        options = {name: value for name, value in options.items() if value is not None}
        options["pss"] = True
        limit = public.pss
        if limit is not None:
            # What the key file alone makes unusable is InvalidKey; what the
            # caller asks against the key's parameters, BuildError.
            if limit.hash not in (*_HASHES, "sha1") or limit.mgf_hash != limit.hash:
                raise InvalidKey(
                    f"this RSASSA-PSS key requires {limit.hash} with MGF1 over "
                    f"{limit.mgf_hash}; csrlib signs with SHA-256/384/512 and MGF1 over "
                    "the same hash")
            size = hashlib.new(limit.hash).digest_size
            # RFC 8017 9.1.1 step 3: emLen >= hLen + sLen + 2.
            longest = (key.n.bit_length() - 1 + 7) // 8 - size - 2
            if limit.salt_length > longest:
                raise InvalidKey(f"this RSASSA-PSS key requires a salt of at least "
                                 f"{limit.salt_length} octets, more than fits the key with "
                                 f"{limit.hash}")
            if options.setdefault("hash", limit.hash) != limit.hash:
                raise BuildError(f"this RSASSA-PSS key signs with {limit.hash} only")
            if "salt_length" not in options:
                options["salt_length"] = max(limit.salt_length, min(size, longest))
            salt = options["salt_length"]
            if not isinstance(salt, int) or salt < limit.salt_length:
                raise BuildError(f"this RSASSA-PSS key needs a salt of at least "
                                 f"{limit.salt_length} octets")
        signer = cls(key, **options)  # type: ignore[arg-type]
        signer._public_key = public
        signer._pss_key = (True, params)
        return signer

    @property
    def public_key(self) -> PublicKey:
        """The public key: rsaEncryption, or id-RSASSA-PSS for a key file that said so."""
        return self._public_key

    @property
    def signature_algorithm(self) -> SignatureAlgorithm:
        """sha*WithRSAEncryption, or RSASSA-PSS with its parameters."""
        return self._algorithm

    @property
    def private_numbers(self) -> RsaPrivateNumbers:
        """The private key's numbers (secret: keep out of logs)."""
        k = self._key
        return RsaPrivateNumbers(k.n, k.e, k.d, k.p, k.q, *self._pss_key)

    def private_key_pem(self) -> str:
        """Return the private key as PKCS#8 PEM (``PRIVATE KEY``), as ``openssl pkey`` reads."""
        from .key_writing import pkcs8_pem

        return pkcs8_pem(self.private_numbers)

    def sign(self, data: bytes) -> bytes:
        """Return the signature of ``data``: k octets, k the modulus length."""
        key = self._key
        k = (key.n.bit_length() + 7) // 8
        if self._pss is None:
            em = _pkcs1v15_encode(self._algorithm.hash or "", data, k)
        else:
            em = _pss_encode(self._pss, data, key.n.bit_length() - 1)
        m = int.from_bytes(em, "big")
        s = key.blinded_decrypt(m)
        if pow(s, key.e, key.n) != m:
            # A fault in the CRT private operation; never release its output.
            raise InvalidKey("RSA private-key operation failed its check")
        return s.to_bytes(k, "big")

    def __repr__(self) -> str:
        return f"RsaSigner({self._public_key.key_size} bits, {self._algorithm.name})"

    __str__ = __repr__


def _pkcs1v15_encode(hash_name: str, data: bytes, k: int) -> bytes:
    # RFC 8017 9.2: EM = 0x00 || 0x01 || PS || 0x00 || T, PS at least 8 octets.
    t = digest_info(hash_name, hashlib.new(hash_name, data).digest())
    if k < len(t) + 11:
        raise BuildError("RSA key too short for this hash")
    return b"\x00\x01" + b"\xff" * (k - len(t) - 3) + b"\x00" + t


def _pss_encode(pss: PssParameters, data: bytes, em_bits: int) -> bytes:
    # RFC 8017 9.1.1 (EMSA-PSS-ENCODE), trailer field 0xbc.
    m_hash = hashlib.new(pss.hash, data).digest()
    h_len = len(m_hash)
    em_len = (em_bits + 7) // 8
    salt = os.urandom(pss.salt_length)
    h = hashlib.new(pss.hash, b"\x00" * 8 + m_hash + salt).digest()
    db = b"\x00" * (em_len - pss.salt_length - h_len - 2) + b"\x01" + salt
    masked = int.from_bytes(db, "big") ^ int.from_bytes(mgf1(pss.mgf_hash, h, len(db)), "big")
    # Step 11: the leftmost 8 emLen - emBits bits are zero.
    masked &= (1 << (8 * len(db) - (8 * em_len - em_bits))) - 1
    return masked.to_bytes(len(db), "big") + h + b"\xbc"
