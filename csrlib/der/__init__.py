"""Strict DER from scratch: TLV reader and writer, and the primitive codecs.

This layer knows nothing about schemas.  It enforces the DER rules of X.690
(definite minimal lengths, minimal tags, primitive strings, minimal INTEGERs,
BOOLEAN 0x00/0xff, minimal OID arcs, BIT STRING padding, string alphabets,
DER times) and reports violations as :class:`csrlib.errors.DecodeError` with
the byte offset.
"""

from .generic import validate_content, validate_elements
from .primitives import (
    decode_bit_string,
    decode_boolean,
    decode_integer,
    decode_null,
    decode_oid,
    encode_bit_string,
    encode_boolean,
    encode_integer,
    encode_oid,
    oid_arcs,
)
from .strings import STRING_TYPES, StringType, decode_string, encode_string
from .times import (
    decode_generalized_time,
    decode_utc_time,
    encode_generalized_time,
    encode_utc_time,
    parse_time,
)
from .tlv import (
    CLASS_APPLICATION,
    CLASS_CONTEXT,
    CLASS_PRIVATE,
    CLASS_UNIVERSAL,
    CONSTRUCTED,
    DEFAULT_LIMITS,
    Context,
    Deviation,
    Element,
    Limits,
    Reader,
    Writer,
    describe_tag,
    encode_length,
    encode_tag,
    key_number,
    read_header,
    tag_key,
    tlv,
)

__all__ = [
    "CLASS_APPLICATION",
    "CLASS_CONTEXT",
    "CLASS_PRIVATE",
    "CLASS_UNIVERSAL",
    "CONSTRUCTED",
    "DEFAULT_LIMITS",
    "STRING_TYPES",
    "Context",
    "Deviation",
    "Element",
    "Limits",
    "Reader",
    "StringType",
    "Writer",
    "decode_bit_string",
    "decode_boolean",
    "decode_generalized_time",
    "decode_integer",
    "decode_null",
    "decode_oid",
    "decode_string",
    "decode_utc_time",
    "describe_tag",
    "encode_bit_string",
    "encode_boolean",
    "encode_generalized_time",
    "encode_integer",
    "encode_length",
    "encode_oid",
    "encode_string",
    "encode_tag",
    "encode_utc_time",
    "key_number",
    "oid_arcs",
    "parse_time",
    "read_header",
    "tag_key",
    "tlv",
    "validate_content",
    "validate_elements",
]
