"""Reading names out of a request: the values of a decoded RDNSequence, checked.

The decoder leaves name attribute values unchecked (they are
:class:`~csrlib.schemas.UncheckedAny`); here each is checked and read in
one step: strings keep their type, BIT STRING its contents, OCTET STRING
reads as UTF-8 when it is (as cryptography reads it), and
any other type is checked as schema-less DER and kept whole.

An attribute type csrlib knows takes only the value types its standard
allows (:data:`csrlib.name.VALUE_TAGS`: a DirectoryString for commonName,
a PrintableString for countryName...): any other tag is an
``unexpected-tag`` error in strict mode and a deviation in lenient mode,
where the value is read as for an unknown type.
"""

from __future__ import annotations

from typing import Any

from . import oids, schemas
from .der.generic import validate_content
from .der.primitives import decode_bit_string
from .der.strings import STRING_TYPES
from .der.times import decode_generalized_time, decode_utc_time
from .der.tlv import describe_tag, read_header, tlv
from .errors import DecodeError
from .name import (
    POSTAL_LINE_TAGS,
    STRING_TYPE_NUMBERS,
    VALUE_TAGS,
    Name,
    NameAttribute,
    RelativeDistinguishedName,
    value_tags_text,
)
from .parsing import Path, Source, out_of_stack, path_text, plan
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
    time, and an RDN encoded as the one before it is then that same object:
    a name of many RDNs is never held as plain values, nor as an object per
    repeated RDN.

    Raises DecodeError ``depth-limit`` when the interpreter's stack runs out.
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
    buf = src.buf
    ctx = src.ctx
    rdn_plan = plan(schemas.RelativeDistinguishedName)
    pos, end = src.contents(start, end)
    out = []
    prev = b""
    rdn: RelativeDistinguishedName | None = None
    for i in range(items):
        # The decoder checked each RDN's header.
        rdn_end = read_header(buf, pos, end, ctx)[2]
        raw = buf[pos:rdn_end]
        if raw != prev or rdn is None:
            atvs = src.decode(rdn_plan, pos, rdn_end, depth, (path, i))
            rdn = _read_rdn(src, atvs, depth + 1, path, i)
            prev = raw
        out.append(rdn)
        pos = rdn_end
    return _name(tuple(out))


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
