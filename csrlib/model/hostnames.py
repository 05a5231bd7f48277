"""DNS names, email addresses and URIs for GeneralNames: syntax checks and IDNA 2008.

The builder runs these on every name it is given; reading a request never
does (values read are kept whatever they are: reading is not linting).

* A DNS name as written in a request (RFC 5280 4.2.1.6, "preferred name
  syntax"): ASCII, at most 253 octets, labels of 1 to 63 letters, digits and
  hyphens, no hyphen first or last (RFC 1034 3.5, RFC 1123 2.1, RFC 1035
  2.3.4).  No trailing dot: the preferred name syntax has none; it is refused,
  not stripped, as the builder never rewrites an ASCII name.  A label
  starting ``xn--`` must be a valid A-label (RFC 5890 2.3.2.1, RFC 5891
  5.4).  Other labels with ``--`` in the third and fourth positions
  (reserved LDH labels, RFC 5890 2.3.1) are DNS syntax and are kept: RFC
  5891 4.2.3.1 forbids that shape in U-labels, which IDNA checks, and
  whether a CA may certify such a name is the linter's question.
  A wildcard ``*`` only as the whole leftmost label of a longer name
  (RFC 9525 6.3); the linter judges how many labels it covers.
* Case: DNS is case-insensitive (RFC 4343), so an all-ASCII name is kept as
  given, never rewritten.  A name with non-ASCII characters goes through
  UTS #46 mapping, which lower-cases all of it, then IDNA 2008 ToASCII.
* An email address (rfc822Name, RFC 5280 4.2.1.6): an RFC 5321 4.1.2
  Mailbox in ASCII, its domain a DNS name as above (no wildcard).  A
  non-ASCII local part belongs in an SmtpUTF8Mailbox otherName (RFC 9598).
* A URI (RFC 5280 4.2.1.6): RFC 3986 characters only, a scheme and a
  scheme-specific part; with an authority, a host that is a DNS name or an
  IP address.

``idna`` is imported only when a name needs it: a non-ASCII name to convert,
an ``xn--`` label to validate or to show as Unicode.
"""

from __future__ import annotations

import re

from ..errors import BuildError

__all__ = [
    "check_dns_name",
    "check_email",
    "check_uri",
    "dns_name_to_ascii",
    "email_to_ascii",
    "to_unicode",
]

_LETTERS_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
# RFC 1034 3.5 with RFC 1123 2.1 (a label may start with a digit): letters,
# digits and hyphens, no hyphen first or last.
_LDH = frozenset(_LETTERS_DIGITS + "-")
_MAX_NAME = 253  # RFC 1035 2.3.4: 255 octets on the wire, 253 characters written out
_MAX_LABEL = 63  # RFC 1035 2.3.4

# RFC 5321 4.1.2: Local-part = Dot-string / Quoted-string.  A Dot-string is
# atoms of atext (RFC 5322 3.2.3) joined by single dots; a Quoted-string holds
# qtextSMTP (%d32-33 / %d35-91 / %d93-126) and quoted-pairs (%d92 %d32-126).
_ATEXT = frozenset(_LETTERS_DIGITS + "!#$%&'*+-/=?^_`{|}~")
_QTEXT = frozenset(map(chr, range(32, 127))) - {'"', "\\"}
_MAX_LOCAL_PART = 64  # RFC 5321 4.5.3.1.1

# RFC 3986 2.2, 2.3: unreserved and reserved characters, and "%" of a
# percent-encoding (2.1).  Anything else (space, <, >, ", {, }, |, \, ^, `,
# controls, non-ASCII) cannot appear in a URI.
_URI_CHARS = frozenset(_LETTERS_DIGITS + "-._~:/?#[]@!$&'()*+,;=%")
_HEX = frozenset("0123456789ABCDEFabcdef")

_WILDCARD_RULE = "'*' only as the whole leftmost label, before at least one more (RFC 9525 6.3)"


class _Refused(Exception):
    """A rule a name breaks (the public functions say which name)."""


def dns_name_to_ascii(text: str, *, wildcard: bool = True) -> str:
    """Return the dNSName of ``text``: an ASCII name as given, others as A-labels.

    A name with a non-ASCII character goes through UTS #46 mapping
    (non-transitional: ``ß`` stays ``ß``) and IDNA 2008 ToASCII (RFC 5891
    4), as browsers and CAs apply them: ``faß.example`` gives
    ``xn--fa-hia.example``.  The result is then checked like
    :func:`check_dns_name`.  Raises BuildError naming the name and the rule.
    """
    try:
        return _to_ascii(text, wildcard)
    except _Refused as exc:
        raise BuildError(f"DNS name {text!r}: {exc}") from None


def check_dns_name(name: str, *, wildcard: bool = True) -> None:
    """Return None if ``name`` is a dNSName as a request holds it; raise BuildError otherwise.

    The rules are the module's; a non-ASCII name is refused (convert it
    with :func:`dns_name_to_ascii`), and so is a wildcard when
    ``wildcard`` is false.
    """
    if _plain_dns(name, wildcard):
        return  # the common case, without the label-by-label walk
    try:
        _check_dns_labels(name, wildcard)
    except _Refused as exc:
        raise BuildError(f"DNS name {name!r}: {exc}") from None


def email_to_ascii(text: str) -> str:
    """Return the rfc822Name of an email address: its domain converted like a DNS name.

    Raises BuildError naming the address and the rule.
    """
    try:
        local, domain = _split_email(text)
        return f"{local}@{_to_ascii(domain, wildcard=False)}"
    except _Refused as exc:
        raise BuildError(f"email address {text!r}: {exc}") from None


def check_email(address: str) -> None:
    """Return None if ``address`` is an rfc822Name as a request holds it; raise BuildError."""
    try:
        _check_dns(_split_email(address)[1], wildcard=False)
    except _Refused as exc:
        raise BuildError(f"email address {address!r}: {exc}") from None


def check_uri(uri: str) -> None:
    """Return None if ``uri`` is a uniformResourceIdentifier a request may hold; raise BuildError.

    It is parsed with ``urllib.parse`` after its characters are checked
    (``urlsplit`` itself drops tabs and newlines and strips spaces).
    """
    try:
        _check_uri(uri)
    except _Refused as exc:
        raise BuildError(f"URI {uri!r}: {exc}") from None


def to_unicode(name: str) -> str | None:
    """Return ``name`` with each A-label as its U-label, or None if an ``xn--`` label is not one.

    A name without ``xn--`` labels comes back unchanged (and ``idna`` is not
    imported); other labels are kept as they are.  Never raises: it is for
    showing names read from requests, which may hold anything.
    """
    if "xn--" not in name.lower():
        return name
    labels = name.split(".")
    for i, label in enumerate(labels):
        if _is_xn_label(label):
            try:
                labels[i] = _u_label(label)
            except _Refused:
                return None
    return ".".join(labels)


# -- DNS names ------------------------------------------------------------------


def _is_xn_label(label: str) -> bool:
    # RFC 5890 2.3.1: the "xn--" prefix is case-insensitive.
    return label[:4].lower() == "xn--"


def _to_ascii(text: str, wildcard: bool) -> str:
    if text.isascii():
        _check_dns(text, wildcard)
        return text
    import idna

    try:
        # UTS #46 4 (Map), without UseSTD3ASCIIRules: the LDH rules are
        # checked below on the whole result, so the wildcard label and
        # ASCII mistakes get the same messages as in an ASCII name.
        mapped = idna.uts46_remap(text, std3_rules=False, transitional=False)
    except ValueError as exc:  # idna.IDNAError and UnicodeError included
        raise _Refused(f"UTS #46 mapping refuses it: {exc}") from None
    labels = mapped.split(".")
    for i, label in enumerate(labels):
        if label.isascii():
            continue  # an LDH label, an A-label or a mistake: all checked below
        if "*" in label:
            raise _Refused(_WILDCARD_RULE if wildcard else "no wildcard here")
        try:
            # RFC 5891 4.2.3 (hyphens, NFC, leading combining mark), RFC 5892
            # (PVALID, CONTEXTJ, CONTEXTO), RFC 5893 (Bidi), then Punycode.
            labels[i] = idna.alabel(label).decode("ascii")
        except ValueError as exc:
            raise _Refused(f"label {label!r} is not valid IDNA 2008: {exc} "
                           "(RFC 5891 4.2.3, RFC 5892)") from None
    name = ".".join(labels)
    _check_dns(name, wildcard)
    return name


# The common case in one regular expression: at most _MAX_NAME characters,
# no "xn--" anywhere (in any case), then LDH labels of 1 to 63 octets that
# neither start nor end with a hyphen (RFC 1034 3.5, RFC 1123 2.1),
# optionally after a leading "*." label.  A name it matches passes every
# rule of _check_dns; any other name takes the label-by-label path, which
# says what is wrong (or checks the A-labels).  The lookaheads are bounded:
# the first looks at most _MAX_NAME + 1 characters, and the second runs
# only on a name no longer than that.
_LDH_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_PLAIN_NAME = re.compile(
    rf"(?!.{{{_MAX_NAME + 1}}})(?!(?i:.*xn--))(?:\*\.)?{_LDH_LABEL}(?:\.{_LDH_LABEL})*",
    re.ASCII | re.DOTALL)

#: ``plain_dns_name(name)``: a match (true) when ``name`` is an LDH name,
#: wildcard allowed, that every rule of :func:`check_dns_name` accepts, so
#: a caller may skip the call; None for every other name (check it).
plain_dns_name = _PLAIN_NAME.fullmatch


def _plain_dns(name: str, wildcard: bool) -> bool:
    """Return True if ``name`` is a plain LDH name that _check_dns_labels accepts."""
    # len() first: what it raises for a name that is not text is the message.
    return (len(name) <= _MAX_NAME and _PLAIN_NAME.fullmatch(name) is not None
            and (wildcard or name[0] != "*"))


def _check_dns(name: str, wildcard: bool) -> None:
    if not _plain_dns(name, wildcard):
        _check_dns_labels(name, wildcard)


def _check_dns_labels(name: str, wildcard: bool) -> None:
    if not name:
        raise _Refused("empty")
    if not name.isascii():
        raise _Refused("not ASCII: a dNSName holds A-labels (RFC 5280 7.2, RFC 9549); "
                       "convert it with SubjectAlternativeName.from_strings or "
                       "csrlib.model.hostnames.dns_name_to_ascii")
    if len(name) > _MAX_NAME:
        raise _Refused(f"{len(name)} octets, more than {_MAX_NAME} (RFC 1035 2.3.4)")
    if name.endswith(".") and name != ".":
        raise _Refused("a trailing dot: a dNSName is written without it "
                       "(RFC 5280 4.2.1.6, preferred name syntax of RFC 1034 3.5)")
    labels = name.split(".")
    if labels[0] == "*" and wildcard:
        if len(labels) == 1:
            raise _Refused(f"a wildcard alone: {_WILDCARD_RULE}")
        labels = labels[1:]
    for label in labels:
        _check_label(label, wildcard)


def _check_label(label: str, wildcard: bool) -> None:
    if not label:
        raise _Refused("an empty label (RFC 1034 3.5)")
    if "*" in label:
        raise _Refused(_WILDCARD_RULE if wildcard else "no wildcard here")
    if len(label) > _MAX_LABEL:
        raise _Refused(f"label {label[:20]!r}... is {len(label)} octets, more than "
                       f"{_MAX_LABEL} (RFC 1035 2.3.4)")
    bad = next((c for c in label if c not in _LDH), None)
    if bad is not None:
        raise _Refused(f"label {label!r} holds {bad!r}: only letters, digits and hyphens "
                       "(RFC 1034 3.5, RFC 1123 2.1)")
    if label[0] == "-" or label[-1] == "-":
        raise _Refused(f"label {label!r} starts or ends with a hyphen (RFC 1034 3.5)")
    if _is_xn_label(label):
        _u_label(label)


def _u_label(label: str) -> str:
    """Return the U-label of an A-label; raise _Refused if it is not a valid one."""
    if len(label) > _MAX_LABEL or not label.isascii():
        raise _Refused(f"label {label!r} is not an A-label")
    import idna

    lower = label.lower()
    try:
        # Punycode-decodes, then the IDNA 2008 checks of the U-label.
        unicode = idna.ulabel(lower)
        # RFC 5891 5.4: the A-label must be what ToASCII makes of its
        # U-label ("fake A-labels", RFC 5890 2.3.2.1).  Recent idna releases
        # compare too; older ones, which pyproject.toml admits, do not.
        again = idna.alabel(unicode).decode("ascii")
    except ValueError as exc:  # idna.IDNAError and UnicodeError included
        raise _Refused(f"label {label!r} is not a valid A-label: {exc} "
                       "(RFC 5890 2.3.2.1, RFC 5891 5.4)") from None
    if again != lower:
        raise _Refused(f"label {label!r} is not a valid A-label: it is not the encoding of "
                       f"its U-label {unicode!r} (RFC 5890 2.3.2.1, RFC 5891 5.4)")
    return unicode


# -- email addresses and URIs -------------------------------------------------------


def _split_email(text: str) -> tuple[str, str]:
    """Return (local part, domain) with the local part checked."""
    # The last "@": a quoted local part may hold one.
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain:
        raise _Refused("not local-part@domain (RFC 5321 4.1.2)")
    if not local.isascii():
        raise _Refused("a non-ASCII local part: that goes in an SmtpUTF8Mailbox otherName "
                       "(RFC 9598), not an rfc822Name")
    if len(local) > _MAX_LOCAL_PART:
        raise _Refused(f"a local part of {len(local)} octets, more than {_MAX_LOCAL_PART} "
                       "(RFC 5321 4.5.3.1.1)")
    if not _is_local_part(local):
        raise _Refused(f"local part {local!r} is neither a dot-string nor a quoted string "
                       "(RFC 5321 4.1.2)")
    return local, domain


def _is_local_part(local: str) -> bool:
    """Return whether ``local`` is an RFC 5321 4.1.2 Dot-string or Quoted-string."""
    if not (len(local) >= 2 and local[0] == local[-1] == '"'):
        return all(atom and set(atom) <= _ATEXT for atom in local.split("."))
    inner = iter(local[1:-1])
    for c in inner:
        if c == "\\":
            c = next(inner, "")
            if not (c and " " <= c <= "~"):
                return False
        elif c not in _QTEXT:
            return False
    return True


def _check_uri(uri: str) -> None:
    bad = next((c for c in uri if c not in _URI_CHARS), None)
    if bad == " ":
        raise _Refused("a space (RFC 3986 2: write it %20)")
    if bad is not None and not bad.isascii():
        raise _Refused(f"{bad!r} is not ASCII: write the IRI as a URI (RFC 3987 3.1, "
                       "RFC 5280 7.4)")
    if bad is not None:
        raise _Refused(f"{bad!r} cannot appear in a URI (RFC 3986 2)")
    percent = uri.find("%")
    while percent != -1:
        digits = uri[percent + 1:percent + 3]
        if len(digits) < 2 or not set(digits) <= _HEX:
            raise _Refused("'%' not followed by two hex digits (RFC 3986 2.1)")
        percent = uri.find("%", percent + 3)
    import urllib.parse

    try:
        parts = urllib.parse.urlsplit(uri)
        port = parts.port  # raises for a port that is not a number up to 65535
    except ValueError as exc:
        raise _Refused(f"unreadable: {exc} (RFC 3986 3)") from None
    if not parts.scheme:
        raise _Refused("no scheme: a relative reference (RFC 5280 4.2.1.6, RFC 3986 4.2)")
    if len(uri) == len(parts.scheme) + 1:
        raise _Refused("nothing after the scheme (RFC 5280 4.2.1.6)")
    if not uri[len(parts.scheme) + 1:].startswith("//"):
        return
    host = parts.netloc.rpartition("@")[2]
    if port is not None or host.endswith(":"):
        host = host.rpartition(":")[0]
    if not host:
        raise _Refused("an authority with no host (RFC 5280 4.2.1.6)")
    if host.startswith("["):
        import ipaddress  # imported when first needed: it costs import csrlib 3 %

        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            raise _Refused(f"host {host!r} is not an IPv6 address (RFC 3986 3.2.2)") from None
        return
    try:
        _check_dns(host, wildcard=False)
    except _Refused as exc:
        raise _Refused(f"host: {exc}") from None
