"""Reading names out of a request: the values of a decoded RDNSequence, checked.

The decoder leaves name attribute values unchecked (they are
:class:`~csrlib.schemas.UncheckedAny`); here each is checked and read in
one step: strings keep their type, BIT STRING its contents, OCTET STRING
reads as UTF-8 when it is (as cryptography reads it), and
any other type is checked as schema-less DER and kept whole.

An attribute type csrlib knows takes only the value types its standard
allows (:data:`csrlib.model.names.VALUE_TAGS`: a DirectoryString for commonName,
a PrintableString for countryName...): any other tag is an
``unexpected-tag`` error in strict mode and a deviation in lenient mode,
where the value is read as for an unknown type.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from .. import oids, schemas
from ..der.generic import validate_content
from ..der.primitives import decode_bit_string
from ..der.strings import STRING_TYPES
from ..der.times import decode_generalized_time, decode_utc_time
from ..der.tlv import describe_tag, read_header, tlv
from ..errors import BuildError, DecodeError
from .lazy import (
    EAGER_MAX,
    STEP,
    LazySequence,
    Reader,
    Repeats,
    contents_start,
    element_end,
    offsets,
    read_elements,
    sorted_positions,
)
from .names import (
    POSTAL_LINE_TAGS,
    STRING_TYPE_NUMBERS,
    VALUE_TAGS,
    Name,
    NameAttribute,
    RelativeDistinguishedName,
    atv_der,
    value_tags_text,
)
from .reading import Path, Source, out_of_stack, path_text, plan
from .records import maker

__all__ = ["read_attribute_value", "read_name"]

_TYPE_NAMES = {n: name for name, n in STRING_TYPE_NUMBERS.items()}
_attribute = maker(NameAttribute)
_rdn = maker(RelativeDistinguishedName)
_name = maker(Name)
_EMPTY_NAME = _name(())
_TIMES = {23: decode_utc_time, 24: decode_generalized_time}
# String types read by their checker alone (not BIT STRING, OCTET STRING
# or times, which have their own rules below).
_PLAIN_STRINGS = {n: STRING_TYPES[n].check for n in _TYPE_NAMES
                  if n in STRING_TYPES and n not in (3, 4, 23, 24)}


def read_name(src: Source, rdns: tuple[Any, int, int], depth: int, path: Path) -> Name:
    """Return the Name of a decoded RDNSequence; raise DecodeError if a value is refused.

    ``rdns`` is the plain value of :class:`csrlib.schemas.RDNSequence`, for
    the element at ``depth``: the list of RDNs with the span of the element,
    or for a name of many RDNs their count.  Those are read one RDN at a
    time, an RDN encoded as the one before it only once; past
    :data:`csrlib.model.lazy.EAGER_MAX` RDNs, ``rdns`` is a
    :class:`~csrlib.model.lazy.LazySequence` that reads them again when used (and
    likewise the attributes of an RDN of more than EAGER_MAX), so that a
    name of many RDNs never holds a Python object per RDN.

    Raises DecodeError ``depth-limit`` when the interpreter's stack runs
    out, and BuildError where building the RDN from its attributes would
    (lenient mode: two attributes of an RDN written alike once in DER).
    """
    try:
        return _read_name(src, rdns, depth, path)
    except RecursionError as exc:
        # Only a caller already deep in its own stack gets here: reported as
        # nesting too deep, never as RecursionError (see parsing.out_of_stack).
        raise out_of_stack(rdns[1], path) from exc


def _read_name(src: Source, rdns: tuple[Any, int, int], depth: int, path: Path) -> Name:
    """Return what :func:`read_name` returns, without its guard."""
    items, start, end = rdns
    if not items:
        return _EMPTY_NAME
    if type(items) is list:
        deviations = src.ctx.deviations  # in strict mode, always empty
        out = []
        for i, atvs in enumerate(items):
            if len(atvs) != 1:
                out.append(_read_rdn(src, atvs, depth + 1, path, i))
                continue
            # The common case inline: an RDN of one attribute (as _read_rdn).
            oid, (_, value_start, value_end) = atvs[0]
            seen = len(deviations)
            try:
                attribute = read_attribute_value(src, oid, value_start, value_end, depth + 3)
            except DecodeError as err:
                err.add_segment(path_text((path, i, 0, "value")))
                raise
            if len(deviations) > seen:
                src.label_deviations(seen, (path, i, 0, "value"))
            out.append(_rdn((attribute,)))
        return _name(tuple(out))
    pos, end = src.contents(start, end)
    reader = Reader.of(src, rdn_at, (depth, path), "RDNs")
    return _name(read_elements(src, pos, end, items, reader, repeats=True))


def rdn_at(src: Source, pos: int, end: int, i: int, depth: int,
           path: Path) -> RelativeDistinguishedName:
    """Return the ``i``-th RDN of a name at ``depth``, the element ``buf[pos:end]``, checked."""
    atvs = src.decode(plan(schemas.RelativeDistinguishedName), pos, end, depth, (path, i))
    if type(atvs) is list:
        return _read_rdn(src, atvs, depth + 1, path, i)
    return _read_many(src, atvs, pos, end, depth + 1, path, i)


def _read_rdn(src: Source, atvs: list[tuple[str, Any]], depth: int, path: Path,
              i: int) -> RelativeDistinguishedName:
    """Return the RDN of a decoded RelativeDistinguishedName whose element sits at ``depth``."""
    deviations = src.ctx.deviations  # in strict mode, always empty
    attrs = []
    for j, (oid, (_, start, end)) in enumerate(atvs):
        seen = len(deviations)
        try:
            attrs.append(read_attribute_value(src, oid, start, end, depth + 2))
        except DecodeError as err:
            err.add_segment(path_text((path, i, j, "value")))
            raise
        if len(deviations) > seen:
            src.label_deviations(seen, (path, i, j, "value"))
    if len(attrs) == 1:
        return _rdn((attrs[0],))
    received = {(oid, src.buf[start:end]) for oid, (_, start, end) in atvs}
    if len(received) < len(attrs):
        # X.501: an RDN is a set of distinct attribute-value pairs.
        raise src.fail("duplicate-attribute", atvs[0][1][1], (path, i),
                       "attribute repeated in RDN")
    return RelativeDistinguishedName(tuple(attrs))  # puts them in DER order


def _read_many(src: Source, count: int, start: int, end: int, depth: int, path: Path,
               i: int) -> RelativeDistinguishedName:
    """Return an RDN of more than WHOLE_OCTETS octets (``count`` attributes), checked.

    As :func:`_read_rdn`, one attribute at a time: each value is checked,
    then a repeated attribute (same type and value octets) is refused, and
    the attributes are in DER order.  Past EAGER_MAX attributes they are a
    LazySequence: in strict mode the order received (checked by the
    decoder); in lenient mode, where a SET may come unsorted or with
    lengths in long form, by the DER of each, sorted in bounded memory.
    """
    buf = src.buf
    c, e = src.contents(start, end)
    reader = Reader.of(src, atv_at, (depth, path, i), "attributes")
    if count <= EAGER_MAX:
        attrs = read_elements(src, c, e, count, reader)
        _refuse_repeats(src, c, e, count, path, i)
        return RelativeDistinguishedName(tuple(attrs))  # puts them in DER order
    marks = offsets(len(buf))
    ordered = True
    prev = b""
    pos = c
    j = 0
    while pos < e:
        atv_end = element_end(buf, pos)
        attribute = atv_at(src, pos, atv_end, j, depth, path, i)
        if not j % STEP:
            marks.append(pos)
        if not src.strict:
            key = atv_der(attribute)
            if j and key <= prev:
                ordered = False
            prev = key
        pos = atv_end
        j += 1
    _refuse_repeats(src, c, e, count, path, i)
    if ordered:
        return _rdn(LazySequence(buf, marks, count, reader))
    # Lenient mode only: sorted by DER (as RelativeDistinguishedName sorts).
    again = Source.again(buf, src.strict, src.ctx.limits)

    def der_of(p: int) -> bytes:
        return atv_der(atv_at(again, p, element_end(buf, p), 0, depth, path, i))

    order = sorted_positions(_positions(buf, c, e), der_of, len(buf))
    prev = b""
    for k, p in enumerate(order):
        key = der_of(p)
        if k and key == prev:
            raise BuildError("an attribute appears twice in one relative distinguished name")
        prev = key
    return _rdn(LazySequence(buf, order, count, reader, step=1))


def _positions(buf: bytes, pos: int, end: int) -> Iterator[int]:
    """Yield the offset of each (checked) element in ``buf[pos:end]``."""
    while pos < end:
        yield pos
        pos = element_end(buf, pos)


def _atv_key(buf: bytes, pos: int) -> bytes:
    """Return what tells an RDN's attributes apart: type OID and value element as received."""
    c = contents_start(buf, pos)
    oid_c = contents_start(buf, c)
    oid_e = element_end(buf, c)
    return (oid_e - oid_c).to_bytes(4, "big") + buf[oid_c:element_end(buf, oid_e)]


def _refuse_repeats(src: Source, c: int, e: int, count: int, path: Path, i: int) -> None:
    """Raise DecodeError ``duplicate-attribute`` if two attributes in ``buf[c:e]`` are alike."""
    buf = src.buf
    repeats = Repeats(partial(_atv_key, buf), len(buf), count)
    if not all(repeats.add(p) for p in _positions(buf, c, e)):
        # X.501: an RDN is a set of distinct attribute-value pairs.
        first_value = element_end(buf, contents_start(buf, c))
        raise src.fail("duplicate-attribute", first_value, (path, i), "attribute repeated in RDN")


def atv_at(src: Source, pos: int, end: int, j: int, depth: int, path: Path,
           i: int) -> NameAttribute:
    """Return attribute ``j`` of RDN ``i`` (at ``depth``), the element ``buf[pos:end]``."""
    oid, (_, start, value_end) = src.decode(plan(schemas.AttributeTypeAndValue), pos, end,
                                            depth, (path, i, j))
    deviations = src.ctx.deviations  # in strict mode, always empty
    seen = len(deviations)
    try:
        attribute = read_attribute_value(src, oid, start, value_end, depth + 2)
    except DecodeError as err:
        err.add_segment(path_text((path, i, j, "value")))
        raise
    if len(deviations) > seen:
        src.label_deviations(seen, (path, i, j, "value"))
    return attribute


def read_attribute_value(src: Source, oid: str, start: int, end: int, depth: int) -> NameAttribute:
    """Return the attribute whose value element is ``buf[start:end]``, checking the value.

    Raises DecodeError for a value that breaks its type's rules, then (or,
    lenient, records a deviation) for a value type the attribute type does
    not allow (``unexpected-tag``, at ``start``).  The value is checked as
    DER first, so that an error inside it is reported where it is.
    """
    buf = src.buf
    tag = buf[start]
    allowed = VALUE_TAGS.get(oid)
    if tag in _PLAIN_STRINGS and buf[start + 1] < 0x80:
        # The common case first: a short string whose text its checker gives.
        text = _PLAIN_STRINGS[tag](buf, start + 2, end, src.ctx)
        if allowed is not None and tag not in allowed:
            _refuse_type(src, oid, start, end)
        return _attribute(oid, text, _TYPE_NAMES[tag], buf[start:end])
    attribute = _read_value(src, oid, start, end, depth)
    if allowed is not None:
        if tag not in allowed:
            _refuse_type(src, oid, start, end)
        elif tag == 0x30:
            _check_postal_lines(src, start, end)
    return attribute


def _read_value(src: Source, oid: str, start: int, end: int, depth: int) -> NameAttribute:
    """Return the attribute of any value element, checked as its type (or as DER)."""
    buf = src.buf
    ctx = src.ctx
    tag = buf[start]
    if tag < 0x1F and buf[start + 1] < 0x80:
        c = start + 2
        e = end
        # Short-form header: the element is already in canonical form.
        encoded = buf[start:end]
    else:
        tag, c, e = read_header(buf, start, end, ctx)
        encoded = tlv(tag, buf[c:e]) if tag < 0x1F else buf[start:end]
    type_name = _TYPE_NAMES.get(tag)
    if type_name is None:
        validate_content(buf, tag, start, c, e, ctx, depth)
        return _attribute(oid, buf[start:end], "DER", buf[start:end])
    if tag == 3:
        decode_bit_string(buf, c, e, ctx)
        return _attribute(oid, buf[c:e], type_name, encoded)
    if tag in (4, 23, 24):
        if tag != 4:
            _TIMES[tag](buf, c, e, ctx)
        contents = buf[c:e]
        try:
            text = contents.decode("utf-8")
        except UnicodeDecodeError:
            if tag == 4:
                return _attribute(oid, buf[start:end], "DER", buf[start:end])
            text = contents.decode("latin-1")
        return _attribute(oid, text, type_name, encoded)
    return _attribute(oid, STRING_TYPES[tag].check(buf, c, e, ctx), type_name, encoded)


def _refuse_type(src: Source, oid: str, start: int, end: int) -> None:
    """Raise (strict) or record (lenient) an attribute value of a type its standard refuses."""
    key = src.buf[start]
    if key & 0x1F == 0x1F:
        key = read_header(src.buf, start, end, src.ctx)[0]
    found = _type_text(key)
    src.ctx.deviate("unexpected-tag", start,
                    f"{found} as {oids.name_of(oid)}, which takes {value_tags_text(oid)}")


def _check_postal_lines(src: Source, start: int, end: int) -> None:
    """Check a postalAddress: a SEQUENCE SIZE (1..6) OF DirectoryString (X.520 6.6.1).

    Each line's type is checked here (raise, or record in lenient mode); the
    encoding of the whole is checked as DER by the caller.
    """
    buf = src.buf
    ctx = src.ctx
    _, pos, e = read_header(buf, start, end, ctx)
    lines = 0
    if pos == e:
        ctx.deviate("constraint", start,
                    f"postalAddress without a line (SIZE (1..{_POSTAL_LINES}))")
    while pos < e:
        key, _, ce = read_header(buf, pos, e, ctx)
        if key not in POSTAL_LINE_TAGS:
            ctx.deviate("unexpected-tag", pos, f"{_type_text(key)} as a postalAddress line, "
                                                "which is a DirectoryString")
        lines += 1
        if lines == _POSTAL_LINES + 1:
            ctx.deviate("constraint", pos, f"postalAddress of more than {_POSTAL_LINES} lines")
        pos = ce


# X.520 6.6.1: ub-postal-line.
_POSTAL_LINES = 6
_UNIVERSAL_NAMES = {1: "BOOLEAN", 2: "INTEGER", 5: "NULL", 6: "OBJECT IDENTIFIER",
                    9: "REAL", 10: "ENUMERATED", 0x30: "SEQUENCE", 0x31: "SET"}


def _type_text(key: int) -> str:
    """Return the name of a value's type for a message (``INTEGER``, ``[0]``...)."""
    return _TYPE_NAMES.get(key) or _UNIVERSAL_NAMES.get(key) or describe_tag(key)
