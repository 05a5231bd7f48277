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
    rsa_der = _spki(rsa.generate_private_key(65537, 2048))
    assert read_shaped_key(rsa_der) is None
    ed = bytearray(_spki(ed25519.Ed25519PrivateKey.generate()))
    ed[8] ^= 1  # the OID's last octet: another algorithm
    assert read_shaped_key(bytes(ed)) is None
    assert read_shaped_key(b"") is None and read_shaped_key(bytes(91)) is None


_P256 = _spki(ec.generate_private_key(ec.SECP256R1()))
_ED25519 = _spki(ed25519.Ed25519PrivateKey.generate())


@settings(max_examples=400, deadline=None)
@given(st.sampled_from([_P256, _ED25519]), st.integers(0, 90), st.integers(1, 255))
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
    assert set(key_shapes._EC_SHAPES) | set(key_shapes._ED_SHAPES) == key_shapes.SHAPED_SIZES
    assert {len(_spki(make())) for make in _KEYS.values()} == key_shapes.SHAPED_SIZES
