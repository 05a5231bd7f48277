"""GeneralName (RFC 5280 4.2.1.6): one class per form, read from plain decoded values."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Union

from .. import schemas
from ..der.primitives import encode_oid
from ..der.strings import encode_string
from ..der.tlv import short_header, tlv
from ..errors import BuildError, EncodeError
from ..frozen import field, frozen
from .hostnames import (
    check_dns_name,
    check_email,
    check_uri,
    dns_name_to_ascii,
    email_to_ascii,
    plain_dns_name,
)
from .lazy import STEP, LazySequence, Reader, element_end, offsets
from .names import Name, read_name
from .reading import Path, Source, maker, out_of_stack, path_text, plan

if TYPE_CHECKING:
    import ipaddress

__all__ = [
    "DNSName",
    "DirectoryName",
    "EDIPartyName",
    "GeneralName",
    "IPAddress",
    "OtherName",
    "RFC822Name",
    "RegisteredID",
    "UniformResourceIdentifier",
    "X400Address",
    "check_general_names",
    "parse_general_name",
    "read_general_names",
    "split_general_names",
]


class GeneralName:
    """Base of the GeneralName forms; ``to_der()`` gives the tagged element."""

    __slots__ = ()
    #: The form's name in RFC 5280 and in the ``type:value`` strings the builder and CLI take.
    kind: str = ""

    if TYPE_CHECKING:
        @property
        def value(self) -> GeneralNameValue:
            """The name's value: text for DNS, email, URI and RID names, an address
            for IP, a Name for dirName, the value's DER for otherName, the whole
            element's DER for x400Address and ediPartyName."""

    def to_der(self) -> bytes:
        """Return the DER of this name as a GeneralName alternative."""
        raise NotImplementedError


def _ia5(number: int, value: str) -> bytes:
    if value.isascii():
        # ASCII is IA5String's whole alphabet: the encoding is the text's octets.
        raw = value.encode("ascii")
        if len(raw) < 0x80:
            return short_header(0x80 | number, len(raw)) + raw
        return tlv(0x80 | number, raw)
    try:
        return tlv(0x80 | number, encode_string(22, value))
    except EncodeError as exc:
        raise BuildError(str(exc)) from None


@frozen
class DNSName(GeneralName):
    """dNSName [2] IA5String."""

    value: str
    kind = "DNS"

    def to_der(self) -> bytes:
        """Return ``[2] IA5String``."""
        return _ia5(2, self.value)


@frozen
class RFC822Name(GeneralName):
    """rfc822Name [1] IA5String (an email address)."""

    value: str
    kind = "email"

    def to_der(self) -> bytes:
        """Return ``[1] IA5String``."""
        return _ia5(1, self.value)


@frozen
class UniformResourceIdentifier(GeneralName):
    """uniformResourceIdentifier [6] IA5String."""

    value: str
    kind = "URI"

    def to_der(self) -> bytes:
        """Return ``[6] IA5String``."""
        return _ia5(6, self.value)


@frozen
class IPAddress(GeneralName):
    """iPAddress [7] OCTET STRING: an IPv4 or IPv6 address."""

    value: ipaddress.IPv4Address | ipaddress.IPv6Address
    kind = "IP"

    def to_der(self) -> bytes:
        """Return ``[7] OCTET STRING`` of the address octets."""
        return tlv(0x87, self.value.packed)


@frozen
class RegisteredID(GeneralName):
    """registeredID [8] OBJECT IDENTIFIER."""

    value: str
    kind = "RID"

    def to_der(self) -> bytes:
        """Return ``[8] OBJECT IDENTIFIER``."""
        return tlv(0x88, encode_oid(self.value))


@frozen
class DirectoryName(GeneralName):
    """directoryName [4] Name."""

    value: Name
    kind = "dirName"

    def to_der(self) -> bytes:
        """Return ``[4] EXPLICIT Name``."""
        return tlv(0xA4, self.value.to_der())


@frozen
class OtherName(GeneralName):
    """otherName [0]: a type OID and the DER of its value."""

    type_id: str
    value: bytes
    kind = "otherName"

    def to_der(self) -> bytes:
        """Return ``[0] { type-id, [0] EXPLICIT value }``."""
        return tlv(0xA0, tlv(0x06, encode_oid(self.type_id)) + tlv(0xA0, self.value))


@frozen
class X400Address(GeneralName):
    """x400Address [3], kept as its DER."""

    der: bytes = field(repr=False)
    kind = "x400Address"

    @property
    def value(self) -> bytes:
        """Return the element as received (its DER), as ``der``."""
        return self.der

    def to_der(self) -> bytes:
        """Return the element as received."""
        return self.der


@frozen
class EDIPartyName(GeneralName):
    """ediPartyName [5], kept as its DER."""

    der: bytes = field(repr=False)
    kind = "ediPartyName"

    @property
    def value(self) -> bytes:
        """Return the element as received (its DER), as ``der``."""
        return self.der

    def to_der(self) -> bytes:
        """Return the element as received."""
        return self.der


#: What ``GeneralName.value`` holds, by form (see :class:`GeneralName`).
GeneralNameValue = Union[str, "ipaddress.IPv4Address", "ipaddress.IPv6Address",
                         "ipaddress.IPv4Network", "ipaddress.IPv6Network", "Name", bytes]


def check_general_names(names: Iterable[GeneralName]) -> None:
    """Return None if every name may be written into a request; raise BuildError otherwise.

    The builder's check (reading never runs it): DNS names, email addresses
    and URIs by the rules of :mod:`csrlib.model.hostnames`; the other forms were
    checked when they were made, or are DER kept as given.
    """
    for name in names:
        if isinstance(name, DNSName):
            if type(name.value) is not str or plain_dns_name(name.value) is None:
                check_dns_name(name.value)
        elif isinstance(name, RFC822Name):
            check_email(name.value)
        elif isinstance(name, UniformResourceIdentifier):
            check_uri(name.value)


_FORMS = {"dns": "DNS", "ip": "IP", "email": "email", "uri": "URI", "rid": "RID",
          "dirname": "dirName", "othername": "otherName"}


_NEXT_NAME = re.compile(r",\s*(?=(?:dns|ip|email|uri|rid|dirname|othername):)", re.IGNORECASE)


def split_general_names(text: str) -> list[str]:
    """Return the ``type:value`` items of a comma list (``DNS:a,IP:192.0.2.1``).

    The list is split only at a comma followed by a known ``type:`` prefix,
    so a comma inside a value stays there: ``URI:https://x/?a=1,b=2`` and
    ``dirName:CN=x,O=y`` are one item each.  Empty items are dropped.
    """
    return [item.strip() for item in _NEXT_NAME.split(text) if item.strip()]


def parse_general_name(text: str) -> GeneralName:
    """Return the name of an OpenSSL-style ``type:value`` string.

    ``DNS:example.com`` (a non-ASCII name as A-labels: UTS #46 and IDNA 2008),
    ``IP:192.0.2.1`` or ``IP:2001:db8::1``, ``email:a@example.com`` (its
    domain converted likewise), ``URI:https://example.com/``, ``RID:1.2.3.4``,
    ``dirName:CN=x,O=y`` (RFC 4514).  DNS names, email addresses and URIs are
    checked (:mod:`csrlib.model.hostnames`).  Raises BuildError otherwise.
    """
    if type(text) is str and text[:4] == "DNS:" and plain_dns_name(text, 4):
        # The common case: an LDH name that passes every check as it is.
        return DNSName(text[4:])
    kind, sep, value = text.partition(":")
    form = _FORMS.get(kind.strip().lower())
    if not sep or form is None or form == "otherName":
        raise BuildError(f"expected DNS:, IP:, email:, URI:, RID: or dirName: in {text!r}")
    if not value:
        raise BuildError(f"empty value in {text!r}")
    if form == "DNS":
        return DNSName(value if plain_dns_name(value) else dns_name_to_ascii(value))
    if form == "IP":
        import ipaddress  # imported when first needed (see _general_name)

        try:
            return IPAddress(ipaddress.ip_address(value))
        except ValueError:
            raise BuildError(f"not an IP address: {value!r}") from None
    if form == "email":
        return RFC822Name(email_to_ascii(value))
    if form == "URI":
        check_uri(value)
        return UniformResourceIdentifier(value)
    if form == "RID":
        try:
            encode_oid(value)
        except EncodeError:
            raise BuildError(f"not an OID: {value!r}") from None
        return RegisteredID(value)
    return DirectoryName(Name.from_rfc4514(value))


_dns = maker(DNSName)
_DNS_VALUE = vars(DNSName)["value"].__set__
_ip = maker(IPAddress)


#: Depth of a GeneralNames element in a request, for the names inside it:
#: CertificationRequest > info > attributes > Attribute > SET > Extensions >
#: Extension > OCTET STRING > GeneralNames (one more inside an
#: authorityKeyIdentifier; counted so, the limit errs on the strict side).
_GENERAL_NAMES_DEPTH = 9


def read_general_names(
    src: Source, names: tuple[Any, int, int], offset: int, path: Path
) -> Sequence[GeneralName]:
    """Return the GeneralName objects of a decoded GeneralNames; raise DecodeError if invalid.

    ``names`` is the plain value of :class:`csrlib.schemas.GeneralNames`:
    the list of names, or for many names their count, with the span of the
    element (the ``[1]`` of an authorityCertIssuer, or the SEQUENCE).  Many
    names are read one at a time, a name encoded as the one before it only
    once; past :data:`KEPT_NAMES` names or :data:`KEPT_OCTETS` octets the
    result is a :class:`~csrlib.model.lazy.LazySequence` that reads them
    again when used, so that they cost no Python object each.  Otherwise a
    tuple.  ``offset``
    is the extension's, for errors about a name's value.

    DNS names, email addresses and URIs are kept as the request holds them,
    valid or not: :func:`check_general_names` is for building, not reading.

    Raises DecodeError ``depth-limit`` when the interpreter's stack runs out.
    """
    try:
        return _read_general_names(src, names, offset, path)
    except RecursionError as exc:
        # Only a caller already deep in its own stack gets here: reported as
        # nesting too deep, never as RecursionError (see parsing.out_of_stack).
        raise out_of_stack(names[1], path) from exc


def _read_general_names(
    src: Source, names: tuple[Any, int, int], offset: int, path: Path
) -> Sequence[GeneralName]:
    """Return what :func:`read_general_names` returns, without its guard."""
    items, start, end = names
    if type(items) is list:
        # A few names (the common case), decoded whole.
        out = []
        for i, (form, v) in enumerate(items):
            out.append(_dns(v) if form == "dNSName"
                       else _general_name(src, form, v, offset, path, i))
        return tuple(out)
    pos, end = src.contents(start, end)
    return _scan_names(src, pos, end, items, offset, path)


#: Names (and octets of them) up to which a GeneralNames too long to be
#: decoded whole is still kept as a tuple of its names, built once at load:
#: the subjectAltName of a certificate for many hosts (hundreds of names, a
#: few KiB), whose names are then used without being read again.  Past
#: either bound the names are a LazySequence (see read_general_names); the
#: names kept cost at most about KEPT_NAMES objects and KEPT_OCTETS of text.
KEPT_NAMES = 512
KEPT_OCTETS = 16384


def _scan_names(src: Source, pos: int, end: int, count: int, offset: int,
                path: Path) -> tuple[GeneralName, ...] | LazySequence[GeneralName]:
    """Return the ``count`` names filling ``buf[pos:end]``, each checked (and built).

    The decoder has checked the headers.  Up to KEPT_NAMES names in
    KEPT_OCTETS octets: the tuple of them; more: a LazySequence reading
    each again with :func:`general_name_at` when used.  Short ASCII
    dNSNames (IA5String: ASCII is the whole check) are read inline, as
    general_name_at reads them; another name encoded as the one before it
    is not read again (the tuple holds that same object).
    """
    buf = src.buf
    inline = src.ctx.max_depth > _GENERAL_NAMES_DEPTH
    last = _Last()
    if count <= KEPT_NAMES and end - pos <= KEPT_OCTETS:
        out: list[GeneralName] = []
        new = object.__new__
        set_value = _DNS_VALUE
        dns = 0x82 if inline else -1  # the tag read inline: none if the depth is too short
        while pos < end:
            n = buf[pos + 1]
            if n < 0x80 and buf[pos] == dns:
                e = pos + 2 + n
                try:
                    name = new(DNSName)  # as _dns(text), without its call
                    set_value(name, buf[pos + 2:e].decode("ascii"))
                except UnicodeDecodeError:
                    pass  # refused below, as the decoder refuses it
                else:
                    out.append(name)
                    pos = e
                    continue
            e = pos + 2 + n if n < 0x80 and buf[pos] & 0x1F != 0x1F else element_end(buf, pos)
            out.append(last.read(src, pos, e, len(out), offset, path))
            pos = e
        return tuple(out)
    # Too many to keep: each read (and so checked) once now, again when used.
    marks = offsets(len(buf))
    i = 0
    while pos < end:
        if not i % STEP:
            marks.append(pos)
        n = buf[pos + 1]
        e = pos + 2 + n if n < 0x80 and buf[pos] & 0x1F != 0x1F else element_end(buf, pos)
        if not (buf[pos] == 0x82 and inline and buf[pos + 2:e].isascii()):
            last.read(src, pos, e, i, offset, path)
        pos = e
        i += 1
    return LazySequence(buf, marks, i, Reader.of(src, general_name_at, (offset, path), "names"))


class _Last:
    """The name last read by :func:`_scan_names`' general path, and its span."""

    __slots__ = ("end", "item", "start")

    def __init__(self) -> None:
        self.item: GeneralName | None = None
        self.start = self.end = 0

    def read(self, src: Source, pos: int, end: int, i: int, offset: int,
             path: Path) -> GeneralName:
        """Return name ``i``, ``buf[pos:end]``: the last one if encoded alike, else read."""
        buf = src.buf
        if (self.item is None or end - pos != self.end - self.start
                or not buf.startswith(buf[self.start:self.end], pos)):
            self.item = general_name_at(src, pos, end, i, offset, path)
            self.start, self.end = pos, end
        return self.item


def general_name_at(src: Source, pos: int, end: int, i: int, offset: int,
                    path: Path) -> GeneralName:
    """Return the ``i``-th name of a GeneralNames, the element ``buf[pos:end]``, checked."""
    buf = src.buf
    if (buf[pos] == 0x82 and buf[pos + 1] < 0x80 and pos + 2 + buf[pos + 1] == end
            and src.ctx.max_depth > _GENERAL_NAMES_DEPTH):
        # The common case inline: a short dNSName in ASCII, as the decoder
        # reads it (IA5String); anything else, errors included, goes the
        # decoder's way below.
        raw = buf[pos + 2:end]
        if raw.isascii():
            return _dns(raw.decode("ascii"))
    form, value = src.decode(plan(schemas.GeneralName), pos, end, _GENERAL_NAMES_DEPTH, (path, i))
    return _general_name(src, form, value, offset, path, i)


def _general_name(src: Source, form: str, v: Any, offset: int, path: Path,
                  i: int) -> GeneralName:
    """Return the GeneralName of one plain decoded GeneralName; raise DecodeError if invalid."""
    if form == "dNSName":
        return _dns(v)
    if form == "rfc822Name":
        return RFC822Name(v)
    if form == "uniformResourceIdentifier":
        return UniformResourceIdentifier(v)
    if form == "iPAddress":
        # RFC 5280 4.2.1.6: four octets for IPv4, sixteen for IPv6.
        if len(v) not in (4, 16):
            raise src.fail("bad-extension", offset, (path, i), f"iPAddress of {len(v)} octets")
        import ipaddress  # imported when first needed: it costs import csrlib 3 %

        return _ip((ipaddress.IPv4Address if len(v) == 4 else ipaddress.IPv6Address)(v))
    if form == "registeredID":
        return RegisteredID(v)
    if form == "directoryName":
        # [4] EXPLICIT Name: the span is the [4]'s, the Name its contents.
        count, h, e = v
        c = src.contents(h, e)[0]
        return DirectoryName(read_name(src, (count, c, e), _GENERAL_NAMES_DEPTH + 2,
                                       path_text((path, i))))
    if form == "otherName":
        type_id, (raw, _, _) = v
        return OtherName(type_id, raw)
    raw, start, end = v
    cls = X400Address if form == "x400Address" else EDIPartyName
    return cls(src.buf[start:end])
