"""What a pyasn1 type object is, to the codec: its kind, tag keys and constraints.

Shared by the decode plan and the encoder, so both read a schema the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sized
from typing import Any

from pyasn1.error import PyAsn1Error
from pyasn1.type import char, constraint, univ, useful

from ..der.tlv import CONSTRUCTED

__all__ = [
    "ANY",
    "BIT_STRING",
    "BOOLEAN",
    "CHOICE",
    "ENUMERATED",
    "GENERALIZED_TIME",
    "INTEGER",
    "NULL",
    "OCTET_STRING",
    "OID",
    "SEQUENCE",
    "SEQUENCE_OF",
    "SET",
    "SET_OF",
    "STRING",
    "UTC_TIME",
    "constraint_checker",
    "kind_of",
    "size_bounds",
    "string_number",
    "tag_keys",
]

(SEQUENCE, SET, SEQUENCE_OF, SET_OF, CHOICE, ANY, INTEGER, ENUMERATED, BOOLEAN, NULL,
 BIT_STRING, OCTET_STRING, OID, STRING, UTC_TIME, GENERALIZED_TIME) = range(16)

CONSTRUCTED_KINDS = frozenset((SEQUENCE, SET, SEQUENCE_OF, SET_OF))

_STRING_CLASSES: dict[type[Any], int] = {
    char.UTF8String: 12,
    char.NumericString: 18,
    char.PrintableString: 19,
    char.TeletexString: 20,
    char.VideotexString: 21,
    char.IA5String: 22,
    char.GraphicString: 25,
    char.VisibleString: 26,
    char.GeneralString: 27,
    char.UniversalString: 28,
    char.BMPString: 30,
    useful.ObjectDescriptor: 7,
}

# The base class of each kind, by pyasn1 type id (subclasses inherit it).
_BASES: dict[int, tuple[int, type[Any]]] = {
    cls.typeId: (kind, cls)
    for kind, cls in (
        (SEQUENCE, univ.Sequence), (SET, univ.Set), (SEQUENCE_OF, univ.SequenceOf),
        (SET_OF, univ.SetOf), (CHOICE, univ.Choice), (ANY, univ.Any),
        (INTEGER, univ.Integer), (ENUMERATED, univ.Enumerated), (BOOLEAN, univ.Boolean),
        (NULL, univ.Null), (BIT_STRING, univ.BitString), (OCTET_STRING, univ.OctetString),
        (OID, univ.ObjectIdentifier), (UTC_TIME, useful.UTCTime),
        (GENERALIZED_TIME, useful.GeneralizedTime),
        *((STRING, cls) for cls in _STRING_CLASSES),
    )
}
_STRING_NUMBERS = {cls.typeId: number for cls, number in _STRING_CLASSES.items()}


def kind_of(spec: Any) -> int:
    """Return the kind of a pyasn1 type object; raise TypeError if unsupported."""
    entry = _BASES.get(getattr(spec, "typeId", None))  # type: ignore[arg-type]
    if entry is None:
        raise TypeError(f"unsupported ASN.1 type in schema: {type(spec).__name__}")
    return entry[0]


def string_number(spec: Any) -> int:
    """Return the universal tag number of a character string type object."""
    return _STRING_NUMBERS[spec.typeId]


def tag_keys(tag_set: Any, kind: int) -> tuple[int, ...]:
    """Return the tag keys of a pyasn1 TagSet, outermost first.

    Tags on CHOICE are explicit and so constructed (pyasn1 encodes them so);
    the innermost tag of a constructed type is constructed.
    """
    tags = tag_set.superTags
    keys = []
    for i, t in enumerate(tags):
        number = t.tagId
        first = t.tagClass | t.tagFormat
        if kind == CHOICE or (i == 0 and kind in CONSTRUCTED_KINDS):
            first |= CONSTRUCTED
        keys.append(first | number if number < 31 else first | 0x1F | number << 8)
    keys.reverse()
    return tuple(keys)


Checker = Callable[[Any], "str | None"]


def _flatten(spec_constraints: Any) -> list[Any]:
    """Return the constraints an intersection requires, nested intersections opened."""
    if type(spec_constraints) is not constraint.ConstraintsIntersection:
        return [spec_constraints]
    out = []
    for part in spec_constraints:
        out.extend(_flatten(part))
    return out


def size_bounds(spec: Any, kind: int) -> tuple[int, float] | None:
    """Return (min, max) when ``spec``'s only constraints are on size, else None."""
    if kind in (SEQUENCE, SET, CHOICE):
        return None
    spec_constraints = spec.subtypeSpec
    if not spec_constraints or spec_constraints == _BASES[spec.typeId][1].subtypeSpec:
        return None
    parts = _flatten(spec_constraints)
    if not all(type(p) is constraint.ValueSizeConstraint for p in parts):
        return None
    return max(p.start for p in parts), min(p.stop for p in parts)


def constraint_checker(spec: Any, kind: int) -> Checker | None:
    """Return a function saying why a value breaks ``spec``'s constraints, or None.

    The function takes the value pyasn1 itself would check (int, bytes, str,
    arc tuple, sized bit integer, or a sized collection) and returns None when
    it is acceptable.  Plain size constraints are checked directly.
    """
    if kind in (SEQUENCE, SET, CHOICE):
        return None
    spec_constraints = spec.subtypeSpec
    base = _BASES[spec.typeId][1]
    if not spec_constraints or spec_constraints == base.subtypeSpec:
        return None
    bounds = size_bounds(spec, kind)
    if bounds is not None:
        lo, hi = bounds

        def size(value: Sized) -> str | None:
            n = len(value)
            if lo <= n <= hi:
                return None
            return f"size {n} outside {lo}..{'MAX' if hi == float('inf') else hi}"

        return size

    def generic(value: Any) -> str | None:
        try:
            spec_constraints(value)
        except (PyAsn1Error, ValueError, TypeError, OverflowError):
            # pyasn1's message formats the value, which can itself fail for
            # huge integers: report the constraint instead.
            return f"not within {type(spec_constraints).__name__}"
        return None

    return generic
