"""Code templates of the generated decoders (see codegen.py): headers, leaves, SET OF order,
and the variables of one nesting level that fill them (Level)."""

from __future__ import annotations

__all__ = ["HEADER", "HEADER_END", "KNOWN", "KNOWN_END", "LEAVES", "SET_ORDER", "Level"]

# The common forms of a header, inline after a test of its first octet
# (FIRST): a short length, or a minimal one- or two-octet long length, each
# with the overrun check (read_header does the rest, and every error).
_FORMS = """\
{i}if FIRST and {pos} + 2 <= {e} and buf[{pos} + 1] < 0x80:
{i}    {cs} = {pos} + 2
{i}    {ce} = {cs} + buf[{pos} + 1]
{i}    if {ce} > {e}:
{i}        raise DecodeError(overrun(buf, {e}), {pos} + 1)
{i}elif (FIRST and {pos} + 4 <= {e} and buf[{pos} + 1] == 0x82 and buf[{pos} + 2]
{i}        and ctx.long_lengths):
{i}    {cs} = {pos} + 4
{i}    {ce} = {cs} + (buf[{pos} + 2] << 8 | buf[{pos} + 3])
{i}    if {ce} > {e}:
{i}        raise DecodeError(overrun(buf, {e}), {pos} + 1)
{i}elif (FIRST and {pos} + 3 <= {e} and buf[{pos} + 1] == 0x81
{i}        and buf[{pos} + 2] >= 0x80 and ctx.long_lengths):
{i}    {cs} = {pos} + 3
{i}    {ce} = {cs} + buf[{pos} + 2]
{i}    if {ce} > {e}:
{i}        raise DecodeError(overrun(buf, {e}), {pos} + 1)
{i}else:
"""

# The header of the next element: the common forms for a low tag.
HEADER = ("{i}{t} = buf[{pos}]\n" + _FORMS.replace("FIRST", "{t} & 0x1F != 0x1F")
          + "{i}    {t}, {cs}, {ce} = read_header(buf, {pos}, {e}, ctx)\n")

# The header of an element whose contents are not read (a counted item):
# its tag and end, inline for a low tag with a short length.
HEADER_END = """\
{i}{t} = buf[{pos}]
{i}if not ({t} & 0x1F != 0x1F and {pos} + 2 <= {e} and buf[{pos} + 1] < 0x80
{i}        and ({ce} := {pos} + 2 + buf[{pos} + 1]) <= {e}):
{i}    {t}, {cs}, {ce} = read_header(buf, {pos}, {e}, ctx)
"""

# The header of an element that must have one low tag ({key}): the common
# forms with the tag compared with the octet itself (no tag variable).  Any
# other header takes the "else:" that follows, where HEADER (or HEADER_END)
# and the tag's own check stand, so every error is the one they raise.
KNOWN = _FORMS.replace("FIRST", "buf[{pos}] == {key}")

# KNOWN for an element whose contents are not read (a counted item).
KNOWN_END = """\
{i}if not (buf[{pos}] == {key} and {pos} + 2 <= {e} and buf[{pos} + 1] < 0x80
{i}        and ({ce} := {pos} + 2 + buf[{pos} + 1]) <= {e}):
"""

LEAVES = {
    # An OID decoded before (within the limits: see Context.oids), else decoded.
    "oid": [
        "hit = ctx.oids.get(buf[{cs}:{ce}])",
        "{v} = hit[0] if hit is not None else decode_oid(buf, {cs}, {ce}, ctx)[0]",
    ],
    "int": ["{v} = decode_integer(buf, {cs}, {ce}, ctx)"],
    "bool": ["{v} = decode_boolean(buf, {cs}, {ce}, ctx)"],
    "null": ["decode_null(buf, {cs}, {ce}, ctx)", "{v} = None"],
    "octets": ["{v} = buf[{cs}:{ce}]"],
    # An empty NULL (the usual AlgorithmIdentifier parameters) needs no check,
    # nor an OID decoded before (a named curve: see Context.oids).
    "any": ["if (({t} != 5 or {cs} != {ce})",
            "        and ({t} != 6 or buf[{cs}:{ce}] not in ctx.oids)):",
            "    validate_content(buf, {t}, {pos}, {cs}, {ce}, ctx, {d})",
            "{v} = buf[{pos}:{ce}]"],
    "any-unchecked": ["{v} = buf[{pos}:{ce}]"],
    # The span alone: the model reads the value from the input (see leaves.any_decoder).
    "any-unchecked-span": ["{v} = (None, {pos}, {ce})"],
}


# X.690 11.6: SET OF elements in ascending order of their encodings.  Lenient
# mode records the first element out of order, once per SET OF: the SET is
# unsorted, and one entry per element would grow with the input.
SET_ORDER = """\
{i}if {prev} >= 0 and buf[{prev}:{prev_end}] > buf[{pos}:{ce}]:
{i}    ctx.deviate('setof-unsorted', {pos})
{i}    {prev} = -2
{i}if {prev} != -2:
{i}    {prev} = {pos}
{i}    {prev_end} = {ce}
"""


class Level:
    """The variable names of one nesting level of generated code."""

    def __init__(self, n: int) -> None:
        self.n = n
        # The element: start, contents, end, depth; then the state of its reading.
        self.h, self.c, self.e, self.d = f"h_{n}", f"c_{n}", f"e_{n}", f"d_{n}"
        self.d1, self.pos, self.t = f"d1_{n}", f"pos_{n}", f"t_{n}"
        self.cs, self.ce, self.i, self.seg = f"cs_{n}", f"ce_{n}", f"i_{n}", f"seg_{n}"
        self.items, self.prev, self.prev_end = f"items_{n}", f"prev_{n}", f"prev_end_{n}"

    def header(self, indent: str, ends_only: bool = False) -> str:
        """Return the code reading the next header; ``ends_only``: its contents' start unused."""
        return (HEADER_END if ends_only else HEADER).format(
            i=indent, t=self.t, pos=self.pos, e=self.e, cs=self.cs, ce=self.ce)

    def known(self, indent: str, key: int, mismatch: str, ends_only: bool = False) -> str:
        """Return the code reading the next header, which must have tag ``key``.

        A low tag with a short length is matched inline; any other header is
        read as by :meth:`header`, then ``mismatch`` (a statement) runs when
        its tag is not ``key``.
        """
        if key & 0x1F == 0x1F or key > 0xFF:
            return (self.header(indent, ends_only)
                    + f"{indent}if {self.t} != {key}:\n{indent}    {mismatch}\n")
        inner = indent + "    "
        return ((KNOWN_END if ends_only else KNOWN).format(
            i=indent, key=key, pos=self.pos, e=self.e, cs=self.cs, ce=self.ce)
            + self.header(inner, ends_only)
            + f"{inner}if {self.t} != {key}:\n{inner}    {mismatch}\n")

    def leaf(self, kind: str, target: str, indent: str) -> str:
        if kind.startswith("str"):
            return f"{indent}{target} = STR{kind[3:]}(buf, {self.cs}, {self.ce}, ctx)\n"
        return "".join(
            indent + line.format(v=target, pos=self.pos, t=self.t, cs=self.cs, ce=self.ce,
                                 d=self.d1) + "\n"
            for line in LEAVES[kind])
