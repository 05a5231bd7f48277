"""Encrypted private keys: PKCS#8 EncryptedPrivateKeyInfo with PBES2, and
OpenSSL's legacy PEM encryption.

Reading (:func:`decrypt_pkcs8`, :func:`decrypt_legacy_pem`) returns the
plaintext key structure; :mod:`csrlib.signers.keyfiles` interprets it.
Writing (:func:`encrypt_pkcs8`) wraps a PKCS#8 PrivateKeyInfo.

=====================  ========================================================
structure              what csrlib reads
=====================  ========================================================
EncryptedPrivate-      RFC 5958 3: encryptionAlgorithm and encryptedData
KeyInfo
PBES2                  RFC 8018 6.2 / A.4: keyDerivationFunc, encryptionScheme
PBKDF2                 RFC 8018 5.2 / A.2: salt (specified), iterationCount,
                       keyLength (optional, must match the cipher), prf
                       hmacWithSHA1 (the DEFAULT, absent), -SHA224, -SHA256,
                       -SHA384, -SHA512 (B.1.1, B.1.2)
scrypt                 RFC 7914 7.1: salt, costParameter, blockSize,
                       parallelizationParameter, keyLength (optional)
cipher                 aes128-CBC-PAD, aes192-CBC-PAD, aes256-CBC-PAD with a
                       16-octet IV (RFC 8018 B.2.5)
legacy PEM             ``Proc-Type: 4,ENCRYPTED`` and ``DEK-Info:
                       AES-{128,192,256}-CBC,<IV in hex>`` (RFC 1421 4.6.1
                       headers, OpenSSL's key derivation EVP_BytesToKey with
                       MD5 over the first 8 octets of the IV)
=====================  ========================================================

Anything else (PBES1, PKCS#12 PBE, DES-EDE3-CBC, RC2...) raises
:class:`~csrlib.errors.InvalidKey` naming the scheme or cipher.

Secrecy: a wrong password and a corrupted ciphertext raise exactly
``InvalidKey("wrong password or corrupted key")``, whether the padding,
the length or the structure inside is what failed: nothing tells them
apart (no padding oracle).  Passwords never appear in a message, a repr or
a chained exception.  Hostile parameters are bounded before any work:
:data:`MAX_ITERATIONS` PBKDF2 iterations, :data:`MAX_SCRYPT_MEMORY` octets
for scrypt.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from pyasn1.type import namedtype, univ

from .. import oids
from ..asn1 import Plan, compile_schema
from ..crypto import aes
from ..crypto.kdf import evp_bytes_to_key, pbkdf2, scrypt
from ..der.primitives import encode_integer, encode_oid
from ..der.tlv import tlv
from ..errors import DecodeError, InvalidKey, UnsupportedAlgorithm
from ..pem import encode_pem, pem_blocks

__all__ = ["DEFAULT_ITERATIONS", "MAX_ITERATIONS", "MAX_SCRYPT_MEMORY", "WRONG_PASSWORD",
           "decrypt_legacy_pem", "decrypt_pkcs8", "encrypt_pkcs8", "encrypted_pem",
           "password_bytes"]

#: PBKDF2 iterations written by default: OWASP's 2023 figure for HMAC-SHA256.
DEFAULT_ITERATIONS = 600_000
#: The most PBKDF2 iterations a key file may ask for (some 10 s of CPU).
MAX_ITERATIONS = 10_000_000
#: The most memory a key file's scrypt parameters may ask for (128 * r * N).
MAX_SCRYPT_MEMORY = 256 * 2 ** 20
#: The one message for a wrong password or a damaged ciphertext.
WRONG_PASSWORD = "wrong password or corrupted key"

_PBES2 = "1.2.840.113549.1.5.13"
_PBKDF2 = "1.2.840.113549.1.5.12"
_SCRYPT = "1.3.6.1.4.1.11591.4.11"
# RFC 8018 B.1: hmacWithSHA* under rsadsi digestAlgorithm.
_PRFS = {"1.2.840.113549.2.7": "sha1", "1.2.840.113549.2.8": "sha224",
         "1.2.840.113549.2.9": "sha256", "1.2.840.113549.2.10": "sha384",
         "1.2.840.113549.2.11": "sha512"}
_PRF_OIDS = {name: oid for oid, name in _PRFS.items()}
# RFC 8018 B.2.5 (NIST CSOR): aes*-CBC-PAD and their key sizes.
_CIPHERS = {"2.16.840.1.101.3.4.1.2": ("aes-128-cbc", 16),
            "2.16.840.1.101.3.4.1.22": ("aes-192-cbc", 24),
            "2.16.840.1.101.3.4.1.42": ("aes-256-cbc", 32)}
_CIPHER_OIDS = {name: (oid, size) for oid, (name, size) in _CIPHERS.items()}
# Schemes and ciphers met in the field that csrlib names but does not decrypt.
_UNSUPPORTED = {
    "1.2.840.113549.3.7": "DES-EDE3-CBC", "1.3.14.3.2.7": "DES-CBC",
    "1.2.840.113549.3.2": "RC2-CBC", "1.2.840.113549.1.5.3": "PBES1 (pbeWithMD5AndDES-CBC)",
    "1.2.840.113549.1.5.10": "PBES1 (pbeWithSHA1AndDES-CBC)",
    "1.2.840.113549.1.12.1.3": "PKCS#12 pbeWithSHAAnd3-KeyTripleDES-CBC",
    "1.2.840.113549.1.12.1.6": "PKCS#12 pbeWithSHAAnd40BitRC2-CBC",
    "1.2.840.113549.1.12.1.1": "PKCS#12 pbeWithSHAAnd128BitRC4",
}
_REENCRYPT = ("csrlib decrypts PBES2 with PBKDF2 or scrypt and AES-CBC; re-encrypt the key, "
              "e.g. `openssl pkcs8 -topk8 -v2 aes-256-cbc -in old.pem -out new.pem`")


def _seq(*fields: Any) -> Any:
    return univ.Sequence(componentType=namedtype.NamedTypes(*fields))


def _f(name: str, schema: Any) -> Any:
    return namedtype.NamedType(name, schema)


def _opt(name: str, schema: Any) -> Any:
    return namedtype.OptionalNamedType(name, schema)


def _algorithm() -> Any:
    return _seq(_f("algorithm", univ.ObjectIdentifier()), _opt("parameters", univ.Any()))


_SCHEMAS: dict[str, Any] = {
    # RFC 5958 3
    "EncryptedPrivateKeyInfo": _seq(_f("encryptionAlgorithm", _algorithm()),
                                    _f("encryptedData", univ.OctetString())),
    # RFC 8018 A.4
    "PBES2-params": _seq(_f("keyDerivationFunc", _algorithm()),
                         _f("encryptionScheme", _algorithm())),
    # RFC 8018 A.2; prf is DEFAULT hmacWithSHA1, read as OPTIONAL so that a
    # writer that spells the default out is still read.
    "PBKDF2-params": _seq(_f("salt", univ.OctetString()), _f("iterationCount", univ.Integer()),
                          _opt("keyLength", univ.Integer()), _opt("prf", _algorithm())),
    # RFC 7914 7.1
    "scrypt-params": _seq(_f("salt", univ.OctetString()), _f("costParameter", univ.Integer()),
                          _f("blockSize", univ.Integer()),
                          _f("parallelizationParameter", univ.Integer()),
                          _opt("keyLength", univ.Integer())),
    "AES-IV": univ.OctetString(),
}
_PLANS: dict[str, Plan] = {}


def _decode(name: str, data: bytes) -> Any:
    plan = _PLANS.get(name)
    if plan is None:
        plan = _PLANS[name] = compile_schema(_SCHEMAS[name])
    try:
        return plan.decode_plain(data)
    except DecodeError as exc:
        raise InvalidKey(f"malformed {name}: {exc.kind} at byte {exc.offset}"
                         + (f" ({exc.path})" if exc.path else "")) from None


def password_bytes(password: object) -> bytes:
    """Return a password as octets: bytes as they are, str as UTF-8; TypeError otherwise."""
    if isinstance(password, str):
        return password.encode("utf-8")
    if isinstance(password, bytes | bytearray | memoryview):
        return bytes(password)
    raise TypeError(f"password must be bytes or str, not {type(password).__name__}")


def is_encrypted_pkcs8(der: bytes) -> bool:
    """Return whether ``der`` has the shape of an EncryptedPrivateKeyInfo."""
    try:
        _decode("EncryptedPrivateKeyInfo", der)
    except InvalidKey:
        return False
    return True


def _scheme_name(oid: str) -> str:
    return _UNSUPPORTED.get(oid) or oids.name_of(oid)


def decrypt_pkcs8(der: bytes, password: bytes) -> bytes:
    """Return the PrivateKeyInfo DER inside an EncryptedPrivateKeyInfo.

    Raises InvalidKey: "wrong password or corrupted key" when decryption
    fails, a message naming the scheme for an unsupported one, or one
    naming the field for malformed parameters.
    """
    (scheme, params), encrypted = _decode("EncryptedPrivateKeyInfo", der)
    if scheme != _PBES2:
        raise InvalidKey(f"key encrypted with {_scheme_name(scheme)}, which csrlib does not "
                         f"decrypt; {_REENCRYPT}")
    if params is None:
        raise InvalidKey("PBES2 without its parameters")
    (kdf, kdf_params), (cipher, iv_der) = _decode("PBES2-params", params)
    if cipher not in _CIPHERS:
        raise InvalidKey(f"key encrypted with {_scheme_name(cipher)}, which csrlib does not "
                         f"decrypt; {_REENCRYPT}")
    _, key_size = _CIPHERS[cipher]
    if iv_der is None:
        raise InvalidKey("AES-CBC without its IV")
    iv = _decode("AES-IV", iv_der)
    if len(iv) != aes.BLOCK_SIZE:
        raise InvalidKey(f"AES-CBC IV of {len(iv)} octets, not 16")
    if kdf_params is None:
        raise InvalidKey("key derivation function without its parameters")
    if kdf == _PBKDF2:
        salt, iterations, key_length, prf = _decode("PBKDF2-params", kdf_params)
        hash_name = "sha1"
        if prf is not None:
            prf_oid, prf_params = prf
            if prf_oid not in _PRFS or prf_params not in (None, b"\x05\x00"):
                raise InvalidKey(f"PBKDF2 with the PRF {_scheme_name(prf_oid)}, which csrlib "
                                 "does not support (HMAC-SHA1/224/256/384/512)")
            hash_name = _PRFS[prf_oid]
        _check_key_length(key_length, key_size)
        if not 1 <= iterations <= MAX_ITERATIONS:
            raise InvalidKey(f"PBKDF2 iteration count outside 1..{MAX_ITERATIONS}")
        key = pbkdf2(hash_name, password, salt, iterations, key_size)
    elif kdf == _SCRYPT:
        salt, n, r, p, key_length = _decode("scrypt-params", kdf_params)
        _check_key_length(key_length, key_size)
        try:
            key = scrypt(password, salt, n, r, p, key_size, MAX_SCRYPT_MEMORY)
        except UnsupportedAlgorithm as exc:
            raise InvalidKey(f"key encrypted with scrypt: {exc}") from None
        except ValueError as exc:
            raise InvalidKey(str(exc)) from None
    else:
        raise InvalidKey(f"key derivation function {_scheme_name(kdf)} is not supported "
                         "(PBKDF2 or scrypt)")
    plain = aes.cbc_decrypt(key, iv, encrypted)
    if plain is None:
        raise InvalidKey(WRONG_PASSWORD)
    return plain


def _check_key_length(key_length: int | None, key_size: int) -> None:
    if key_length is not None and key_length != key_size:
        raise InvalidKey(f"keyLength {key_length} does not match the cipher's {key_size}")


def encrypt_pkcs8(
    private_key_info: bytes, password: bytes | str, *, iterations: int = DEFAULT_ITERATIONS,
    hash: str = "sha256", cipher: str = "aes-256-cbc", kdf: str = "pbkdf2",
    scrypt_n: int = 2 ** 17,
) -> bytes:
    """Return a DER EncryptedPrivateKeyInfo (PBES2) holding ``private_key_info``.

    Defaults: PBKDF2 with HMAC-SHA256 and ``iterations`` (600,000), a random
    16-octet salt, AES-256-CBC with a random IV (:mod:`secrets`).  ``hash``:
    sha1, sha224, sha256, sha384 or sha512; ``cipher``: aes-128-cbc,
    aes-192-cbc or aes-256-cbc; ``kdf="scrypt"`` uses scrypt with N =
    ``scrypt_n``, r = 8, p = 1 instead.  Raises ValueError for another choice
    or fewer than 1,000 iterations (RFC 8018 4.2's minimum), TypeError for a
    password that is not bytes or str, InvalidKey for an empty password.
    """
    secret = password_bytes(password)
    if not secret:
        raise InvalidKey("an empty password does not protect a key")
    if cipher not in _CIPHER_OIDS:
        raise ValueError(f"cipher must be one of {', '.join(_CIPHER_OIDS)}")
    cipher_oid, key_size = _CIPHER_OIDS[cipher]
    salt = secrets.token_bytes(16)
    iv = secrets.token_bytes(aes.BLOCK_SIZE)
    if kdf == "pbkdf2":
        if hash not in _PRF_OIDS:
            raise ValueError(f"hash must be one of {', '.join(_PRF_OIDS)}")
        if isinstance(iterations, bool) or not isinstance(iterations, int) or iterations < 1000:
            raise ValueError("PBKDF2 needs at least 1,000 iterations (RFC 8018 4.2)")
        if iterations > MAX_ITERATIONS:
            raise ValueError(f"more than {MAX_ITERATIONS} iterations: csrlib would not read it")
        key = pbkdf2(hash, secret, salt, iterations, key_size)
        # RFC 8018 A.2: prf DEFAULT hmacWithSHA1 is left out (X.690 11.5).
        prf = b"" if hash == "sha1" else tlv(0x30, tlv(0x06, encode_oid(_PRF_OIDS[hash]))
                                              + b"\x05\x00")
        kdf_der = tlv(0x30, tlv(0x06, encode_oid(_PBKDF2)) + tlv(0x30, tlv(0x04, salt) + tlv(
            0x02, encode_integer(iterations)) + prf))
    elif kdf == "scrypt":
        try:
            key = scrypt(secret, salt, scrypt_n, 8, 1, key_size, MAX_SCRYPT_MEMORY)
        except UnsupportedAlgorithm as exc:
            raise ValueError(str(exc)) from None
        params = b"".join(tlv(0x02, encode_integer(v)) for v in (scrypt_n, 8, 1))
        kdf_der = tlv(0x30, tlv(0x06, encode_oid(_SCRYPT)) + tlv(0x30, tlv(0x04, salt) + params))
    else:
        raise ValueError("kdf must be 'pbkdf2' or 'scrypt'")
    scheme = tlv(0x30, tlv(0x06, encode_oid(cipher_oid)) + tlv(0x04, iv))
    algorithm = tlv(0x30, tlv(0x06, encode_oid(_PBES2)) + tlv(0x30, kdf_der + scheme))
    return tlv(0x30, algorithm + tlv(0x04, aes.cbc_encrypt(key, iv, private_key_info)))


def encrypted_pem(private_key_info: bytes, password: bytes | str, **options: Any) -> str:
    """Return :func:`encrypt_pkcs8` as a PEM ``ENCRYPTED PRIVATE KEY`` block (RFC 5958 5)."""
    return encode_pem("ENCRYPTED PRIVATE KEY", encrypt_pkcs8(private_key_info, password,
                                                             **options))


# -- legacy PEM (OpenSSL "traditional" format) ----------------------------------

_LEGACY_AES = {"AES-128-CBC": 16, "AES-192-CBC": 24, "AES-256-CBC": 32}
_HEADER = re.compile(rb"[ \t]*([A-Za-z-]+)[ \t]*:[ \t]*(.*?)[ \t]*")


def decrypt_legacy_pem(raw: bytes, label: str, begin: int, end: int,
                       password: bytes | None) -> bytes:
    """Return the DER key of a legacy encrypted PEM block (``raw[begin:end]`` from its BEGIN).

    The headers must be ``Proc-Type: 4,ENCRYPTED`` then ``DEK-Info:
    <cipher>,<IV hex>``; only AES-128/192/256-CBC are decrypted.  Raises
    InvalidKey: without a password, for another cipher (naming it), for
    malformed headers, and "wrong password or corrupted key".
    """
    lines = raw[begin:end].split(b"\n")[1:]
    headers: dict[bytes, bytes] = {}
    body_start = 0
    for number, line in enumerate(lines):
        line = line.rstrip(b"\r")
        if not line.strip():
            body_start = number + 1
            break
        match = _HEADER.fullmatch(line)
        if match is None:
            raise InvalidKey(f"legacy encrypted PEM {label}: malformed header line")
        headers[match[1].lower()] = match[2]
    else:
        raise InvalidKey(f"legacy encrypted PEM {label}: no empty line after the headers")
    if headers.get(b"proc-type", b"").replace(b" ", b"") != b"4,ENCRYPTED":
        raise InvalidKey(f"legacy PEM {label}: Proc-Type is not 4,ENCRYPTED")
    cipher, _, iv_hex = headers.get(b"dek-info", b"").partition(b",")
    name = cipher.decode("ascii", "replace").strip()[:40].upper()
    if not name:
        raise InvalidKey(f"legacy encrypted PEM {label} without DEK-Info")
    if name not in _LEGACY_AES:
        raise InvalidKey(f"legacy PEM key encrypted with {name}, which csrlib does not decrypt "
                         "(AES-128/192/256-CBC only); re-encrypt it, e.g. `openssl pkcs8 "
                         "-topk8 -v2 aes-256-cbc -in old.pem -out new.pem`")
    try:
        iv = bytes.fromhex(iv_hex.decode("ascii").strip())
    except (UnicodeDecodeError, ValueError):
        iv = b""
    if len(iv) != aes.BLOCK_SIZE:
        raise InvalidKey(f"legacy PEM {label}: DEK-Info IV is not 16 octets of hex")
    if password is None:
        raise InvalidKey(f"the key is encrypted ({label} with Proc-Type: 4,ENCRYPTED, "
                         f"{name}); a password is needed")
    body = b"\n".join(lines[body_start:])
    block = (f"-----BEGIN {label}-----\n".encode("ascii") + body
             + f"\n-----END {label}-----\n".encode("ascii"))
    try:
        found = pem_blocks(block, (label,))
    except DecodeError as exc:
        raise InvalidKey(f"legacy encrypted PEM {label}: {exc.detail or 'bad base64'}") from None
    ciphertext = found[0][1] if found else None
    if not ciphertext:
        raise InvalidKey(WRONG_PASSWORD)
    # OpenSSL PEM_do_header: EVP_BytesToKey(cipher, MD5, iv[:8], password, 1).
    key = evp_bytes_to_key(password, iv[:8], _LEGACY_AES[name])
    plain = aes.cbc_decrypt(key, iv, ciphertext)
    if plain is None:
        raise InvalidKey(WRONG_PASSWORD)
    return plain
