"""Decoders of leaves: ANY values, constrained primitives, DEFAULT checks; tag errors.

None of these reads a child through a schema: the structure decoders
(:mod:`csrlib.asn1.decoding`) build on them.
"""

from __future__ import annotations

from typing import Any

from ..der.generic import validate_content
from ..der.tlv import Context, describe_tag, read_header
from ..errors import DecodeError
from .backend import Backend, Decoder
from .plan import Node

__all__ = ["any_decoder", "checked", "default_check", "overrun", "unexpected"]


def unexpected(key: int, offset: int, expected: dict[int, Any]) -> DecodeError:
    if key ^ 0x20 in expected:
        kind = "constructed-form" if key & 0x20 else "primitive-form"
        return DecodeError(kind, offset)
    wanted = " or ".join(describe_tag(k) for k in list(expected)[:4]) or "nothing"
    return DecodeError("unexpected-tag", offset, f"{describe_tag(key)}, expected {wanted}")


def overrun(buf: bytes, end: int) -> str:
    return "truncated" if end >= len(buf) else "length-overrun"


def checked(node: Node, dec: Decoder, backend: Backend) -> Decoder:
    check = node.check
    if check is None:
        return dec

    def check_value(buf: bytes, h: int, c: int, e: int, ctx: Context, d: int) -> Any:
        value = dec(buf, h, c, e, ctx, d)
        why = check(backend.internal(node, value))
        if why is not None:
            raise DecodeError("constraint", c, why)
        return value

    return check_value


def any_decoder(node: Node, backend: Backend) -> Decoder:
    make = backend.any_value(node)
    if node.unchecked and node.span and backend.spans:
        # The caller checks the contents (see Node.unchecked), and reads
        # them from the input by the span: None for the value, so that a
        # large one is not copied while the whole request is decoded.
        def span_only(buf: bytes, h: int, c: int, e: int, ctx: Context, d: int) -> Any:
            return None

        return span_only
    if node.unchecked:
        # The caller checks the contents (see Node.unchecked).
        def unchecked(buf: bytes, h: int, c: int, e: int, ctx: Context, d: int) -> Any:
            return make(buf[h:e] if not node.keys else buf[c:e])

        return unchecked
    if not node.keys:
        # Untagged: the value is the whole element, checked as DER.
        def untagged(buf: bytes, h: int, c: int, e: int, ctx: Context, d: int) -> Any:
            key = buf[h]
            if key & 0x1F == 0x1F:
                key = read_header(buf, h, e, ctx)[0]
            validate_content(buf, key, h, c, e, ctx, d)
            return make(buf[h:e])

        return untagged
    constructed = node.keys[-1] & 0x20

    # Tagged: the value is the contents.  A constructed tag on ANY is an
    # explicit tag, which holds exactly one element (X.680 31.2.7).
    def tagged(buf: bytes, h: int, c: int, e: int, ctx: Context, d: int) -> Any:
        if constructed:
            if c == e:
                raise DecodeError("missing-component", c, "explicit tag without a value")
            if d >= ctx.max_depth:
                raise DecodeError("depth-limit", h)
            k, cs, ce = read_header(buf, c, e, ctx)
            if ce != e:
                raise DecodeError("trailing-data", ce)
            validate_content(buf, k, c, cs, ce, ctx, d + 1)
        return make(buf[c:e])

    return tagged


def default_check(fn: Decoder, default_der: bytes) -> Decoder:
    def dec(buf: bytes, h: int, c: int, e: int, ctx: Context, d: int) -> Any:
        # X.690 11.5: a component equal to its DEFAULT is absent.
        if buf[h:e] == default_der:
            ctx.deviate("default-encoded", h)
        return fn(buf, h, c, e, ctx, d)

    return dec
