"""Hypothesis strategies for certificate requests: names, extensions, keys, whole CSRs.

For fuzz-testing other parsers (and csrlib itself)::

    from hypothesis import given
    from csrlib.fuzz import strategies

    @given(strategies.csr_ders(max_sans=3))
    def test_my_parser_reads_what_csrlib_writes(der):
        my_parser.load(der)

Every request these strategies make loads strictly in csrlib and verifies;
``malformed_csr_ders()`` breaks one of them in a precisely known way
(:mod:`csrlib.fuzz.mutations`).  Keys are made once, deterministically, from fixed
seeds (never use them for anything real), so signing is fast and examples
reproduce; simpler choices come first, so examples shrink to short names,
one SAN and an Ed25519 key.

This is the only csrlib module that imports hypothesis (``pip install
'csrlib[fuzz]'``).
"""

from __future__ import annotations

import hashlib
import ipaddress
import random
from functools import cache
from math import gcd, prod
from typing import Any

from hypothesis import assume
from hypothesis import strategies as st

from .. import oids
from ..builder import CertificateRequestBuilder
from ..model.extensions import (
    AuthorityKeyIdentifier,
    BasicConstraints,
    CertificatePolicies,
    ExtendedKeyUsage,
    ExtensionValue,
    KeyUsage,
    PolicyInformation,
    SubjectAlternativeName,
    SubjectKeyIdentifier,
    UnrecognizedExtension,
)
from ..model.general_names import (
    DirectoryName,
    DNSName,
    GeneralName,
    IPAddress,
    OtherName,
    RegisteredID,
    RFC822Name,
    UniformResourceIdentifier,
)
from ..model.keys import PublicKey
from ..model.name_attributes import NameAttribute
from ..model.names import Name, RelativeDistinguishedName
from ..request import CertificateRequest

__all__ = [
    "ALGORITHMS",
    "attributes",
    "certificate_requests",
    "csr_ders",
    "extensions",
    "general_names",
    "malformed_csr_ders",
    "names",
    "public_keys",
    "signers",
]

#: The signing algorithms ``signers()`` offers, fastest first.
ALGORITHMS = ("ed25519", "ecdsa-p256", "ecdsa-p384", "ecdsa-p521", "ecdsa-secp256k1", "ed448",
              "rsa-pkcs1-sha256", "rsa-pss-sha256")

# -- keys ---------------------------------------------------------------------


def _seed(label: str) -> bytes:
    return hashlib.sha512(b"csrlib.fuzz.strategies test key: " + label.encode()).digest()


# The product of the odd primes under 2000, to sieve candidates with one gcd.
_SMALL_PRIMES = prod(n for n in range(3, 2000, 2)
                     if all(n % d for d in range(3, int(n ** 0.5) + 1, 2)))


def _prime(rng: random.Random, bits: int) -> int:
    from ..signers.keycheck import probable_prime

    while True:
        candidate = rng.getrandbits(bits) | (3 << (bits - 2)) | 1
        if gcd(candidate, _SMALL_PRIMES) != 1 or (candidate - 1) % 65537 == 0:
            continue
        # Base 2 and then more bases: these keys only need to be real keys.
        if probable_prime(candidate) and all(
                pow(a, candidate - 1, candidate) == 1 for a in (3, 5, 7, 11, 13)):
            return candidate


@cache
def _signer(algorithm: str) -> Any:
    from ..signers import (
        EcdsaSigner,
        EcPrivateNumbers,
        EdDsaSigner,
        EdPrivateSeed,
        RsaPrivateNumbers,
        RsaSigner,
    )

    seed = _seed(algorithm)
    if algorithm in ("ed25519", "ed448"):
        size = 32 if algorithm == "ed25519" else 57
        return EdDsaSigner.from_seed(EdPrivateSeed(algorithm, seed[:size]))
    if algorithm.startswith("ecdsa-"):
        from ..model.curves import CURVES_BY_NAME

        curve = CURVES_BY_NAME[{"p256": "secp256r1", "p384": "secp384r1", "p521": "secp521r1",
                                "secp256k1": "secp256k1"}[algorithm[6:]]]
        secret = int.from_bytes(seed * 2, "big") % (curve.n - 1) + 1
        return EcdsaSigner.from_numbers(EcPrivateNumbers(curve.name, secret))
    rng = random.Random(b"csrlib.fuzz.strategies rsa-2048")  # one key for both RSA algorithms
    p, q = _prime(rng, 1024), _prime(rng, 1024)
    n, e = p * q, 65537
    d = pow(e, -1, (p - 1) * (q - 1))
    return RsaSigner.from_numbers(RsaPrivateNumbers(n, e, d, p, q),
                                  pss=algorithm == "rsa-pss-sha256")


def signers(algorithms: tuple[str, ...] | list[str] = ALGORITHMS) -> st.SearchStrategy[Any]:
    """Signers over fixed test keys, one per algorithm name of :data:`ALGORITHMS`."""
    unknown = set(algorithms) - set(ALGORITHMS)
    if unknown or not algorithms:
        raise ValueError(f"algorithms must be among {ALGORITHMS}")
    return st.sampled_from(list(algorithms)).map(_signer)


def public_keys(algorithms: tuple[str, ...] | list[str] = ALGORITHMS
                ) -> st.SearchStrategy[PublicKey]:
    """The public keys of :func:`signers`."""
    return signers(algorithms).map(lambda s: s.public_key)


# -- names ------------------------------------------------------------------

_PRINTABLE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 '()+,-./:=?"
_ASCII = "".join(chr(c) for c in range(0x20, 0x7F))
_DIRECTORY_TYPES = ("UTF8String", "PrintableString", "BMPString", "UniversalString",
                    "TeletexString")
_TYPES = [oids.COMMON_NAME, oids.ORGANIZATION_NAME, oids.ORGANIZATIONAL_UNIT_NAME,
          oids.LOCALITY_NAME, oids.STATE_OR_PROVINCE_NAME, oids.COUNTRY_NAME,
          oids.SERIAL_NUMBER, "1.2.840.113549.1.9.1", "0.9.2342.19200300.100.1.25"]


def _text(alphabet: str | None, max_size: int) -> st.SearchStrategy[str]:
    if alphabet is None:
        chars = st.characters(min_codepoint=0x20, max_codepoint=0x2FFF,
                              exclude_categories=("Cs", "Cc"))
        return st.text(chars, min_size=1, max_size=max_size)
    return st.text(st.sampled_from(alphabet), min_size=1, max_size=max_size)


@st.composite
def _attribute(draw: st.DrawFn, string_types: tuple[str, ...]) -> NameAttribute:
    oid = draw(st.sampled_from(_TYPES))
    if oid == oids.COUNTRY_NAME:
        code = draw(st.text(st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), min_size=2,
                            max_size=2))
        return NameAttribute(oid, code, "PrintableString")
    if oid in ("1.2.840.113549.1.9.1", "0.9.2342.19200300.100.1.25"):
        # emailAddress and domainComponent are IA5Strings.
        return NameAttribute(oid, draw(_text("abcdefghijklmnopqrstuvwxyz0123456789.@-", 20)),
                             "IA5String")
    string_type = draw(st.sampled_from(string_types))
    alphabet = {"PrintableString": _PRINTABLE, "TeletexString": _ASCII}.get(string_type)
    if oid == oids.SERIAL_NUMBER:
        string_type, alphabet = "PrintableString", _PRINTABLE
    return NameAttribute(oid, draw(_text(alphabet, 24)), string_type)


def names(*, min_rdns: int = 0, max_rdns: int = 4, multi_valued: bool = True,
          string_types: tuple[str, ...] = _DIRECTORY_TYPES) -> st.SearchStrategy[Name]:
    """Distinguished names: up to ``max_rdns`` RDNs (two attributes in one with
    ``multi_valued``), values in ``string_types`` (any DirectoryString type)."""
    bad = set(string_types) - set(_DIRECTORY_TYPES)
    if bad or not string_types:
        raise ValueError(f"string_types must be among {_DIRECTORY_TYPES}")
    one = _attribute(string_types)
    rdn = (st.lists(one, min_size=1, max_size=2 if multi_valued else 1,
                    unique_by=lambda a: (a.oid, a.value))
           .map(lambda attrs: RelativeDistinguishedName(tuple(attrs))))
    return st.lists(rdn, min_size=min_rdns, max_size=max_rdns).map(lambda r: Name(tuple(r)))


# -- general names and extensions -----------------------------------------------

_LABEL = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
_DNS = st.lists(_LABEL, min_size=2, max_size=4).map(".".join)
_OIDS = st.tuples(st.sampled_from([1, 2]), st.integers(0, 39),
                  st.lists(st.integers(0, 2 ** 32), max_size=5)).map(
    lambda t: ".".join(map(str, (t[0], t[1], *t[2]))))


def general_names(*, forms: tuple[str, ...] = ("DNS", "IP", "email", "URI", "RID", "dirName",
                                               "otherName")) -> st.SearchStrategy[GeneralName]:
    """One GeneralName of the ``forms`` given (names as in ``DNS:`` strings)."""
    choices: dict[str, st.SearchStrategy[GeneralName]] = {
        "DNS": _DNS.map(DNSName),
        "IP": st.ip_addresses().map(lambda ip: IPAddress(ipaddress.ip_address(ip))),
        "email": st.tuples(_LABEL, _DNS).map(lambda t: RFC822Name(f"{t[0]}@{t[1]}")),
        "URI": _DNS.map(lambda d: UniformResourceIdentifier(f"https://{d}/")),
        "RID": _OIDS.map(RegisteredID),
        "dirName": names(min_rdns=1, max_rdns=2).map(DirectoryName),
        "otherName": st.tuples(_OIDS, _text(None, 10)).map(
            lambda t: OtherName(t[0], b"\x0c" + bytes([len(t[1].encode())]) + t[1].encode())
            if len(t[1].encode()) < 128 else OtherName(t[0], b"\x05\x00")),
    }
    unknown = set(forms) - set(choices)
    if unknown or not forms:
        raise ValueError(f"forms must be among {tuple(choices)}")
    return st.one_of(*(choices[f] for f in forms))


_USAGES = ("digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
           "key_agreement", "key_cert_sign", "crl_sign", "encipher_only", "decipher_only")
_PURPOSES = ("serverAuth", "clientAuth", "codeSigning", "emailProtection", "timeStamping",
             "OCSPSigning")


def _key_usage(bits: set[str]) -> KeyUsage:
    # encipherOnly and decipherOnly mean something only with keyAgreement
    # (RFC 5280 4.2.1.3); cryptography refuses them without it.
    if bits & {"encipher_only", "decipher_only"}:
        bits = bits | {"key_agreement"}
    return KeyUsage(**dict.fromkeys(bits, True))


def _unknown_extension() -> st.SearchStrategy[ExtensionValue]:
    values = st.one_of(st.just(b"\x05\x00"), st.integers(-(2 ** 64), 2 ** 64).map(_der_int),
                       _text(None, 20).map(_der_utf8))
    return st.tuples(st.sampled_from(["1.3.6.1.4.1.99999.1", "1.3.6.1.4.1.99999.2"]),
                     values).map(lambda t: UnrecognizedExtension(t[0], t[1]))


def _der_int(value: int) -> bytes:
    from ..der.primitives import encode_integer
    from ..der.tlv import tlv

    return tlv(0x02, encode_integer(value))


def _der_utf8(text: str) -> bytes:
    from ..der.tlv import tlv

    return tlv(0x0C, text.encode())


def extensions(*, max_sans: int = 5, san_forms: tuple[str, ...] | None = None,
               include_unknown: bool = False, min_size: int = 0,
               ) -> st.SearchStrategy[list[tuple[ExtensionValue, bool | None]]]:
    """Lists of ``(extension value, critical or None)``, each extension type at most once.

    subjectAltName (1..``max_sans`` names), keyUsage, extendedKeyUsage,
    basicConstraints, subjectKeyIdentifier, authorityKeyIdentifier,
    certificatePolicies, and with ``include_unknown`` private-OID extensions
    (whose criticality is always given).
    """
    gn = general_names() if san_forms is None else general_names(forms=san_forms)
    kinds: list[st.SearchStrategy[tuple[ExtensionValue, bool | None]]] = [
        st.tuples(st.lists(gn, min_size=1, max_size=max_sans).map(
            lambda n: SubjectAlternativeName(tuple(n))), st.none()),
        st.tuples(st.sets(st.sampled_from(_USAGES), min_size=1).map(_key_usage), st.none()),
        st.tuples(st.lists(st.sampled_from(_PURPOSES), min_size=1, max_size=3, unique=True).map(
            lambda p: ExtendedKeyUsage(tuple(p))), st.none() | st.booleans()),
        st.tuples(st.one_of(st.just(BasicConstraints(False)), st.integers(0, 5).map(
            lambda n: BasicConstraints(True, n)), st.just(BasicConstraints(True))), st.none()),
        st.tuples(st.binary(min_size=1, max_size=20).map(SubjectKeyIdentifier), st.none()),
        st.tuples(st.binary(min_size=1, max_size=20).map(
            lambda k: AuthorityKeyIdentifier(key_identifier=k)), st.none()),
        st.tuples(st.lists(_OIDS, min_size=1, max_size=3, unique=True).map(
            lambda ps: CertificatePolicies(tuple(PolicyInformation(p) for p in ps))),
            st.none()),
    ]
    if include_unknown:
        kinds.append(st.tuples(_unknown_extension(), st.booleans()))
    return st.lists(st.one_of(*kinds), min_size=min_size, max_size=len(kinds),
                    unique_by=lambda e: e[0].oid)


def attributes(*, string_types: tuple[str, ...] = ("UTF8String", "PrintableString"),
               include_unknown: bool = False,
               ) -> st.SearchStrategy[list[tuple[str, str | bytes, str]]]:
    """Lists of ``(attribute, value, string type)`` for ``builder.add_attribute``:
    challengePassword, unstructuredName and (``include_unknown``) a private OID
    with a DER value."""
    def text_for(string_type: str) -> st.SearchStrategy[str]:
        return _text(_PRINTABLE if string_type == "PrintableString" else None, 16)

    def string_attribute(name: str) -> st.SearchStrategy[tuple[str, str | bytes, str]]:
        return st.sampled_from(string_types).flatmap(
            lambda t: text_for(t).map(lambda v: (name, v, t)))

    kinds = [string_attribute("challengePassword"), string_attribute("unstructuredName")]
    if include_unknown:
        kinds.append(st.integers(0, 2 ** 32).map(
            lambda n: ("1.3.6.1.4.1.99999.9", _der_int(n), "UTF8String")))
    return st.lists(st.one_of(*kinds), max_size=len(kinds), unique_by=lambda a: a[0])


# -- whole requests -----------------------------------------------------------


@st.composite
def certificate_requests(draw: st.DrawFn, *, algorithms: tuple[str, ...] = ALGORITHMS,
                         max_sans: int = 5, string_types: tuple[str, ...] = _DIRECTORY_TYPES,
                         include_unknown: bool = False,
                         with_attributes: bool = True) -> CertificateRequest:
    """Valid, signed requests (strict DER, verifying), steered by the keywords."""
    signer = draw(signers(algorithms))
    subject = draw(names(string_types=string_types))
    exts = draw(extensions(max_sans=max_sans, include_unknown=include_unknown))
    if not subject and not any(isinstance(v, SubjectAlternativeName) for v, _ in exts):
        exts.append((SubjectAlternativeName((draw(general_names(forms=("DNS",))),)), None))
    builder = CertificateRequestBuilder().subject(subject)
    for value, critical in exts:
        builder = builder.add_extension(value, critical)
    if with_attributes:
        for name, text, string_type in draw(attributes(include_unknown=include_unknown)):
            builder = builder.add_attribute(name, text, string_type)
    return builder.sign(signer)


def csr_ders(**options: Any) -> st.SearchStrategy[bytes]:
    """The DER of :func:`certificate_requests` (same keywords)."""
    return certificate_requests(**options).map(lambda req: req.der)


def malformed_csr_ders(*, kinds: tuple[str, ...] | None = None,
                       **options: Any) -> st.SearchStrategy[tuple[bytes, Any]]:
    """``(bytes, Defect)``: a valid request broken in one known way (:mod:`csrlib.fuzz.mutations`).

    ``kinds`` limits the defects (see ``csrlib.fuzz.mutations.KINDS``); the other
    keywords go to :func:`csr_ders`.
    """
    from . import mutations

    chosen = tuple(kinds) if kinds is not None else mutations.KINDS

    @st.composite
    def broken(draw: st.DrawFn) -> tuple[bytes, Any]:
        req = draw(certificate_requests(**options))
        der = req.der
        rng = draw(st.randoms(use_true_random=False))
        # A kind picked by the request's hash (uniform, where a drawn index
        # would favour the first kind), or when this request has no place for
        # it the next that applies.
        # (The TBS, not the whole request: RSA-PSS signatures are randomized.)
        start = int.from_bytes(hashlib.sha256(req.tbs_der).digest()[:4], "big") % len(chosen)
        for kind in chosen[start:] + chosen[:start]:
            found: tuple[bytes, Any] | None = mutations.mutate(der, kind, rng)
            if found is not None:
                return found
        # Only when ``kinds`` has none this request can carry: try another.
        assume(False)
        raise AssertionError  # pragma: no cover

    return broken()
