"""Nesting and the interpreter's stack (issue 13, item 7): only DecodeError escapes.

A request whose values nest to the depth limit is loaded from a caller that
has already used most of the interpreter's stack: from ``N`` frames below
``sys.getrecursionlimit()``, for every ``N`` from a few frames to more than
a full walk of the nesting needs.  Each load returns the request or raises
DecodeError ``depth-limit`` (``interpreter recursion limit`` when the stack
ran out); never RecursionError.  The schema-less walk of values
(``csrlib.der.generic``) is iterative, and ``Source.decode`` and
``Source.validate`` turn a RecursionError into that DecodeError.

The public entry points (``load``, ``load_der``, ``load_pem_all``) catch
RecursionError too, so even a caller with one or two frames to spare, where
the stack runs out in their own set-up, gets that DecodeError.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import csrlib
from csrlib import DecodeError
from csrlib.asn1 import Limits
from csrlib.der.generic import validate_content, validate_elements
from csrlib.der.tlv import Context
from csrlib.model.reading import Source
from tests.helpers import csr_der, extension, extension_request, name_der, oid, tlv

#: Frames left to the caller: fewer, and the test's own calls run out before load().
MIN_FRAMES_LEFT = 6
#: More frames than any walk of a request nested to 200 levels took before.
MAX_FRAMES_LEFT = 700
UNKNOWN = "1.3.6.1.4.1.32473.1"


def _nest(levels: int, leaf: bytes = b"\x05\x00") -> bytes:
    for _ in range(levels):
        leaf = tlv(0x30, leaf)
    return leaf


def _frames_available() -> int:
    """Return how many more nested calls the interpreter allows from the caller.

    Measured (the recursion counter also counts C-level entries, which
    frames do not show): recursing until RecursionError.
    """

    def probe(n: int) -> int:
        try:
            return probe(n + 1)
        except RecursionError:
            return n

    return probe(0)


def with_frames_left(left: int, fn: Callable[[], Any]) -> Any:
    """Return ``fn()`` called with about ``left`` nested calls left before the recursion limit."""

    def recurse(n: int) -> Any:
        if n <= 0:
            return fn()
        return recurse(n - 1)

    return recurse(_frames_available() - left)


def requests(limit: int) -> dict[str, bytes]:
    """Return requests whose deepest value sits exactly at depth ``limit``.

    Depths: request 1, info 2, subject and [0] attributes 3; an RDN 4, its
    attribute 5, the value 6; an attribute 4, its SET 5, a value 6; an
    extension's GeneralNames 9, a [4] name 10, its RDNSequence 11, so its
    values at 14.
    """
    return {
        "name-value": csr_der(subject=name_der([(UNKNOWN, _nest(limit - 6))])),
        "attribute-value": csr_der(attributes=tlv(0xA0, tlv(0x30, oid(UNKNOWN) + tlv(
            0x31, _nest(limit - 6))))),
        "unrecognized-extension": csr_der(attributes=extension_request(
            extension(UNKNOWN, _nest(limit)))),
        "directory-name-value": csr_der(attributes=extension_request(extension(
            "2.5.29.17", tlv(0x30, tlv(0xA4, name_der([(UNKNOWN, _nest(limit - 14))])))))),
    }


CASES = [(limit, shape) for limit in (32, 200) for shape in requests(32)]


@pytest.mark.parametrize(("limit", "shape"), CASES, ids=[f"{s}-{n}" for n, s in CASES])
def test_only_decode_errors_escape_however_deep_the_caller(limit: int, shape: str) -> None:
    limits = Limits(max_depth=limit)
    der = requests(limit)[shape]
    csrlib.load(der, limits=limits)  # loads with the stack to spare
    outcomes = set()
    for left in range(MIN_FRAMES_LEFT, MAX_FRAMES_LEFT):
        try:
            with_frames_left(left, lambda: csrlib.load(der, limits=limits))
        except DecodeError as err:
            assert err.kind == "depth-limit", (left, err)
            outcomes.add("depth-limit")
        else:
            outcomes.add("loaded")
    # With the stack to spare it loads; from a caller too deep, the schema
    # decoders (which recurse once per level of the schema, not of the
    # values) may run out, as a depth-limit error.
    assert "loaded" in outcomes


@pytest.mark.parametrize("limit", [32, 200])
def test_one_level_more_is_a_depth_limit_error(limit: int) -> None:
    limits = Limits(max_depth=limit)
    for shape, der in requests(limit + 1).items():
        if shape == "unrecognized-extension":
            continue  # kept as its octets: not read, so not limited
        with pytest.raises(DecodeError) as info:
            csrlib.load(der, limits=limits)
        assert info.value.kind == "depth-limit", shape
        assert "recursion" not in str(info.value)


def test_the_schema_less_walk_uses_no_stack_per_level() -> None:
    # 200 levels walked with 20 frames left: a recursive walk needs hundreds.
    data = _nest(199)
    ctx = Context(Limits(max_depth=200))

    def walk() -> None:
        validate_elements(data, 0, len(data), ctx, 1)
        validate_content(data, 0x30, 0, 2 if data[1] < 0x80 else 4, len(data), ctx, 1)

    with_frames_left(20, walk)
    with pytest.raises(DecodeError) as info:
        validate_elements(tlv(0x30, data), 0, len(data) + 4, ctx, 1)
    assert info.value.kind == "depth-limit"


def test_a_set_is_checked_after_its_elements() -> None:
    # X.690 11.6 order of a SET inside a value, checked once its elements
    # are (an error inside an element comes first, at its own offset).
    unsorted = tlv(0x31, tlv(0x02, b"\x02") + tlv(0x02, b"\x01"))
    bad_inside = tlv(0x31, tlv(0x02, b"\x02") + tlv(0x02, b"\x00\x01"))
    strict = Context()
    with pytest.raises(DecodeError) as info:
        validate_elements(unsorted, 0, len(unsorted), strict, 1)
    assert (info.value.kind, info.value.offset) == ("setof-unsorted", 5)
    with pytest.raises(DecodeError) as info:
        validate_elements(bad_inside, 0, len(bad_inside), strict, 1)
    assert (info.value.kind, info.value.offset) == ("nonminimal-integer", 7)


def test_source_turns_running_out_of_stack_into_a_depth_limit_error() -> None:
    der = _nest(30)
    src = Source(der)
    from pyasn1.type import univ

    from csrlib.asn1 import compile_schema

    plan = compile_schema(univ.Any())

    def decode() -> None:
        src.decode(plan, 0, len(der), 0, "value")

    outcomes = set()
    for left in range(4, 120):
        try:
            with_frames_left(left, decode)
        except DecodeError as err:
            assert (err.kind, err.path) == ("depth-limit", "value"), err
            outcomes.add(err.detail)
        except RecursionError:
            # Too deep even to build the error: the frames of the caller.
            assert left < MIN_FRAMES_LEFT
        else:
            outcomes.add("decoded")
    assert "decoded" in outcomes
