"""csrlib.model.key_shapes: fixed-shape SPKIs read by their leading octets, as loaded."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from hypothesis import given, settings
from hypothesis import strategies as st

import csrlib
from csrlib import DecodeError, PublicKey
from csrlib.model.key_shapes import read_shaped_key
from tests.helpers import csr_der, tlv

_SPKI = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def _spki(private: Any) -> bytes:
    der: bytes = private.public_key().public_bytes(*_SPKI)
    return der


_KEYS = {
    "P-256": lambda: ec.generate_private_key(ec.SECP256R1()),
    "P-384": lambda: ec.generate_private_key(ec.SECP384R1()),
    "P-521": lambda: ec.generate_private_key(ec.SECP521R1()),
    "secp256k1": lambda: ec.generate_private_key(ec.SECP256K1()),
    "Ed25519": ed25519.Ed25519PrivateKey.generate,
    "Ed448": ed448.Ed448PrivateKey.generate,
    "RSA-2048": lambda: rsa.generate_private_key(65537, 2048),
    "RSA-3072": lambda: rsa.generate_private_key(65537, 3072),
    "RSA-4096": lambda: rsa.generate_private_key(65537, 4096),
}


def _fields(key: PublicKey) -> tuple[Any, ...]:
    names = type(key).__dataclass_fields__
    return (type(key), *(getattr(key, name) for name in names))


@pytest.mark.parametrize("label", list(_KEYS))
def test_a_fixed_shape_key_is_the_key_a_strict_load_reads(label: str) -> None:
    der = _spki(_KEYS[label]())
    shaped = read_shaped_key(der)
    assert shaped is not None
    assert _fields(shaped) == _fields(PublicKey.from_der(der))


@pytest.mark.parametrize("label", ["P-256", "P-384", "P-521", "secp256k1"])
def test_points_that_are_not_plain_go_the_long_way(label: str) -> None:
    key = _KEYS[label]().public_key()
    der = key.public_bytes(*_SPKI)
    # A y moved off the curve: refused by the strict load, None here.
    off = bytearray(der)
    off[-1] ^= 1
    assert read_shaped_key(bytes(off)) is None
    with pytest.raises(DecodeError, match=r"bad-key|not on the curve"):
        PublicKey.from_der(bytes(off))
    # A compressed point (another length) and a hybrid form byte (0x06).
    point = key.public_bytes(serialization.Encoding.X962,
                             serialization.PublicFormat.CompressedPoint)
    algorithm = der[2:4 + der[3]] if der[1] < 0x80 else der[3:5 + der[4]]
    compressed = tlv(0x30, algorithm + tlv(0x03, b"\x00" + point))
    assert read_shaped_key(compressed) is None
    assert _fields(PublicKey.from_der(compressed)) != _fields(PublicKey.from_der(der))
    hybrid = bytearray(der)
    hybrid[len(der) - 2 * ((key.curve.key_size + 7) // 8) - 1] = 0x06
    assert read_shaped_key(bytes(hybrid)) is None


def test_other_shapes_go_the_long_way() -> None:
    for exponent, bits in ((3, 2048), (65537, 1024), (65537, 2056)):
        rsa_der = _spki(rsa.generate_private_key(exponent, bits))
        assert read_shaped_key(rsa_der) is None
    ed = bytearray(_spki(ed25519.Ed25519PrivateKey.generate()))
    ed[8] ^= 1  # the OID's last octet: another algorithm
    assert read_shaped_key(bytes(ed)) is None
    assert read_shaped_key(b"") is None and read_shaped_key(bytes(91)) is None


def _rsa_spki(modulus: bytes, exponent: bytes) -> bytes:
    """Return an rsaEncryption SPKI of these INTEGER contents, written out by hand (RFC 3279)."""
    algorithm = tlv(0x30, bytes.fromhex("06092a864886f70d010101") + b"\x05\x00")
    key = tlv(0x30, tlv(0x02, modulus) + tlv(0x02, exponent))
    return tlv(0x30, algorithm + tlv(0x03, b"\x00" + key))


@pytest.mark.parametrize("size", [256, 384, 512])
def test_an_rsa_modulus_or_exponent_off_the_shape_goes_the_long_way(size: int) -> None:
    top = b"\xc5" + bytes(i % 251 for i in range(size - 1))
    shaped = _rsa_spki(b"\x00" + top, b"\x01\x00\x01")
    key = read_shaped_key(shaped)
    assert key is not None and _fields(key) == _fields(PublicKey.from_der(shaped))
    assert key.n == int.from_bytes(top) and key.e == 65537  # type: ignore[attr-defined]
    # A needless leading zero (X.690 8.3.2), at the shape's length: refused by a strict load.
    padded = _rsa_spki(b"\x00\x45" + top[1:], b"\x01\x00\x01")
    assert len(padded) == len(shaped) and read_shaped_key(padded) is None
    with pytest.raises(DecodeError, match="non-minimal INTEGER"):
        PublicKey.from_der(padded)
    # Another exponent of the same length: read the long way.
    other = _rsa_spki(b"\x00" + top, b"\x01\x00\x03")
    assert len(other) == len(shaped) and read_shaped_key(other) is None
    assert PublicKey.from_der(other).e == 65539  # type: ignore[attr-defined]


_P256 = _spki(ec.generate_private_key(ec.SECP256R1()))
_ED25519 = _spki(ed25519.Ed25519PrivateKey.generate())
_RSA2048 = _spki(rsa.generate_private_key(65537, 2048))


@settings(max_examples=600, deadline=None)
@given(st.sampled_from([_P256, _ED25519, _RSA2048]), st.integers(0, 600), st.integers(1, 255))
def test_any_changed_octet_gives_the_strict_reading_or_none(der: bytes, where: int,
                                                            flip: int) -> None:
    changed = bytearray(der)
    changed[where % len(der)] ^= flip
    shaped = read_shaped_key(bytes(changed))
    if shaped is None:
        return
    # Whatever it reads, a strict load reads the same key.
    assert _fields(shaped) == _fields(PublicKey.from_der(bytes(changed)))


@pytest.mark.parametrize("label", list(_KEYS))
def test_a_load_reads_a_fixed_shape_key_as_the_spki_reader_does(label: str) -> None:
    # load() takes the shape's path; PublicKey.from_der reads the SPKI alone.
    der = _spki(_KEYS[label]())
    for strict in (True, False):
        loaded = csrlib.load(csr_der(spki=der), strict=strict)
        assert _fields(loaded.public_key) == _fields(PublicKey.from_der(der))
        assert not loaded.deviations


def test_a_load_of_a_shaped_key_off_its_curve_refuses_it_or_records_it() -> None:
    der = bytearray(_P256)
    der[-1] ^= 1
    with pytest.raises(DecodeError) as info:
        csrlib.load(csr_der(spki=bytes(der)))
    assert info.value.kind == "bad-key"
    lenient = csrlib.load(csr_der(spki=bytes(der)), strict=False)
    assert [d.kind for d in lenient.deviations] == ["bad-key"]
    assert lenient.public_key.der == bytes(der)


def test_the_written_out_sizes_are_the_shapes_lengths() -> None:
    from csrlib.model import key_shapes

    read_shaped_key(_P256)  # the tables are made on first use
    made = set(key_shapes._EC_SHAPES) | set(key_shapes._ED_SHAPES) | set(key_shapes._RSA_SHAPES)
    assert made == key_shapes.SHAPED_SIZES
    assert {len(_spki(make())) for make in _KEYS.values()} == key_shapes.SHAPED_SIZES
