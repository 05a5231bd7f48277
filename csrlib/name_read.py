"""Reading names out of a request: the values of a decoded RDNSequence, checked.

The decoder leaves name attribute values unchecked (they are
:class:`~csrlib.schemas.UncheckedAny`); here each is checked and read in
one step: strings keep their type, BIT STRING its contents, OCTET STRING
reads as UTF-8 when it is (as cryptography reads it), and
any other type is checked as schema-less DER and kept whole.
"""

from __future__ import annotations

from typing import Any

from .der.generic import validate_content
from .der.primitives import decode_bit_string
from .der.strings import STRING_TYPES
from .der.times import decode_generalized_time, decode_utc_time
from .der.tlv import read_header, tlv
from .errors import DecodeError
from .name import STRING_TYPE_NUMBERS, Name, NameAttribute, RelativeDistinguishedName
from .parsing import Source
from .records import maker

__all__ = ["read_attribute_value", "read_name"]

_TYPE_NAMES = {n: name for name, n in STRING_TYPE_NUMBERS.items()}
_attribute = maker(NameAttribute)
_rdn = maker(RelativeDistinguishedName)
_name = maker(Name)
_TIMES = {23: decode_utc_time, 24: decode_generalized_time}
# String types read by their checker alone (not BIT STRING, OCTET STRING
# or times, which have their own rules below).
_PLAIN_STRINGS = {n: STRING_TYPES[n].check for n in _TYPE_NAMES
                  if n in STRING_TYPES and n not in (3, 4, 23, 24)}


def read_name(src: Source, rdns: list[list[tuple[str, Any]]], depth: int, path: str) -> Name:
    """Return the Name of a plain decoded RDNSequence whose element sits at ``depth``."""
    out = []
    for i, rdn in enumerate(rdns):
        attrs = []
        for j, (oid, (_, start, end)) in enumerate(rdn):
            try:
                attrs.append(read_attribute_value(src, oid, start, end, depth + 3))
            except DecodeError as err:
                err.add_segment(f"{path}[{i}][{j}].value")
                raise
        if len(attrs) > 1:
            received = {(oid, src.buf[start:end]) for oid, (_, start, end) in rdn}
            if len(received) < len(attrs):
                # X.501: an RDN is a set of distinct attribute-value pairs.
                raise DecodeError("duplicate-attribute", rdn[0][1][1], "attribute repeated in RDN",
                                  f"{path}[{i}]")
            out.append(RelativeDistinguishedName(tuple(attrs)))  # puts them in DER order
        else:
            out.append(_rdn(tuple(attrs)))
    return _name(tuple(out))


def read_attribute_value(src: Source, oid: str, start: int, end: int, depth: int) -> NameAttribute:
    """Return the attribute whose value element is ``buf[start:end]``, checking the value."""
    buf = src.buf
    ctx = src.ctx
    tag = buf[start]
    if tag in _PLAIN_STRINGS and buf[start + 1] < 0x80:
        # The common case first: a short string whose text its checker gives.
        return _attribute(oid, _PLAIN_STRINGS[tag](buf, start + 2, end, ctx), _TYPE_NAMES[tag],
                          buf[start:end])
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
