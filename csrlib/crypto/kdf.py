"""Password-based key derivation: PBKDF2 (RFC 8018 5.2), scrypt (RFC 7914) and
OpenSSL's EVP_BytesToKey with MD5 (legacy PEM encryption).

* :func:`pbkdf2` uses ``hashlib.pbkdf2_hmac`` when the interpreter has it
  (CPython built with OpenSSL) and otherwise computes RFC 8018 5.2 over
  :mod:`hmac` (some Pyodide builds have no ``pbkdf2_hmac``; Python 3.12
  removed the pure-Python one).
* :func:`scrypt` is ``hashlib.scrypt``; where it is missing it raises
  :class:`~csrlib.errors.UnsupportedAlgorithm` saying so.
* :func:`evp_bytes_to_key` is the derivation of OpenSSL's
  ``PEM_do_header`` for ``Proc-Type: 4,ENCRYPTED`` blocks: one MD5
  iteration over the password and the first 8 octets of the IV.
"""

from __future__ import annotations

import hashlib
import hmac

from ..errors import UnsupportedAlgorithm

__all__ = ["PBKDF2_HASHES", "evp_bytes_to_key", "pbkdf2", "pbkdf2_fallback", "scrypt"]

#: The PRFs of PBKDF2 csrlib reads (RFC 8018 B.1.1, B.1.2): hashlib names.
PBKDF2_HASHES = ("sha1", "sha224", "sha256", "sha384", "sha512")


def pbkdf2(hash_name: str, password: bytes, salt: bytes, iterations: int, length: int) -> bytes:
    """Return ``length`` octets of PBKDF2 with HMAC-``hash_name`` (RFC 8018 5.2).

    ValueError for an iteration count or length below 1 or an unknown hash.
    """
    if iterations < 1 or length < 1:
        raise ValueError("PBKDF2 needs at least one iteration and one octet")
    native = getattr(hashlib, "pbkdf2_hmac", None)
    if native is not None:
        result: bytes = native(hash_name, password, salt, iterations, length)
        return result
    return pbkdf2_fallback(hash_name, password, salt, iterations, length)


def pbkdf2_fallback(hash_name: str, password: bytes, salt: bytes, iterations: int,
                    length: int) -> bytes:
    """Return PBKDF2-HMAC as :func:`pbkdf2` does, computed over :mod:`hmac` only."""
    if iterations < 1 or length < 1:
        raise ValueError("PBKDF2 needs at least one iteration and one octet")
    # The keyed state is made once; each U_j copies it (the inner and outer
    # pads hashed once, not once per iteration).
    keyed = hmac.new(password, digestmod=hash_name)
    size = keyed.digest_size
    blocks = -(-length // size)
    out = bytearray()
    for i in range(1, blocks + 1):
        # RFC 8018 5.2 step 3: U_1 = PRF(P, S || INT(i)), U_j = PRF(P, U_(j-1)),
        # T_i = U_1 ^ U_2 ^ ... ^ U_c.
        mac = keyed.copy()
        mac.update(salt + i.to_bytes(4, "big"))
        u = mac.digest()
        total = int.from_bytes(u, "big")
        for _ in range(iterations - 1):
            mac = keyed.copy()
            mac.update(u)
            u = mac.digest()
            total ^= int.from_bytes(u, "big")
        out += total.to_bytes(size, "big")
    return bytes(out[:length])


def scrypt(password: bytes, salt: bytes, n: int, r: int, p: int, length: int,
           max_memory: int) -> bytes:
    """Return ``length`` octets of scrypt (RFC 7914 6) with cost ``n``, block size ``r``
    and parallelization ``p``.

    Raises UnsupportedAlgorithm where ``hashlib.scrypt`` is missing, and
    ValueError for parameters RFC 7914 2 excludes (``n`` a power of 2 above
    1, r * p < 2^30) or needing more than ``max_memory`` octets (128 * r * n).
    """
    native = getattr(hashlib, "scrypt", None)
    if native is None:
        raise UnsupportedAlgorithm("scrypt is not available in this Python "
                                   "(hashlib.scrypt is missing)")
    if n < 2 or n & (n - 1) or r < 1 or p < 1 or r * p >= 2 ** 30 or length < 1:
        raise ValueError("scrypt parameters out of range (RFC 7914 2)")
    needed = 128 * r * (n + p + 2)
    if needed > max_memory:
        raise ValueError(f"scrypt parameters need {needed} octets of memory, more than "
                         f"the limit of {max_memory}")
    result: bytes = native(password, salt=salt, n=n, r=r, p=p, maxmem=needed + 2 ** 20,
                           dklen=length)
    return result


def evp_bytes_to_key(password: bytes, salt: bytes, length: int) -> bytes:
    """Return ``length`` octets of OpenSSL ``EVP_BytesToKey(cipher, MD5, salt, password, 1)``.

    D_1 = MD5(password || salt), D_i = MD5(D_(i-1) || password || salt);
    the key is the first ``length`` octets of D_1 || D_2 || ...  (the PBKDF1
    shape of RFC 8018 5.1, extended past one digest).  MD5 here is OpenSSL's
    format, not a choice: csrlib only reads keys made this way.
    """
    out = b""
    block = b""
    while len(out) < length:
        block = hashlib.md5(block + password + salt).digest()
        out += block
    return out[:length]
