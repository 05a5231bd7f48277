"""Reading private key files: PKCS#8, PKCS#1 and SEC1.

:func:`read_private_key` takes PEM or DER, told apart by the data's shape
as :func:`csrlib.load` does (:func:`csrlib.pem.detect_format`: DER when a
SEQUENCE header's length is the input's, else PEM when it is text, with
any explanatory lines before the BEGIN line; a DER key carrying PEM text
in a value is that DER key), and returns a
:data:`~csrlib.signers.private.PrivateKeyData` record:

==========================  ==================================================
PEM label                   structure
==========================  ==================================================
``PRIVATE KEY``             PKCS#8 PrivateKeyInfo / OneAsymmetricKey v1 or v2
                            (RFC 5208, RFC 5958) holding an rsaEncryption or
                            id-RSASSA-PSS key (RFC 8017 A.1.2), an
                            id-ecPublicKey key on a named curve (RFC 5915),
                            an Ed25519 / Ed448 key (RFC 8410), or an
                            ML-DSA key (RFC 9881 6: seed, expandedKey or both)
``RSA PRIVATE KEY``         PKCS#1 RSAPrivateKey, two-prime (version 0) only
``EC PRIVATE KEY``          SEC1 ECPrivateKey (RFC 5915) with its [0]
                            namedCurve; an ``EC PARAMETERS`` block before it
                            (``openssl ecparam -genkey``) is skipped
==========================  ==================================================

DER input is tried as PKCS#8, then PKCS#1, then SEC1; when none matches,
the error of the one that matched furthest is reported.  Every structure
goes through csrlib's strict DER codec, and the key is checked before it
is returned (:mod:`csrlib.signers.keycheck`): RSA at most
:data:`~csrlib.model.keys.MAX_RSA_BITS` bits, n = p·q with balanced, coprime
p and q, gcd(e, λ) = 1, e·d ≡ 1 mod λ = lcm(p-1, q-1), the CRT values of
PKCS#1 equal to those the primes give, p and q probable primes (random-base
Miller-Rabin and a strong Lucas test); an EC secret in 1..n-1 whose
public point, when the file carries one, is on the curve and equals
secret·G; an EdDSA seed of 32 or 57 octets whose public key, when present,
is the one the seed derives.  A PKCS#8 v2 ``publicKey`` must match the key
in the same way.  An id-RSASSA-PSS key comes back with
``pss_only=True`` and its RSASSA-PSS-params, checked as a verifier reads
them (RFC 4055 3.1: trailerField 1, MGF1 with its hash, salt length 0 or
more); the signer keeps that restriction.

Encrypted keys (``ENCRYPTED PRIVATE KEY``, DER EncryptedPrivateKeyInfo with
PBES2, and legacy PEM with ``Proc-Type: 4,ENCRYPTED``) are decrypted with
``password`` by :mod:`csrlib.signers.encrypted_keys`; without one they are
refused, saying a password is needed.  Once decrypted, anything wrong with
the structure or the key inside raises exactly ``InvalidKey("wrong
password or corrupted key")`` (a wrong password yields garbage, and which
check the garbage fails must not be told), except a well-formed key of an
algorithm or curve csrlib does not support, which says so.  A ``password``
given for a key that is not encrypted is refused too, because a caller who
passes one expects a protected key and should learn that the file on disk
is in the clear.

Writing them is :mod:`csrlib.signers.key_writing`.

Secrecy: every failure raises :class:`~csrlib.errors.InvalidKey`, and no
message (nor any exception chained to it) holds key material: messages name
formats, fields, byte offsets and lengths only.  For any input bytes,
nothing but InvalidKey escapes :func:`read_private_key`.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from pyasn1.type import namedtype, tag, univ

from .. import oids
from ..asn1 import Plan, compile_schema
from ..der.primitives import decode_oid
from ..der.tlv import Context, read_header
from ..errors import KINDS, DecodeError, InvalidKey
from ..key_schemas import RsaPublicKey
from ..model.curves import CURVES, Curve, decode_point
from ..model.ml_dsa_keys import ML_DSA_OIDS
from ..model.ml_kem_keys import ML_KEM_OIDS
from ..pem import detect_format, pem_blocks
from ..schemas import SpannedOctetString
from .encrypted_keys import (
    WRONG_PASSWORD,
    decrypt_legacy_pem,
    decrypt_pkcs8,
    is_encrypted_pkcs8,
    password_bytes,
)
from .keycheck import check_ec, check_ed, check_rsa, pss_public_key
from .private import (
    EcPrivateNumbers,
    EdPrivateSeed,
    MlKemKeyParts,
    PrivateKeyData,
    RsaPrivateNumbers,
)

__all__ = ["read_key_file", "read_private_key"]

#: What a key file may hold: a signing key, or an ML-KEM key (RFC 9935), which cannot sign.
AnyKey = PrivateKeyData | MlKemKeyParts

# -- schemas (RFC 5958 A, RFC 8017 A.1.2, RFC 5915 3, RFC 8410 7) -------------


def _seq(*fields: Any) -> Any:
    return univ.Sequence(componentType=namedtype.NamedTypes(*fields))


def _ctx(number: int, constructed: bool) -> tag.Tag:
    return tag.Tag(tag.tagClassContext,
                   tag.tagFormatConstructed if constructed else tag.tagFormatSimple, number)


def _field(name: str, schema: Any, optional: bool = False) -> Any:
    return (namedtype.OptionalNamedType if optional else namedtype.NamedType)(name, schema)


_ALGORITHM = _seq(_field("algorithm", univ.ObjectIdentifier()),
                  _field("parameters", univ.Any(), optional=True))
_ATTRIBUTE = _seq(_field("attrType", univ.ObjectIdentifier()),
                  _field("attrValues", univ.SetOf(componentType=univ.Any())))
# The module of RFC 5958 has IMPLICIT TAGS.  The privateKey is spanned so
# errors inside it can carry offsets in the whole input.
_ONE_ASYMMETRIC_KEY = _seq(
    _field("version", univ.Integer()),
    _field("privateKeyAlgorithm", _ALGORITHM),
    _field("privateKey", SpannedOctetString()),
    _field("attributes", univ.SetOf(componentType=_ATTRIBUTE).subtype(
        implicitTag=_ctx(0, True)), optional=True),
    _field("publicKey", univ.BitString().subtype(implicitTag=_ctx(1, False)), optional=True),
)
_RSA_PRIVATE_KEY = _seq(
    *(_field(name, univ.Integer()) for name in (
        "version", "modulus", "publicExponent", "privateExponent", "prime1", "prime2",
        "exponent1", "exponent2", "coefficient")),
    _field("otherPrimeInfos", univ.SequenceOf(componentType=_seq(
        *(_field(name, univ.Integer()) for name in ("prime", "exponent", "coefficient")))),
        optional=True),
)
# RFC 5915 uses EXPLICIT tags for [0] and [1].
_EC_PRIVATE_KEY = _seq(
    _field("version", univ.Integer()),
    _field("privateKey", univ.OctetString()),
    _field("parameters", univ.Any().subtype(explicitTag=_ctx(0, True)), optional=True),
    _field("publicKey", univ.BitString().subtype(explicitTag=_ctx(1, True)), optional=True),
)

_PKCS8, _PKCS1, _SEC1 = "PKCS#8 PrivateKeyInfo", "PKCS#1 RSAPrivateKey", "SEC1 ECPrivateKey"
_CURVE_PRIVATE_KEY = "RFC 8410 CurvePrivateKey"
# Schemas by the structure name errors use; compiled on first use.
_SCHEMAS: dict[str, Any] = {
    _PKCS8: _ONE_ASYMMETRIC_KEY,
    _PKCS1: _RSA_PRIVATE_KEY,
    _SEC1: _EC_PRIVATE_KEY,
    _CURVE_PRIVATE_KEY: univ.OctetString(),
    "RSAPublicKey": RsaPublicKey(),
}
_PLANS: dict[str, Plan] = {}


def _plan(name: str) -> Plan:
    found = _PLANS.get(name)
    if found is None:
        found = _PLANS[name] = compile_schema(_SCHEMAS[name])
    return found


_LABELS = {"PRIVATE KEY": _PKCS8, "RSA PRIVATE KEY": _PKCS1, "EC PRIVATE KEY": _SEC1}
_ENCRYPTED_LABEL = "ENCRYPTED PRIVATE KEY"
_NEEDS_PASSWORD = "the key is encrypted ({}); a password is needed"
# RFC 1421 4.6.1: the headers of a legacy encrypted PEM block.
_LEGACY_HEADER = re.compile(rb"^[ \t]*(?:Proc-Type|DEK-Info)[ \t]*:", re.MULTILINE)
_ED_SIZES = {oids.ED25519: ("ed25519", 32), oids.ED448: ("ed448", 57)}

# -- reading -------------------------------------------------------------------


def read_private_key(data: bytes | str, password: bytes | str | None = None) -> PrivateKeyData:
    """Return the signing key in a PEM or DER key file; raise InvalidKey if it cannot be used.

    See the module docstring for the formats and checks.  ``password``
    (bytes, or str taken as UTF-8) decrypts an encrypted key; a password
    for a key in the clear raises InvalidKey ("key is not encrypted"), and
    an encrypted key without one InvalidKey ("a password is needed").  An
    ML-KEM key raises InvalidKey: it cannot sign (read it with
    :meth:`MlKemPrivateKey.from_pem`).  Raises TypeError only when
    ``data`` is not bytes or str, or ``password`` not bytes, str or None.
    """
    key = read_key_file(data, password)
    if isinstance(key, MlKemKeyParts):
        raise InvalidKey(f"an {key.key_type} key cannot sign (ML-KEM is a key "
                         "encapsulation mechanism): it makes no signer; read it with "
                         "MlKemPrivateKey.from_pem or from_der")
    return key


def read_key_file(data: bytes | str, password: bytes | str | None = None) -> AnyKey:
    """Return the key in a PEM or DER key file, ML-KEM keys included (see read_private_key)."""
    secret = None if password is None else password_bytes(password)
    if isinstance(data, str):
        raw = data.encode("utf-8", "replace")
    elif isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data)
    else:
        raise TypeError(f"data must be bytes or str, not {type(data).__name__}")
    if not raw:
        raise InvalidKey("no private key: the input is empty")
    # The rule of csrlib.load: judged from the data's shape, never by a
    # search for "-----BEGIN", which a DER key may carry in a value.
    reader = _read_der if detect_format(raw) == "der" else _read_pem
    key, encrypted = reader(raw, secret)
    if secret is not None and not encrypted:
        raise InvalidKey("key is not encrypted, but a password was given; pass password=None")
    return key


def _decrypted(plain: bytes, structure: str) -> AnyKey:
    """Return the key in decrypted octets; any failure but an unsupported key is WRONG_PASSWORD.

    The error is raised after the ``except`` blocks, not inside them, so that
    no exception is chained to it, not even as ``__context__``: what went
    wrong in octets a wrong password made must not show (a padding that
    happened to be valid is as wrong as one that was not).
    """
    try:
        value = _plan(structure).decode_plain(plain)
    except DecodeError:
        value = None
    if value is not None:
        try:
            return _INTERPRET[structure](value)
        except InvalidKey as exc:
            if str(exc).startswith("unsupported"):
                raise
    raise InvalidKey(WRONG_PASSWORD)


def _encrypted_pkcs8(der: bytes, password: bytes | None) -> tuple[AnyKey, bool]:
    if password is None:
        raise InvalidKey(_NEEDS_PASSWORD.format("ENCRYPTED PRIVATE KEY, PKCS#8 "
                                                "EncryptedPrivateKeyInfo"))
    return _decrypted(decrypt_pkcs8(der, password), _PKCS8), True


def _read_pem(raw: bytes, password: bytes | None) -> tuple[AnyKey, bool]:
    try:
        found = pem_blocks(raw, ())
    except DecodeError as exc:
        raise _malformed("PEM", exc) from None
    labels = [label for label, _ in found if label in _LABELS or label == _ENCRYPTED_LABEL]
    if not labels:
        others = ", ".join(dict.fromkeys(label[:40] for label, _ in found[:4]))
        raise InvalidKey("no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY PEM block"
                         + (f" (found {others})" if others else ""))
    if len(labels) > 1:
        raise InvalidKey("several private key PEM blocks; pass one key at a time")
    label = labels[0]
    begin = raw.find(f"-----BEGIN {label}-----".encode("ascii"))
    end = raw.find(b"-----END", begin + 1)
    if label == _ENCRYPTED_LABEL:
        try:
            der = next(body for name, body in pem_blocks(raw, (label,)) if name == label)
        except DecodeError as exc:
            raise _malformed(f"PEM {label} block", exc) from None
        assert der is not None
        return _encrypted_pkcs8(der, password)
    if _LEGACY_HEADER.search(raw, begin, end):
        plain = decrypt_legacy_pem(raw, label, begin, end, password)
        return _decrypted(plain, _LABELS[label]), True
    try:
        der = next(body for name, body in pem_blocks(raw, (label,)) if name == label)
    except DecodeError as exc:
        raise _malformed(f"PEM {label} block", exc) from None
    assert der is not None
    structure = _LABELS[label]
    value = _decode(_plan(structure), der, 0, structure)
    return _INTERPRET[structure](value), False


def _read_der(der: bytes, password: bytes | None) -> tuple[AnyKey, bool]:
    errors: list[tuple[str, DecodeError]] = []
    for structure in (_PKCS8, _PKCS1, _SEC1):
        try:
            value = _plan(structure).decode_plain(der)
        except DecodeError as exc:
            errors.append((structure, exc))
            continue
        # The three differ in their second component (SEQUENCE, INTEGER,
        # OCTET STRING), so at most one decodes: its verdict is final.
        return _INTERPRET[structure](value), False
    if is_encrypted_pkcs8(der):
        return _encrypted_pkcs8(der, password)
    structure, furthest = max(errors, key=lambda item: item[1].offset)
    raise _malformed(structure, furthest, prefix="not a PKCS#8, PKCS#1 or SEC1 private key: ")


def _malformed(structure: str, exc: DecodeError, base: int = 0, prefix: str = "") -> InvalidKey:
    """Return the InvalidKey for a DecodeError: kind, offset and path, never contents."""
    text = KINDS.get(exc.kind, "malformed input")
    if exc.kind == "pem" and exc.detail:
        text = exc.detail
    # Constraint details may quote a value; the others describe tags and fields.
    elif exc.detail and exc.kind != "constraint":
        text += f" ({exc.detail})"
    where = f" ({exc.path})" if exc.path else ""
    return InvalidKey(f"{prefix}malformed {structure}: {text} at byte {base + exc.offset}{where}")


def _decode(plan: Plan, data: bytes, base: int, structure: str) -> Any:
    try:
        return plan.decode_plain(data)
    except DecodeError as exc:
        raise _malformed(structure, exc, base) from None


def _oid_text(oid: str) -> str:
    name = oids.name_of(oid)
    return oid if name == oid else f"{name} ({oid})"


def _interpret_pkcs8(value: Any) -> AnyKey:
    version, (algorithm, params), (private, _, private_end), _attributes, public = value
    base = private_end - len(private)
    # RFC 5958 2: v1 (0) without publicKey, v2 (1) with it; v2 without it is
    # accepted, as OpenSSL does.
    if version not in (0, 1):
        raise InvalidKey("PKCS#8 key of an unsupported version (expected 0 or 1)")
    if version == 0 and public is not None:
        raise InvalidKey("PKCS#8 v1 key (version 0) with a publicKey [1]; RFC 5958 "
                         "requires v2 (version 1)")
    public_bits = None
    if public is not None:
        if public[1]:
            raise InvalidKey("PKCS#8 publicKey BIT STRING with unused bits")
        public_bits = public[0]
    if algorithm in (oids.RSA_ENCRYPTION, oids.RSASSA_PSS):
        if algorithm == oids.RSA_ENCRYPTION and params != b"\x05\x00":
            # RFC 8017 A.1: the parameters of rsaEncryption are NULL.
            raise InvalidKey("PKCS#8 rsaEncryption parameters must be NULL")
        where = f"{_PKCS1} in PKCS#8 privateKey"
        rsa = _rsa_key(_decode(_plan(_PKCS1), private, base, where), where)
        if public_bits is not None:
            n, e = _decode(_plan("RSAPublicKey"), public_bits, 0, "PKCS#8 publicKey")
            if (n, e) != (rsa.n, rsa.e):
                raise InvalidKey("PKCS#8 publicKey does not match the RSA private key")
        if algorithm == oids.RSASSA_PSS:
            # RFC 4055 3.1: parameters absent, or RSASSA-PSS-params restricting the key.
            pss_public_key(rsa.n, rsa.e, params)
            return replace(rsa, pss_only=True, pss_parameters=params)
        return rsa
    if algorithm == oids.EC_PUBLIC_KEY:
        if params is None:
            # RFC 5480 2.1.1: the parameters are always present.
            raise InvalidKey("PKCS#8 id-ecPublicKey without curve parameters")
        curve = _named_curve(params, "PKCS#8 privateKeyAlgorithm.parameters")
        where = f"{_SEC1} in PKCS#8 privateKey"
        return _ec_key(_decode(_plan(_SEC1), private, base, where), where, curve, public_bits)
    if algorithm in _ED_SIZES:
        key_type, size = _ED_SIZES[algorithm]
        if params is not None:
            # RFC 8410 3: the parameters MUST be absent.
            raise InvalidKey(f"PKCS#8 {key_type} key with algorithm parameters")
        # RFC 8410 7: privateKey holds the DER of CurvePrivateKey, an OCTET STRING.
        seed = _decode(_plan(_CURVE_PRIVATE_KEY), private, base,
                       f"{_CURVE_PRIVATE_KEY} in PKCS#8 privateKey")
        if len(seed) != size:
            raise InvalidKey(f"{key_type} private key is {len(seed)} octets, not {size}")
        if public_bits is not None and len(public_bits) != size:
            raise InvalidKey(f"{key_type} public key is {len(public_bits)} octets, not {size}")
        ed = EdPrivateSeed(key_type, seed, public_bits)
        check_ed(ed)
        return ed
    if algorithm in ML_DSA_OIDS:
        if params is not None:
            # RFC 9881 6: the parameters MUST be absent.
            raise InvalidKey(f"PKCS#8 {ML_DSA_OIDS[algorithm]} key with algorithm parameters")
        from .ml_dsa_keys import read_ml_dsa_private_key

        return read_ml_dsa_private_key(ML_DSA_OIDS[algorithm], private, public_bits)
    if algorithm in ML_KEM_OIDS:
        if params is not None:
            # RFC 9935 3 and 6: the parameters MUST be absent.
            raise InvalidKey(f"PKCS#8 {ML_KEM_OIDS[algorithm]} key with algorithm parameters")
        # Checked by MlKemPrivateKey (csrlib.signers.ml_kem), which reads this module.
        return MlKemKeyParts(ML_KEM_OIDS[algorithm], bytes(private), public_bits)
    raise InvalidKey(f"unsupported private key algorithm {_oid_text(algorithm)}")


def _interpret_pkcs1(value: Any) -> PrivateKeyData:
    return _rsa_key(value, _PKCS1)


def _interpret_sec1(value: Any) -> PrivateKeyData:
    return _ec_key(value, _SEC1, None, None)


_INTERPRET = {_PKCS8: _interpret_pkcs8, _PKCS1: _interpret_pkcs1, _SEC1: _interpret_sec1}


def _rsa_key(value: Any, where: str) -> RsaPrivateNumbers:
    version, n, e, d, p, q, dp, dq, qinv, others = value
    # RFC 8017 A.1.2: version 1 (multi) is for keys of more than two primes.
    if version == 1 or others is not None:
        raise InvalidKey(f"{where}: multi-prime RSA keys are not supported")
    if version != 0:
        raise InvalidKey(f"{where}: unsupported version (expected 0)")
    key = RsaPrivateNumbers(n, e, d, p, q)
    check_rsa(key, (dp, dq, qinv))
    return key


def _named_curve(params: bytes, where: str) -> Curve:
    """Return the curve of ECParameters (RFC 5480 2.1.1); only namedCurve is accepted."""
    ctx = Context()
    try:
        key, c, e = read_header(params, 0, len(params), ctx)
        oid = decode_oid(params, c, e, ctx)[0] if key == 0x06 else ""
    except DecodeError as exc:
        raise _malformed(where, exc) from None
    if key == 0x30:
        raise InvalidKey(f"{where}: explicit curve parameters (specifiedCurve) are not "
                         "supported; use a named curve")
    if key != 0x06 or e != len(params):
        raise InvalidKey(f"{where}: not a namedCurve OBJECT IDENTIFIER")
    curve = CURVES.get(oid)
    if curve is None:
        raise InvalidKey(f"unsupported curve {_oid_text(oid)}")
    return curve


def _ec_key(value: Any, where: str, outer: Curve | None,
            outer_public: bytes | None) -> EcPrivateNumbers:
    version, secret, params, public = value
    if version != 1:
        # RFC 5915 3: ecPrivkeyVer1.
        raise InvalidKey(f"{where}: unsupported version (expected 1)")
    curve = outer
    if params is not None:
        inner = _named_curve(params, f"{where} parameters")
        if outer is not None and inner is not outer:
            raise InvalidKey(f"{where}: parameters name {inner.name}, but the PKCS#8 "
                             f"algorithm names {outer.name}")
        curve = inner
    if curve is None:
        raise InvalidKey(f"{where}: no curve parameters")
    if len(secret) != curve.size:
        # RFC 5915 3: ceiling(log2(n)/8) octets.
        raise InvalidKey(f"{where}: privateKey is {len(secret)} octets, not {curve.size} "
                         f"for {curve.name}")
    points = []
    for bits, field in ((public, f"{where} publicKey"), (outer_public, "PKCS#8 publicKey")):
        if bits is None:
            continue
        if isinstance(bits, tuple):
            bits, unused = bits
            if unused:
                raise InvalidKey(f"{field}: BIT STRING with unused bits")
        point = decode_point(curve, bits)
        if isinstance(point, str):
            raise InvalidKey(f"{field}: invalid EC point ({point})")
        points.append(point)
    if len(points) == 2 and points[0] != points[1]:
        raise InvalidKey(f"{where}: the two public keys in the file differ")
    key = EcPrivateNumbers(curve.name, int.from_bytes(secret, "big"),
                           points[0] if points else None)
    check_ec(key)
    return key
