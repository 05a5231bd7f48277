"""Test helpers: deep comparison of pyasn1 objects, small schemas."""

from __future__ import annotations

from typing import Any

from pyasn1.type import namedtype, univ
from pyasn1.type.base import noValue


def assert_same_pyasn1(ours: Any, theirs: Any, path: str = "$") -> None:
    """Assert two pyasn1 objects have the same class and the same instance state."""
    if ours is noValue or theirs is noValue:
        assert ours is theirs, f"{path}: {ours!r} vs {theirs!r}"
        return
    assert type(ours) is type(theirs), f"{path}: {type(ours)} vs {type(theirs)}"
    mine, other = vars(ours), vars(theirs)
    assert mine.keys() == other.keys(), f"{path}: {sorted(mine)} vs {sorted(other)}"
    for key, a in mine.items():
        b = other[key]
        where = f"{path}.{key}"
        if a is b:
            continue
        if key == "_componentValues":
            if isinstance(a, dict):
                assert isinstance(b, dict) and sorted(a) == sorted(b), where
                for idx in a:
                    assert_same_pyasn1(a[idx], b[idx], f"{where}[{idx}]")
            elif a is noValue:
                assert b is noValue, where
            else:
                assert isinstance(b, list) and len(a) == len(b), f"{where}: {a!r} vs {b!r}"
                for idx, (x, y) in enumerate(zip(a, b, strict=True)):
                    assert_same_pyasn1(x, y, f"{where}[{idx}]")
        elif key == "_dynamicNames":
            assert type(a) is type(b), where
            if not isinstance(a, int):
                assert list(a) == list(b), where
        elif key == "_value":
            assert type(a) is type(b), f"{where}: {type(a)} vs {type(b)}"
            assert a == b, f"{where}: {a!r} vs {b!r}"
            if isinstance(a, univ.SizedInteger):
                assert len(a) == len(b), where
        else:
            assert a == b, f"{where}: {a!r} vs {b!r}"


def holder(component: Any, name: str = "value") -> univ.Sequence:
    """Return a SEQUENCE schema with one component, for testing a type under a path."""
    return univ.Sequence(
        componentType=namedtype.NamedTypes(namedtype.NamedType(name, component)))


def tlv(tag: int, content: bytes) -> bytes:
    """Return a DER element with a one-octet tag (test inputs)."""
    n = len(content)
    if n < 0x80:
        return bytes((tag, n)) + content
    k = (n.bit_length() + 7) // 8
    return bytes((tag, 0x80 | k)) + n.to_bytes(k, "big") + content


def oid(dotted: str) -> bytes:
    """Return the DER of an OBJECT IDENTIFIER (test inputs)."""
    from csrlib.der import encode_oid

    return tlv(0x06, encode_oid(dotted))


def name_der(*rdns: list[tuple[str, bytes]]) -> bytes:
    """Return a Name: each RDN a list of (OID, value element), kept in the order given."""
    return tlv(0x30, b"".join(
        tlv(0x31, b"".join(tlv(0x30, oid(o) + v) for o, v in rdn)) for rdn in rdns))


def csr_der(
    *,
    version: bytes = b"\x02\x01\x00",
    subject: bytes | None = None,
    spki: bytes | None = None,
    attributes: bytes | None = b"\xa0\x00",
    signature_algorithm: bytes = bytes.fromhex("300a06082a8648ce3d040302"),
    signature: bytes = b"\x03\x03\x00\x01\x02",
) -> bytes:
    """Return a hand-built CertificationRequest (the signature is not valid)."""
    if subject is None:
        subject = name_der([("2.5.4.3", tlv(0x0C, b"test.example"))])
    if spki is None:
        # A valid P-256 key: the generator point.
        g = bytes.fromhex(
            "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
            "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5")
        spki = tlv(0x30, tlv(0x30, oid("1.2.840.10045.2.1") + oid("1.2.840.10045.3.1.7"))
                   + tlv(0x03, b"\x00" + g))
    tbs = tlv(0x30, version + subject + spki + (attributes or b""))
    return tlv(0x30, tbs + signature_algorithm + signature)


def extension_request(*extensions: bytes) -> bytes:
    """Return ``[0]`` attributes holding one extensionRequest with these Extension elements."""
    value = tlv(0x30, b"".join(extensions))
    attribute = tlv(0x30, oid("1.2.840.113549.1.9.14") + tlv(0x31, value))
    return tlv(0xA0, attribute)


def extension(oid_text: str, value: bytes, critical: bytes = b"") -> bytes:
    """Return an Extension element; ``critical`` is the raw BOOLEAN element, if any."""
    return tlv(0x30, oid(oid_text) + critical + tlv(0x04, value))


def to_plain(value: Any, spec: Any = None) -> Any:
    """Return the plain form (see csrlib.asn1.plain) of a decoded pyasn1 value."""
    from pyasn1.type import char, useful

    from csrlib.der import parse_time

    if value is noValue:
        return None
    if isinstance(value, univ.Choice):
        return value.getName(), to_plain(value.getComponent())
    if isinstance(value, (univ.SequenceOf, univ.SetOf)):
        return [to_plain(v) for v in value]
    if isinstance(value, (univ.Sequence, univ.Set)):
        out = []
        for idx, nt in enumerate(value.componentType.namedTypes):
            comp = value.getComponentByPosition(idx, default=noValue, instantiate=False)
            if comp is noValue and nt.isDefaulted:
                comp = nt.asn1Object
            out.append(to_plain(comp))
        return tuple(out)
    if not value.isValue:
        return None
    if isinstance(value, univ.Boolean):
        return bool(value)
    if isinstance(value, univ.Integer):
        return int(value)
    if isinstance(value, univ.Null):
        return None
    if isinstance(value, univ.ObjectIdentifier):
        return str(value)
    if isinstance(value, univ.BitString):
        nbits = len(value)
        nbytes = (nbits + 7) // 8
        unused = nbytes * 8 - nbits
        return (int(value) << unused).to_bytes(nbytes, "big"), unused
    if isinstance(value, (useful.UTCTime, useful.GeneralizedTime)):
        return parse_time(str(value))
    if isinstance(value, char.AbstractCharacterString):
        return str(value)
    return bytes(value)
