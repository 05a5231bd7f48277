"""Name rules: ``names.*``, ``san.*``, ``cn.*``.

The identifiers of a request are its subjectAltName's DNS names and IP
addresses and its subject's CNs (as boulder's ``identifier.FromCSR`` takes
them), compared case-insensitively and in A-label form.
"""

from __future__ import annotations

import contextlib
import ipaddress
from collections.abc import Iterable

from ..errors import BuildError
from ..model.extensions import SubjectAlternativeName
from ..model.general_names import DNSName, GeneralName, IPAddress, RFC822Name
from ..model.general_names import UniformResourceIdentifier as URI
from ..model.hostnames import dns_name_to_ascii, to_unicode
from .context import Context
from .reserved import reserved_block

__all__ = ["check_names"]

IP = ipaddress.IPv4Address | ipaddress.IPv6Address

_SUBJECT = "certificationRequestInfo.subject"
_SAN = "certificationRequestInfo.attributes.extensionRequest.subjectAltName"
_LDH = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
#: Names that cannot be verified in the public DNS (BR 1.6.1 Internal Name):
#: RFC 6761 special-use names, RFC 6762 .local, .alt (RFC 9476), .internal
#: (ICANN, 2024), names ICANN will not delegate, and reverse zones (BR 4.2.2).
_INTERNAL_TLDS = frozenset({"local", "internal", "localhost", "test", "example", "invalid",
                            "alt", "home", "corp", "mail", "lan", "intranet", "private"})
_INTERNAL_SUFFIXES = ("home.arpa", "in-addr.arpa", "ip6.arpa")
_MAX_NAMES = 100


def _ip(text: str) -> IP | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _a_label_form(name: str) -> str:
    """Return a name lower-cased, its U-labels as A-labels where it can be converted."""
    if not name.isascii():
        with contextlib.suppress(BuildError):
            name = dns_name_to_ascii(name)
    return name.lower()


def check_names(ctx: Context, expect_names: Iterable[str] | None) -> None:
    """Run the name rules."""
    req = ctx.req
    cns = [v if isinstance(v, str) else v.hex() for v in req.subject.get("CN")]
    extension = req.extensions.get(SubjectAlternativeName)
    san: list[GeneralName] = []
    if extension is not None and isinstance(extension.value, SubjectAlternativeName):
        san = list(extension.value)
    san_offset = ctx.offset_of(extension.to_der()) if extension is not None else None
    dns = [n.value for n in san if isinstance(n, DNSName)]
    ips = [n.value for n in san if isinstance(n, IPAddress)]
    identifiers = {d.lower() for d in dns} | {str(i) for i in ips}
    for cn in cns:
        ip = _ip(cn)
        identifiers.add(str(ip) if ip is not None else cn.lower())

    if ctx.on("names.none") and not identifiers:
        ctx.report("names.none", "no DNS name or IP address in CN or subjectAltName", _SAN)
    if ctx.on("names.too-many") and len(identifiers) > _MAX_NAMES:
        ctx.report("names.too-many", f"{len(identifiers)} identifiers, more than {_MAX_NAMES}",
                   _SAN, san_offset)
    if ctx.on("names.duplicate"):
        _duplicates(ctx, dns, ips, san_offset)
    if expect_names is not None and ctx.on("names.expected"):
        _expected(ctx, identifiers, expect_names)
    for i, general in enumerate(san):
        _san_entry(ctx, general, f"{_SAN}[{i}]", san_offset)
    _cns(ctx, cns, dns, ips)
    if (ctx.on("san.critical") and extension is not None and not extension.critical
            and len(req.subject) == 0):
        ctx.report("san.critical", "the subject is empty and subjectAltName is not critical",
                   _SAN, san_offset)


def _duplicates(ctx: Context, dns: list[str], ips: list[IP], offset: int | None) -> None:
    seen: set[str] = set()
    for value in [d.lower() for d in dns] + [str(i) for i in ips]:
        if value in seen:
            ctx.report("names.duplicate", f"{value!r} is in subjectAltName more than once",
                       _SAN, offset)
        seen.add(value)


def _expected(ctx: Context, identifiers: set[str], expect_names: Iterable[str]) -> None:
    expected = set()
    for name in expect_names:
        ip = _ip(name)
        expected.add(str(ip) if ip is not None else _a_label_form(name))
    missing, extra = sorted(expected - identifiers), sorted(identifiers - expected)
    if missing or extra:
        parts = ([f"missing {', '.join(missing)}"] if missing else []) + (
            [f"not expected {', '.join(extra)}"] if extra else [])
        ctx.report("names.expected", f"identifiers differ from those expected: "
                   f"{'; '.join(parts)}", _SAN)


def _san_entry(ctx: Context, general: GeneralName, path: str, offset: int | None) -> None:
    if isinstance(general, DNSName):
        _dns(ctx, general.value, path, offset)
    elif isinstance(general, IPAddress):
        if ctx.on("san.ip.reserved"):
            block = reserved_block(general.value)
            if block is not None:
                ctx.report("san.ip.reserved", f"IP address {general.value} is reserved: {block}",
                           path, offset)
    elif isinstance(general, RFC822Name):
        ctx.report("san.email", f"email address {general.value!r} in a TLS server request",
                   path, offset)
    elif isinstance(general, URI):
        ctx.report("san.uri", f"URI {general.value!r} in a TLS server request", path, offset)
    else:
        ctx.report("san.other", f"{general.kind} name in a TLS server request", path, offset)


def dns_syntax_problem(name: str) -> str | None:
    """Return why ``name`` is not in preferred name syntax (wildcard labels aside), or None."""
    if not name:
        return "empty"
    if not name.isascii():
        return "not ASCII (a dNSName holds A-labels)"
    if len(name) > 253:
        return f"{len(name)} octets, more than 253"
    if name.endswith("."):
        return "a trailing dot"
    for label in name.split("."):
        if "*" in label:
            continue  # san.dns.wildcard judges these
        if not label:
            return "an empty label"
        if len(label) > 63:
            return f"a label of {len(label)} octets, more than 63"
        if not set(label) <= _LDH:
            return f"label {label!r} holds characters other than letters, digits and hyphens"
        if label[0] == "-" or label[-1] == "-":
            return f"label {label!r} starts or ends with a hyphen"
    return None


def _dns(ctx: Context, name: str, path: str, offset: int | None) -> None:
    problem = dns_syntax_problem(name)
    if problem is not None:
        ctx.report("san.dns.syntax", f"DNS name {name!r}: {problem}", path, offset)
        return
    labels = name.split(".")
    if ctx.on("san.dns.idna"):
        for label in labels:
            if label[2:4] != "--":
                continue
            if label[:4].lower() == "xn--":
                if to_unicode(label) is None:
                    ctx.report("san.dns.idna", f"DNS name {name!r}: {label!r} is not a valid "
                               "IDNA 2008 A-label", path, offset)
            elif ctx.profile.base != "rfc":
                ctx.report("san.dns.idna", f"DNS name {name!r}: {label!r} is a reserved LDH "
                           "label (hyphens in positions 3 and 4, not xn--)", path, offset)
    if "*" in name:
        if ctx.on("san.dns.wildcard") and (labels[0] != "*" or "*" in name[1:]
                                           or len(labels) < 3):
            ctx.report("san.dns.wildcard", f"DNS name {name!r}: a wildcard may only be the "
                       "whole leftmost label, over two or more labels", path, offset)
        labels = labels[1:] if labels[0] == "*" else labels
    if ctx.on("san.dns.internal"):
        lower = name.lower()
        if len(labels) == 1:
            ctx.report("san.dns.internal", f"DNS name {name!r} is a single label (an Internal "
                       "Name)", path, offset)
        elif labels[-1].lower() in _INTERNAL_TLDS or any(
                lower == s or lower.endswith("." + s) for s in _INTERNAL_SUFFIXES):
            ctx.report("san.dns.internal", f"DNS name {name!r} is under a reserved name "
                       "(an Internal Name)", path, offset)


def _cns(ctx: Context, cns: list[str], dns: list[str], ips: list[IP]) -> None:
    lowered = {d.lower() for d in dns}
    for i, cn in enumerate(cns):
        path = f"{_SUBJECT}.CN[{i}]"
        if len(cn) > 64:
            ctx.report("cn.too-long", f"CN of {len(cn)} characters, more than 64", path)
        ip = _ip(cn)
        if ip is not None:
            ctx.report("cn.ip", f"IP address {cn} in CN", path)
        if ctx.on("cn.not-in-san") and (ip not in ips if ip is not None
                                        else cn.lower() not in lowered):
            ctx.report("cn.not-in-san", f"CN {cn!r} is not one of the subjectAltName values",
                       path)
