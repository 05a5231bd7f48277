"""Resource bounds, measured: linear time, bounded memory, no arithmetic on oversized keys.

Each adversarial shape is a request csrlib must accept (valid DER within
the default Limits), built at about 1 KiB, 64 KiB and 1 MiB:

* ``deep-nesting``: an unknown attribute value holding SEQUENCE chains whose
  leaves sit exactly at the depth limit (32);
* ``tiny-tlvs``: an unknown attribute value holding NULLs, two octets each;
* ``huge-set-of``: an unknown attribute with a SET OF distinct 5-octet values;
* ``set-of-nulls``: the same with the smallest values there are, NULLs;
* ``many-attributes``: that many attributes, each of a distinct type;
* ``long-oids``: an extendedKeyUsage of OIDs with 20 arcs of 20 octets each;
* ``long-strings``: UTF8, Printable, IA5 and BMP strings of a quarter each;
* ``many-names``: a subjectAltName of short DNS names;

each through ``csrlib.load``, and some through ``csrlib.asn1.decode``
(pyasn1 values) and ``decode_plain`` with the PKCS#10 schema.

Time: the best of several runs per size (loops of many calls for the small
sizes, so the timer's resolution does not matter), with csrlib's OID cache
emptied before each call, as hostile input would find it, and the cyclic
garbage collector off (as ``timeit`` has it); the cost per input octet at
1 MiB must stay within 3x of that at 1 KiB, and of that at 64 KiB (the
stricter check: the fixed cost of a request inflates the 1 KiB figure).
When a comparison fails, up to two more rounds are measured and the best
time of each size kept: noise on a shared machine only ever adds time, a
cost that grows faster than the input fails every round.
With the collector on, 1 MiB is compared with 64 KiB only: the collector's
full passes begin only when a parse makes more objects than a quarter of
those alive, so small inputs never pay for them (the pyasn1 values of
``asn1.decode`` pay up to 3.7x the 1 KiB cost per octet at 1 MiB).  The
objects the test process already holds are frozen (``gc.freeze``) while the
collector is on, so that its passes walk what the parse makes, not pytest's
and the other tests' objects.

Memory: tracemalloc's peak while loading a 256 KiB input (the factor does
not depend on the size) stays within ``MEMORY_FACTOR`` times the input size.

Verification: RSA keys over 16384 bits and public exponents over 2**64 are
refused when the request loads (DecodeError), and hand-built keys beyond the
policy when it verifies (PolicyError), with the modular exponentiation
replaced by a tripwire that records any call.
"""

from __future__ import annotations

import functools
import gc
import math
import time
import tracemalloc
from collections.abc import Callable

import pytest
from pyasn1_modules import rfc2986

import csrlib
import csrlib.verify_rsa
from csrlib import DecodeError, InvalidSignature, PolicyError
from csrlib.asn1 import Limits
from csrlib.der.primitives import OID_CACHE, encode_integer
from tests.helpers import csr_der, extension, extension_request, oid, tlv

KIB = 1024
LIMIT = Limits().max_size
#: About 1 KiB, 64 KiB and 1 MiB (just under the default size limit).
SIZES = (KIB, 64 * KIB, LIMIT - 2 * KIB)
MEMORY_SIZE = 256 * KIB
#: Allowed growth of the cost per octet from smaller inputs to the largest.
TIME_FACTOR = 3.0
#: Peak traced memory while loading, over the input size.  The model holds
#: each attribute value as a Python object: for the smallest, a 2-octet
#: NULL, that is a bytes object of 40 bytes (with pymalloc's rounding) and
#: a tuple slot of 8, 24x its input.  Twice that leaves room for the
#: decoder's transient values and no more.
MEMORY_FACTOR = 48


# -- adversarial requests -------------------------------------------------------------------


def _nest(depth: int, leaf: bytes = b"\x05\x00") -> bytes:
    for _ in range(depth):
        leaf = tlv(0x30, leaf)
    return leaf


def _unknown_attribute(values: list[bytes], type_oid: str = "1.3.6.1.4.1.99999.1") -> bytes:
    """Return ``[0]`` attributes with one attribute of an unknown type (values in DER order)."""
    return tlv(0xA0, tlv(0x30, oid(type_oid) + tlv(0x31, b"".join(sorted(values)))))


_OVERHEAD = 190  # octets of a request around its filler


def _items(size: int, make: Callable[[int], bytes]) -> list[bytes]:
    """Return ``make(0), make(1), ...`` until they fill a request of about ``size`` octets."""
    items: list[bytes] = []
    total = _OVERHEAD
    while total < size:
        items.append(make(len(items)))
        total += len(items[-1])
    if len(items) > 1:
        items.pop()
    return items


def deep_nesting(size: int) -> bytes:
    # The value SEQUENCE is at depth 6 (request, info, [0], attribute, SET);
    # each chain adds 25 levels, so its NULL sits at depth 32, the limit.
    chain = _nest(25)
    return csr_der(attributes=_unknown_attribute(
        [tlv(0x30, b"".join(_items(size, lambda i: chain)))]))


def tiny_tlvs(size: int) -> bytes:
    return csr_der(attributes=_unknown_attribute(
        [tlv(0x30, b"".join(_items(size, lambda i: b"\x05\x00")))]))


def huge_set_of(size: int) -> bytes:
    return csr_der(attributes=_unknown_attribute(
        _items(size, lambda i: tlv(0x04, i.to_bytes(3, "big")))))


def set_of_nulls(size: int) -> bytes:
    # X.690 11.6: equal encodings may repeat in a SET OF.
    return csr_der(attributes=_unknown_attribute(_items(size, lambda i: b"\x05\x00")))


def many_attributes(size: int) -> bytes:
    attributes = _items(size, lambda i: tlv(0x30, oid(f"1.3.6.1.4.1.99999.{i}")
                                            + tlv(0x31, b"\x05\x00")))
    return csr_der(attributes=tlv(0xA0, b"".join(sorted(attributes))))


def _long_arc(i: int) -> bytes:
    # 20 octets: a leading 0x81 (minimal), 18 octets that carry i, and 0x7f.
    return bytes((0x81, *(0x80 | (i >> 7 * k) & 0x7F for k in range(17, -1, -1)), 0x7F))


def _long_oid(i: int) -> bytes:
    # 1.3 and 18 more arcs: 20 arcs, each but the first of 20 octets (the limits).
    return tlv(0x06, b"\x2b" + _long_arc(i) * 18)


def long_oids(size: int) -> bytes:
    purposes = b"".join(_items(size, _long_oid))
    return csr_der(attributes=extension_request(extension("2.5.29.37", tlv(0x30, purposes))))


def long_strings(size: int) -> bytes:
    quarter = (size - _OVERHEAD) // 4 - 4
    return csr_der(attributes=_unknown_attribute([
        tlv(0x0C, ("\u00e9\u20ac" * (quarter // 5)).encode()),
        tlv(0x13, b"Printable Str'ing (+,-./:=?)" * (quarter // 28)),
        tlv(0x16, b"ia5@string.example " * (quarter // 19)),
        tlv(0x1E, "B\u00c9\u4e2d".encode("utf-16-be") * (quarter // 6)),
    ]))


def many_names(size: int) -> bytes:
    names = b"".join(_items(size, lambda i: tlv(0x82, f"h{i}.example".encode())))
    return csr_der(attributes=extension_request(extension("2.5.29.17", tlv(0x30, names))))


SHAPES: dict[str, Callable[[int], bytes]] = {
    "deep-nesting": deep_nesting,
    "tiny-tlvs": tiny_tlvs,
    "huge-set-of": huge_set_of,
    "set-of-nulls": set_of_nulls,
    "many-attributes": many_attributes,
    "long-oids": long_oids,
    "long-strings": long_strings,
    "many-names": many_names,
}

_CSR = rfc2986.CertificationRequest()
CALLS: dict[str, Callable[[bytes], object]] = {
    "load": csrlib.load,
    "asn1.decode_plain": lambda data: csrlib.asn1.decode_plain(data, _CSR),
    "asn1.decode": lambda data: csrlib.asn1.decode(data, _CSR),
}
# (call, shape) pairs measured: every shape through load, the codec alone on some.
CASES = [("load", shape) for shape in SHAPES] + [
    (call, shape) for call in ("asn1.decode_plain", "asn1.decode")
    for shape in ("set-of-nulls", "many-attributes")]


@functools.cache
def build(shape: str, size: int) -> bytes:
    """Return the request of ``shape`` at about ``size`` octets (made once per run)."""
    return SHAPES[shape](size)


# -- measuring ------------------------------------------------------------------------------


def best_time(fn: Callable[[bytes], object], data: bytes, *, collect: bool = False,
              budget: float = 0.05) -> float:
    """Return the best per-call time of ``fn(data)``, over loops of about ``budget`` s.

    The OID cache is emptied before each call (outside the timed part): a
    hostile input brings OIDs the cache has not seen.  The cyclic garbage
    collector is off during the calls unless ``collect`` (as in ``timeit``).
    """
    def timed() -> float:
        OID_CACHE.clear()
        start = time.perf_counter()
        fn(data)
        return time.perf_counter() - start

    gc.collect()  # each measurement starts without garbage left by the one before
    enabled = gc.isenabled()
    if collect:
        # The collector's full passes walk every object alive: freezing those
        # the test process holds already (pytest's, hypothesis', other tests')
        # leaves it walking only what the parse makes, as in a lean server.
        gc.freeze()
    else:
        gc.disable()
    try:
        first = timed()
        if first > 0.1:
            # Large inputs: the best of two (the plans were compiled by smaller ones).
            gc.collect()
            return min(first, timed())
        number = max(1, math.ceil(budget / first))
        return min(sum(timed() for _ in range(number)) / number for _ in range(5))
    finally:
        if collect:
            gc.unfreeze()
        if enabled:
            gc.enable()


def peak_memory(fn: Callable[[bytes], object], data: bytes) -> int:
    """Return tracemalloc's peak (octets) while ``fn(data)`` runs; the input is not counted."""
    fn(data)  # caches and plans are made before tracing
    tracemalloc.start()
    try:
        fn(data)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# -- the bounds -----------------------------------------------------------------------------


@pytest.mark.parametrize("shape", SHAPES)
def test_shapes_are_accepted_within_the_limits(shape: str) -> None:
    for size in SIZES:
        data = build(shape, size)
        assert 0.85 * size <= len(data) <= min(size + 64, LIMIT), (shape, size, len(data))
        csrlib.load(data)
    # Each shape is at its limit: one more of anything is refused.
    if shape == "deep-nesting":
        over = csr_der(attributes=_unknown_attribute([tlv(0x30, _nest(26))]))
        with pytest.raises(DecodeError, match="nesting"):
            csrlib.load(over)


def test_limits_of_the_shapes_are_the_defaults() -> None:
    too_many = tlv(0x06, b"\x2b" + _long_arc(0) * 19)
    with pytest.raises(DecodeError) as info:
        csrlib.load(csr_der(attributes=extension_request(
            extension("2.5.29.37", tlv(0x30, too_many)))))
    assert info.value.kind == "oid-limit"
    longer_arc = tlv(0x06, b"\x2b\x81" + _long_arc(0))
    with pytest.raises(DecodeError) as info:
        csrlib.load(csr_der(attributes=extension_request(
            extension("2.5.29.37", tlv(0x30, longer_arc)))))
    assert info.value.kind == "oid-limit"
    with pytest.raises(DecodeError) as info:
        csrlib.load(tiny_tlvs(LIMIT + KIB))
    assert info.value.kind == "size-limit"


def per_octet_times(fn: Callable[[bytes], object], shape: str, sizes: tuple[int, ...],
                    collect: bool, linear: Callable[[list[float]], bool]) -> list[float]:
    """Return the best time per input octet of ``fn`` at each size.

    Timing on a shared machine only ever adds time: when the times do not
    pass ``linear``, up to two more rounds are measured and the best of each
    size kept, so that one slow moment does not pass for a cost of the parse.
    """
    inputs = [build(shape, size) for size in sizes]
    best = [math.inf] * len(sizes)
    for _ in range(3):
        best = [min(b, best_time(fn, data, collect=collect) / len(data))
                for b, data in zip(best, inputs, strict=True)]
        if linear(best):
            break
    return best


@pytest.mark.parametrize(("call", "shape"), CASES, ids=[f"{c}-{s}" for c, s in CASES])
def test_time_per_octet_is_linear(call: str, shape: str) -> None:
    fn = CALLS[call]
    small, medium, large = per_octet_times(
        fn, shape, SIZES, False, lambda t: t[2] <= TIME_FACTOR * min(t[0], t[1]))
    text = " ".join(f"{p * 1e9:.1f}" for p in (small, medium, large))
    detail = f"{call} {shape}: ns per octet at 1 KiB, 64 KiB, 1 MiB: {text}"
    assert large <= TIME_FACTOR * small, detail
    assert large <= TIME_FACTOR * medium, detail
    # With the garbage collector on, as a server runs: its full collections
    # start only once the objects made outnumber a quarter of the heap (about
    # 64 KiB of input and up), after which their cost per object is constant.
    medium, large = per_octet_times(fn, shape, SIZES[1:], True,
                                    lambda t: t[1] <= TIME_FACTOR * t[0])
    assert large <= TIME_FACTOR * medium, (
        f"{detail}; with gc at 64 KiB, 1 MiB: {medium * 1e9:.1f} {large * 1e9:.1f}")


@pytest.mark.parametrize("shape", SHAPES)
def test_memory_is_a_small_multiple_of_the_input(shape: str) -> None:
    data = SHAPES[shape](MEMORY_SIZE)
    factor = peak_memory(csrlib.load, data) / len(data)
    assert factor <= MEMORY_FACTOR, f"load {shape}: peak {factor:.1f}x the input"


# -- verification refuses oversized RSA keys before any arithmetic ----------------------------

_RSA = oid("1.2.840.113549.1.1.1") + b"\x05\x00"
_SHA256_RSA = tlv(0x30, oid("1.2.840.113549.1.1.11") + b"\x05\x00")


def _modulus(bits: int) -> int:
    return 1 << (bits - 1) | 1


def _rsa_request(n: int, e: int) -> bytes:
    key = tlv(0x30, tlv(0x02, encode_integer(n)) + tlv(0x02, encode_integer(e)))
    spki = tlv(0x30, tlv(0x30, _RSA) + tlv(0x03, b"\x00" + key))
    k = (n.bit_length() + 7) // 8
    return csr_der(spki=spki, signature_algorithm=_SHA256_RSA,
                   signature=tlv(0x03, b"\x00" + b"\x01" * k))


class _Reached(Exception):
    """Raised by the stand-in for the modular exponentiation."""


@pytest.fixture
def no_arithmetic(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """Replace RSA verification's pow() (and the functions around it) with a tripwire.

    Returns the list of (exponent bits, modulus bits) of the calls that got through.
    """
    calls: list[tuple[int, int]] = []

    def tripwire(base: int, exponent: int, modulus: int) -> int:
        calls.append((exponent.bit_length(), modulus.bit_length()))
        raise _Reached

    monkeypatch.setattr(csrlib.verify_rsa, "pow", tripwire, raising=False)
    return calls


@pytest.mark.parametrize(("bits", "e", "kind"), [
    (16385, 65537, "bad-key"),
    (4_000_000, 65537, "bad-key"),            # a 500 kB modulus
    (2048, 2 ** 64 + 1, "bad-key"),
    (8192, 2 ** 4000 + 1, "bad-key"),
])
def test_oversized_rsa_keys_are_refused_when_loading(
    bits: int, e: int, kind: str, no_arithmetic: list[tuple[int, int]]
) -> None:
    data = _rsa_request(_modulus(bits), e)
    start = time.perf_counter()
    with pytest.raises(DecodeError) as info:
        csrlib.load(data)
    elapsed = time.perf_counter() - start
    assert info.value.kind == kind
    assert info.value.path.startswith("certificationRequestInfo.subjectPKInfo")
    assert not no_arithmetic
    # The modulus is refused by its length octets, before any integer is built.
    assert elapsed < 0.1, f"{elapsed:.3f} s to refuse a {bits}-bit key"


def test_the_largest_key_allowed_does_reach_the_arithmetic(
    no_arithmetic: list[tuple[int, int]]
) -> None:
    # The tripwire works: at the bounds (16384 bits, e = 2**64 - 1) pow() runs.
    req = csrlib.load(_rsa_request(_modulus(16384), 2 ** 64 - 1))
    with pytest.raises(_Reached):
        req.verify()
    assert no_arithmetic == [(64, 16384)]


def _hand_built(n: int, e: int) -> csrlib.RsaPublicKey:
    # The dataclass itself, bypassing from_numbers() and the parser's checks.
    return csrlib.RsaPublicKey(n, e, b"")


_ALGORITHM = csrlib.SignatureAlgorithm.from_der(_SHA256_RSA)


@pytest.mark.parametrize(("key", "policy"), [
    (_hand_built(_modulus(16385), 65537), None),
    (_hand_built(_modulus(1_000_000), 65537), None),
    (_hand_built(_modulus(2048), 2 ** 64 + 1), None),
    (_hand_built(_modulus(2048), 2 ** 100_000 + 1), None),
    (_hand_built(_modulus(8192), 65537), csrlib.Policy().with_changes(max_rsa_bits=4096)),
    (_hand_built(_modulus(2048), 2 ** 32 + 1),
     csrlib.Policy().with_changes(max_rsa_exponent=65537)),
], ids=["16385-bits", "1e6-bits", "e-2**64+1", "e-2**100000+1", "over-policy-bits",
        "over-policy-exponent"])
def test_keys_beyond_the_policy_are_refused_before_arithmetic(
    key: csrlib.RsaPublicKey, policy: csrlib.Policy | None,
    no_arithmetic: list[tuple[int, int]],
) -> None:
    k = (key.n.bit_length() + 7) // 8
    with pytest.raises(PolicyError):
        csrlib.verify_signature(key, _ALGORITHM, b"\x01" * k, b"message", policy=policy)
    assert not no_arithmetic


def test_oversized_signatures_are_refused_before_arithmetic(
    no_arithmetic: list[tuple[int, int]]
) -> None:
    key = _hand_built(_modulus(2048), 65537)
    for signature in (b"\x01" * (LIMIT - 1), b"\xff" * 256):
        with pytest.raises(InvalidSignature):
            csrlib.verify_signature(key, _ALGORITHM, signature, b"message")
    assert not no_arithmetic
