"""Distinguished names: Name -> RelativeDistinguishedName -> NameAttribute, built or read.

Values keep the string type they were received in.  ``Name.rfc4514()``
prints what cryptography's ``Name.rfc4514_string()`` prints for the same DER;
``Name.from_rfc4514()`` and ``Name.from_openssl()`` parse the two common text
forms back (:mod:`csrlib.model.name_text`).  The attributes and their values
are :mod:`csrlib.model.name_attributes`.

Reading: :func:`read_name` reads the RDNs of a decoded RDNSequence, each
attribute value checked (:func:`~csrlib.model.name_attributes.read_attribute_value`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import partial
from typing import Any

from .. import oids, schemas
from ..der.tlv import Writer, encode_length
from ..errors import BuildError, DecodeError
from ..frozen import frozen
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
from .name_attributes import (
    PLAIN_STRINGS,
    TYPE_NAMES,
    VALUE_TAGS,
    NameAttribute,
    _oid_for,
    atv_der,
    make_attribute,
    read_attribute_value,
)
from .name_text import parse_openssl, parse_rfc4514
from .reading import Path, Source, maker, out_of_stack, path_text, plan

__all__ = ["Name", "RelativeDistinguishedName", "read_name"]


@frozen
class RelativeDistinguishedName:
    """One or more attributes at one level of a name (``CN=a+OU=b``).

    A SET has no order: the attributes are kept in DER order (by encoding),
    the order they have on the wire and in ``rfc4514()``.  Built, they are a
    tuple; loaded, an RDN of many attributes holds a
    :class:`~csrlib.model.lazy.LazySequence` (it behaves as the tuple).
    """

    attributes: Sequence[NameAttribute]

    def __post_init__(self) -> None:
        if not self.attributes:
            raise BuildError("a relative distinguished name cannot be empty")
        if len(self.attributes) > 1:
            ordered = tuple(sorted(self.attributes, key=atv_der))
            if any(atv_der(a) == atv_der(b) for a, b in itertools.pairwise(ordered)):
                raise BuildError("an attribute appears twice in one relative distinguished name")
            object.__setattr__(self, "attributes", ordered)

    def __iter__(self) -> Iterator[NameAttribute]:
        return iter(self.attributes)

    def __len__(self) -> int:
        return len(self.attributes)

    def rfc4514(self) -> str:
        """Return the attributes joined by ``+``, in their DER order."""
        return "+".join(a.rfc4514() for a in self.attributes)

    def to_der(self) -> bytes:
        """Return the DER SET OF, sorted by encoding (X.690 11.6)."""
        if len(self.attributes) == 1:
            atv = atv_der(self.attributes[0])
            return b"\x31" + encode_length(len(atv)) + atv
        w = Writer()
        with w.constructed(0x31, sort=True):
            for a in self.attributes:
                w.raw(atv_der(a))
        return w.getvalue()


@frozen
class Name:
    """A distinguished name: RDNs in DER order (most significant first).

    ``rdns`` is a tuple, or for a loaded name of many RDNs a
    :class:`~csrlib.model.lazy.LazySequence` read again from the request when used
    (it compares and hashes as the tuple of its RDNs).
    """

    rdns: Sequence[RelativeDistinguishedName] = ()

    @classmethod
    def from_attributes(cls, attributes: Iterable[NameAttribute]) -> Name:
        """Return a name with one single-valued RDN per attribute, in the order given."""
        # One attribute per RDN: nothing for RelativeDistinguishedName's checks.
        return cls(tuple(_rdn((a,)) for a in attributes))

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]]) -> Name:
        """Return a name of ``(OID or short name, value)`` pairs, most significant first.

        Each value gets OpenSSL's default string type: PrintableString for C
        and wherever the value fits it (serialNumber, dnQualifier...),
        IA5String for emailAddress and DC, UTF8String otherwise.  Raises
        BuildError for an unknown name or a value its type cannot hold.
        """
        return cls.from_attributes(NameAttribute.from_text(k, v) for k, v in pairs)

    def __iter__(self) -> Iterator[NameAttribute]:
        for rdn in self.rdns:
            yield from rdn.attributes

    def __len__(self) -> int:
        return sum(len(rdn) for rdn in self.rdns)

    def __bool__(self) -> bool:
        return bool(self.rdns)

    def get(self, oid_or_name: str) -> list[str]:
        """Return the values of every attribute of one type (by OID or short name), as text.

        A value that is not a string (a BIT STRING, or another type kept as
        DER) is given as RFC 4514 writes it: ``#`` and the hex of its octets.
        Each :class:`NameAttribute` (iterate over the name) holds the value
        as received.
        """
        oid = _oid_for(oid_or_name)
        return [a.value if isinstance(a.value, str) else "#" + a.value.hex()
                for a in self if a.oid == oid]

    def rfc4514(self) -> str:
        """Return the RFC 4514 string: RDNs reversed, as cryptography prints them."""
        short_names = oids.RFC4514_SHORT_NAMES
        out = []
        for rdn in reversed(self.rdns):
            attributes = rdn.attributes
            if len(attributes) == 1:
                attribute = attributes[0]
                value = attribute.value
                if type(value) is str and value and _ESCAPES.search(value) is None:
                    # The common case inline: text that needs no escape.
                    out.append(f"{short_names.get(attribute.oid, attribute.oid)}={value}")
                else:
                    out.append(attribute.rfc4514())
            else:
                out.append(rdn.rfc4514())
        return ",".join(out)

    def __str__(self) -> str:
        return self.rfc4514()

    def openssl(self) -> str:
        """Return the name in OpenSSL's ``/C=US/O=Example/CN=x`` form."""
        return "".join(
            "/" + "+".join(f"{_slash_type(a)}={_slash_escape(a)}" for a in rdn)
            for rdn in self.rdns)

    def to_der(self) -> bytes:
        """Return the DER encoding of the name (an RDNSequence)."""
        body = b"".join(rdn.to_der() for rdn in self.rdns)
        return b"\x30" + encode_length(len(body)) + body

    @classmethod
    def from_rfc4514(cls, text: str) -> Name:
        """Parse an RFC 4514 string (``CN=x,O=Example``); raise BuildError if malformed."""
        return cls(_rdns(parse_rfc4514(text)))

    @classmethod
    def from_openssl(cls, text: str) -> Name:
        """Parse OpenSSL's ``/C=US/O=Example/CN=x`` form; raise BuildError if malformed."""
        return cls(_rdns(parse_openssl(text)))


def _slash_type(attribute: NameAttribute) -> str:
    # A short name that parses back to another type (OpenSSL's "uid" is not
    # "UID", case-insensitively the same) is written as the dotted OID.
    name = attribute.short_name
    return name if oids.attribute_oid(name) == attribute.oid else attribute.oid


def _slash_escape(attribute: NameAttribute) -> str:
    value = attribute.value
    if isinstance(value, bytes):
        return "#" + value.hex()
    return re.sub(r"([/+\\=])", r"\\\1", value)


#: What makes NameAttribute.rfc4514 escape a value (RFC 4514 2.4, as cryptography escapes).
_ESCAPES = re.compile(r'[\\"+,;<>\x00]|^[# ]| $')


# -- reading --------------------------------------------------------------------------------

_rdn = maker(RelativeDistinguishedName)


def _rdns(parsed: list[tuple[NameAttribute, ...]]) -> tuple[RelativeDistinguishedName, ...]:
    """Return the RDNs of parsed attribute tuples; one attribute needs none of the checks."""
    return tuple([_rdn(attrs) if len(attrs) == 1 else RelativeDistinguishedName(attrs)
                  for attrs in parsed])
_name = maker(Name)
_EMPTY_NAME = _name(())


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
        ctx = src.ctx
        deviations = ctx.deviations  # in strict mode, always empty
        buf = src.buf
        out = []
        for i, atvs in enumerate(items):
            if len(atvs) != 1:
                out.append(_read_rdn(src, atvs, depth + 1, path, i))
                continue
            # The common case inline: an RDN of one attribute (as _read_rdn).
            oid, (_, value_start, value_end) = atvs[0]
            seen = len(deviations)
            try:
                tag = buf[value_start]
                allowed = VALUE_TAGS.get(oid)
                if (tag in PLAIN_STRINGS and buf[value_start + 1] < 0x80
                        and (allowed is None or tag in allowed)):
                    # A short string of an allowed type: as read_attribute_value reads it.
                    attribute = make_attribute(
                        oid, PLAIN_STRINGS[tag](buf, value_start + 2, value_end, ctx),
                        TYPE_NAMES[tag], buf[value_start:value_end])
                else:
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
        if count > 1:
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
