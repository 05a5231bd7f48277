"""csrlib.model.lazy: a loaded collection of many elements behaves as the tuple of them."""

from __future__ import annotations

import pickle
from array import array

import pytest
from hypothesis import given
from hypothesis import strategies as st

import csrlib
from csrlib.model.general_names import KEPT_NAMES, KEPT_OCTETS
from csrlib.model.lazy import EAGER_MAX, STEP, LazySequence, Repeats, sorted_positions
from tests.helpers import csr_der, extension, extension_request, name_der, oid, tlv


def _dns_names(count: int) -> tuple[csrlib.SubjectAlternativeName, tuple[csrlib.DNSName, ...]]:
    hosts = [f"h{i}.example" for i in range(count)]
    san = tlv(0x30, b"".join(tlv(0x82, h.encode()) for h in hosts))
    req = csrlib.load(csr_der(attributes=extension_request(extension("2.5.29.17", san))))
    value = req.extensions.value(csrlib.SubjectAlternativeName)
    assert value is not None
    return value, tuple(csrlib.DNSName(h) for h in hosts)


@pytest.mark.parametrize("count", [EAGER_MAX, EAGER_MAX + 1, 3 * STEP + 5, 200, KEPT_NAMES,
                                   KEPT_NAMES + 1])
def test_loaded_names_are_the_tuple_of_them(count: int) -> None:
    san, expected = _dns_names(count)
    names = san.names
    # Up to KEPT_NAMES short names (in fewer than KEPT_OCTETS octets) a
    # tuple, built at load; more, read when used.
    assert len(san.to_der()) < KEPT_OCTETS + 8
    if count <= KEPT_NAMES:
        assert isinstance(names, tuple)
    else:
        assert isinstance(names, LazySequence)
    assert len(names) == count
    assert names == expected and expected == tuple(names)
    assert hash(names) == hash(expected)
    assert list(names) == list(expected)
    assert list(reversed(names)) == list(reversed(expected))
    for i in (0, 1, STEP - 1, STEP, STEP + 1, count - 1, -1, -count):
        assert names[i] == expected[i]
    for index in (count, -count - 1):
        with pytest.raises(IndexError):
            names[index]
    assert expected[-1] in names and csrlib.DNSName("absent.example") not in names
    assert names.index(expected[-1]) == count - 1
    with pytest.raises(ValueError):
        names.index(expected[0], 1)
    assert names.count(expected[3]) == 1
    if isinstance(names, LazySequence):  # + gives tuples, as a tuple's does
        assert names.__add__(()) == expected and names.__radd__(()) == expected
        assert names.__add__(names) == expected * 2
    assert names * 2 == expected * 2
    assert pickle.loads(pickle.dumps(names)) == expected


@given(st.integers(-600, 600), st.integers(-600, 600), st.sampled_from([None, 1, 2, 3, 7, -1, -3]))
def test_slices_are_the_tuples_slices(start: int, stop: int, step: int | None) -> None:
    names, expected = _SLICED
    assert names[start:stop:step] == expected[start:stop:step]


_SLICED = _dns_names(KEPT_NAMES + 1)[0].names, _dns_names(KEPT_NAMES + 1)[1]


def test_names_in_many_octets_are_read_when_used() -> None:
    # Fewer than KEPT_NAMES names, but more than KEPT_OCTETS octets of them.
    hosts = [f"{'a' * 60}.{i}.example" for i in range(KEPT_OCTETS // 60)]
    san = tlv(0x30, b"".join(tlv(0x82, h.encode()) for h in hosts))
    assert len(hosts) < KEPT_NAMES and len(san) > KEPT_OCTETS
    req = csrlib.load(csr_der(attributes=extension_request(extension("2.5.29.17", san))))
    value = req.extensions.value(csrlib.SubjectAlternativeName)
    assert value is not None and isinstance(value.names, LazySequence)
    assert [n.value for n in value.names] == hosts


def test_repr_of_many_is_a_count() -> None:
    san, _ = _dns_names(KEPT_NAMES + 1)
    assert repr(san.names) == f"<{KEPT_NAMES + 1} names>"
    small, _ = _dns_names(EAGER_MAX + 1)
    assert repr(small.names).startswith("(DNSName(")


def test_an_unsorted_rdn_of_many_attributes_reads_in_der_order() -> None:
    # Lenient mode takes a SET OF out of order; the RDN holds its attributes
    # in DER order (as a built one would), read from the input when used.
    values = [tlv(0x0C, bytes((0x41 + i % 26, 0x41 + i // 26))) for i in range(60)]
    atvs = [tlv(0x30, oid("2.5.4.11") + v) for v in values]
    der = csr_der(subject=tlv(0x30, tlv(0x31, b"".join(reversed(atvs)))))
    with pytest.raises(csrlib.DecodeError):
        csrlib.load(der)
    req = csrlib.load(der, strict=False)
    (rdn,) = req.subject.rdns
    assert isinstance(rdn.attributes, LazySequence)
    assert [a.encoded for a in rdn.attributes] == sorted(
        values, key=lambda v: tlv(0x30, oid("2.5.4.11") + v))
    assert rdn.attributes[-1].encoded == max(values, key=lambda v: tlv(0x30, oid("2.5.4.11") + v))
    built = csrlib.RelativeDistinguishedName(tuple(rdn.attributes))
    assert built == rdn and req.subject.to_der() == name_der(
        [(a.oid, a.encoded) for a in built.attributes])


def test_a_repeated_attribute_in_an_rdn_of_many_is_refused() -> None:
    atvs = sorted(tlv(0x30, oid("2.5.4.11") + tlv(0x0C, f"u{i:02}".encode())) for i in range(40))
    der = csr_der(subject=tlv(0x30, tlv(0x31, b"".join([*atvs, atvs[-1]]))))
    for strict in (True, False):
        with pytest.raises(csrlib.CSRError):
            csrlib.load(der, strict=strict)


def test_repeats_tells_elements_apart_by_key() -> None:
    buf = b"abcabcxyz" * 100
    seen = Repeats(lambda pos: buf[pos:pos + 3], len(buf))
    firsts = [pos for pos in range(len(buf) - 2) if seen.add(pos)]
    # Every distinct 3-octet window once, at its first position.
    expected: dict[bytes, int] = {}
    for pos in range(len(buf) - 2):
        expected.setdefault(buf[pos:pos + 3], pos)
    assert firsts == sorted(expected.values())
    assert b"abc" in seen and b"zzz" not in seen


@given(st.lists(st.binary(max_size=3), max_size=3000))
def test_sorted_positions_sorts_stably(keys: list[bytes]) -> None:
    order = sorted_positions(range(len(keys)), lambda i: keys[i], len(keys))
    assert isinstance(order, array)
    assert list(order) == sorted(range(len(keys)), key=lambda i: keys[i])


def test_repeats_probes_a_bounded_number_of_slots_under_a_weak_hash() -> None:
    # Pyodide's hash of bytes is FNV (sys.hash_info): keys differing in their
    # last octets share the low bits.  Here no low bit varies at all; probing
    # as CPython's dict does still finds each slot in a few steps (measured:
    # 16 keys read per key added, the table's growth included), where linear
    # probing reads about n**2 / 4 keys (a million here).
    n = 2000
    buf = b"".join(i.to_bytes(4, "big") for i in range(n))
    compared = 0

    def key(pos: int) -> bytes:
        nonlocal compared
        compared += 1
        return buf[pos:pos + 4]

    class WeakHash(Repeats):
        __slots__ = ()
        _hash = staticmethod(lambda k: int.from_bytes(k, "big") << 24)

    seen = WeakHash(key, len(buf))
    assert all(seen.add(pos) for pos in range(0, len(buf), 4))
    assert not seen.add(len(buf) - 4)
    assert compared <= 20 * n, compared
