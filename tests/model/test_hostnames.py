"""DNS names, email addresses and URIs: IDNA 2008 conversion and syntax checks when building.

One row per case, named after its defect.  Building refuses a bad name with a
BuildError naming the name and the rule; reading keeps whatever a request holds.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import csrlib
from csrlib import (
    AuthorityKeyIdentifier,
    BuildError,
    CertificateRequestBuilder,
    DirectoryName,
    DNSName,
    IssuerAlternativeName,
    Name,
    RFC822Name,
    SubjectAlternativeName,
    UniformResourceIdentifier,
    UnrecognizedExtension,
    oids,
    signers,
    zipapp,
)
from csrlib.model.hostnames import (
    check_dns_name,
    check_email,
    check_uri,
    dns_name_to_ascii,
    email_to_ascii,
    to_unicode,
)

P256 = signers.generate("ec:P-256")


def _rows(table: list[tuple[Any, ...]]) -> list[Any]:
    """Return a table's rows as pytest parameters named by their first column."""
    return [pytest.param(*row[1:], id=row[0]) for row in table]

needs_subprocess = pytest.mark.skipif(
    sys.platform in ("emscripten", "wasi"), reason="cannot start processes here")

# -- DNS names ----------------------------------------------------------------------

# (case, given, dNSName written)
DNS_GOOD = [
    ("idna2008-sharp-s", "faß.example", "xn--fa-hia.example"),  # IDNA 2003: fass.example
    ("idna2008-final-sigma", "βόλος.example", "xn--nxasmm1c.example"),  # 2003: βόλοσ
    ("u-label", "bücher.example", "xn--bcher-kva.example"),
    ("uts46-lowercases-idn", "WWW.Bücher.Example", "www.xn--bcher-kva.example"),
    ("uts46-fullwidth", "\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.com", "example.com"),
    ("uts46-ideographic-dot", "bücher。example", "xn--bcher-kva.example"),
    ("uts46-soft-hyphen-ignored", "ex\u00adample.com", "example.com"),
    ("ascii-case-kept", "WWW.Example.COM", "WWW.Example.COM"),
    ("ascii-digit-first", "1password.example", "1password.example"),
    ("a-label-kept", "xn--bcher-kva.example", "xn--bcher-kva.example"),
    ("a-label-uppercase-kept", "XN--BCHER-KVA.example", "XN--BCHER-KVA.example"),
    ("a-label-tld", "example.xn--55qx5d", "example.xn--55qx5d"),
    ("reserved-ldh-ascii", "ab--cd.example", "ab--cd.example"),  # DNS syntax; the linter's
    ("single-label", "localhost", "localhost"),
    ("wildcard", "*.example.com", "*.example.com"),
    ("wildcard-idn", "*.bücher.example", "*.xn--bcher-kva.example"),
    ("wildcard-over-tld", "*.com", "*.com"),  # syntax only: the linter judges its reach
    ("label-63", "a" * 63 + ".example", "a" * 63 + ".example"),
    ("name-253", ".".join(["a" * 63] * 3 + ["a" * 61]), ".".join(["a" * 63] * 3 + ["a" * 61])),
]

# (case, given, words of the BuildError)
DNS_BAD = [
    ("emoji", "👍.example", "not valid IDNA 2008"),
    ("emoji-a-label", "xn--yp8h.example", "not a valid A-label"),
    ("space", "ex ample.com", "holds ' '"),
    ("underscore", "_acme-challenge.example.com", "holds '_'"),
    ("empty", "", "empty"),
    ("empty-label", "a..example", "empty label"),
    ("lone-dot", ".", "empty label"),
    ("leading-dot", ".example.com", "empty label"),
    ("label-64", "a" * 64 + ".example", "64 octets"),
    ("name-254", ".".join(["a" * 63] * 3 + ["a" * 62]), "254 octets"),
    ("name-254-after-idna", "ü" + ".a" * 126, "octets, more than 253"),
    ("leading-hyphen", "-a.example", "hyphen"),
    ("trailing-hyphen", "a-.example", "hyphen"),
    ("trailing-dot", "example.com.", "trailing dot"),
    ("reserved-ldh-u-label", "ab--ü.example", "3rd and 4th"),
    ("a-label-trailing-hyphen", "xn--abc-.example", "hyphen"),
    ("a-label-empty", "xn--.example", "hyphen"),
    ("a-label-garbage", "xn--zz.example", "not a valid A-label"),
    ("a-label-control", "xn--a.example", "not a valid A-label"),
    ("a-label-not-canonical", "xn---bbk.example", "not a valid A-label"),
    ("wildcard-alone", "*", "wildcard alone"),
    ("wildcard-inner", "a.*.example", "leftmost label"),
    ("wildcard-partial", "*x.example", "leftmost label"),
    ("wildcard-twice", "*.*.example", "leftmost label"),
    ("wildcard-in-u-label", "*ü.example", "leftmost label"),
    ("uts46-std3-mapped", "⑴.example", "holds '('"),
    ("contextj-joiner", "a\u200db.example", "not valid IDNA 2008"),
    ("lone-surrogate", "\udcff.example", "UTS #46"),
    ("control", "a\x00.example", "holds '\\x00'"),
]


@pytest.mark.parametrize(("given", "written"), _rows(DNS_GOOD))
def test_dns_names_converted(given: str, written: str) -> None:
    assert dns_name_to_ascii(given) == written
    check_dns_name(written)
    assert SubjectAlternativeName.from_strings([f"DNS:{given}"]).names == (DNSName(written),)


@pytest.mark.parametrize(("given", "words"), _rows(DNS_BAD))
def test_dns_names_refused(given: str, words: str) -> None:
    with pytest.raises(BuildError, match="DNS name") as info:
        dns_name_to_ascii(given)
    message = str(info.value)
    assert words in message and repr(given) in message
    if given.isascii():
        with pytest.raises(BuildError, match="DNS name"):
            check_dns_name(given)
    with pytest.raises(BuildError):
        SubjectAlternativeName.from_strings([f"DNS:{given}"])


def test_dns_check_takes_no_unicode_and_wildcards_when_told() -> None:
    with pytest.raises(BuildError, match=r"not ASCII.*dns_name_to_ascii"):
        check_dns_name("bücher.example")
    with pytest.raises(BuildError, match="no wildcard"):
        check_dns_name("*.example.com", wildcard=False)
    with pytest.raises(BuildError, match="no wildcard"):
        dns_name_to_ascii("*.bücher.example", wildcard=False)


@needs_subprocess
def test_ascii_names_do_not_import_idna() -> None:
    code = (
        "import sys, csrlib\n"
        "from csrlib.model.hostnames import to_unicode\n"
        "csrlib.SubjectAlternativeName.from_strings(['DNS:WWW.example.com', 'DNS:*.example.com',"
        " 'email:a@example.com', 'URI:https://example.com/x?y=1'])\n"
        "assert to_unicode('www.example.com') == 'www.example.com'\n"
        "print('idna' in sys.modules)\n"
        "csrlib.SubjectAlternativeName.from_strings(['DNS:xn--bcher-kva.example'])\n"
        "print('idna' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=False)
    assert (run.returncode, run.stdout) == (0, "False\nTrue\n"), run.stderr


# -- email addresses ---------------------------------------------------------------

EMAIL_GOOD = [
    ("plain", "a@example.com", "a@example.com"),
    ("idn-domain", "a@faß.example", "a@xn--fa-hia.example"),
    ("dot-atoms-and-atext", "first.last+tag!#$%&'*/=?^_`{|}~-@example.com",
     "first.last+tag!#$%&'*/=?^_`{|}~-@example.com"),
    ("quoted-local-part", '"a b@c"@example.com', '"a b@c"@example.com'),
    ("quoted-pair", '"a\\"b"@example.com', '"a\\"b"@example.com'),
    ("case-kept", "Admin@Example.COM", "Admin@Example.COM"),
    ("local-64", "a" * 64 + "@example.com", "a" * 64 + "@example.com"),
]

EMAIL_BAD = [
    ("space-in-local-part", "a b@example.com", "local part"),
    ("non-ascii-local-part", "ü@example.com", "SmtpUTF8Mailbox"),
    ("no-at", "example.com", "local-part@domain"),
    ("empty-local-part", "@example.com", "local-part@domain"),
    ("empty-domain", "a@", "local-part@domain"),
    ("double-dot", "a..b@example.com", "local part"),
    ("leading-dot", ".a@example.com", "local part"),
    ("unterminated-quote", '"a@example.com', "local part"),
    ("local-65", "a" * 65 + "@example.com", "65 octets"),
    ("wildcard-domain", "a@*.example.com", "no wildcard"),
    ("bad-domain", "a@ex ample.com", "holds ' '"),
    ("emoji-domain", "a@👍.example", "not valid IDNA 2008"),
    ("address-literal", "a@[192.0.2.1]", "holds '['"),
    ("trailing-dot-domain", "a@example.com.", "trailing dot"),
]


@pytest.mark.parametrize(("given", "written"), _rows(EMAIL_GOOD))
def test_emails_converted(given: str, written: str) -> None:
    assert email_to_ascii(given) == written
    check_email(written)
    assert SubjectAlternativeName.from_strings([f"email:{given}"]).names == (RFC822Name(written),)


@pytest.mark.parametrize(("given", "words"), _rows(EMAIL_BAD))
def test_emails_refused(given: str, words: str) -> None:
    with pytest.raises(BuildError, match="email address") as info:
        email_to_ascii(given)
    assert words in str(info.value) and repr(given) in str(info.value)
    with pytest.raises(BuildError, match="email address"):
        check_email(given)
    with pytest.raises(BuildError):
        SubjectAlternativeName.from_strings([f"email:{given}"])


def test_email_check_takes_no_unicode_domain() -> None:
    with pytest.raises(BuildError, match="not ASCII"):
        check_email("a@faß.example")


# -- URIs --------------------------------------------------------------------------

URI_GOOD = [
    ("query", "https://x/?a=1"),
    ("port-path-fragment", "https://example.com:8443/p/a%20th#frag"),
    ("userinfo", "ftp://user:pw@ftp.example.com/f"),
    ("ipv4-host", "http://192.0.2.1/"),
    ("ipv6-host", "https://[2001:db8::1]:443/"),
    ("no-authority", "mailto:a@example.com"),
    ("urn", "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6"),
    ("spiffe", "spiffe://example.org/ns/default/sa/web"),
]

URI_BAD = [
    ("no-scheme", "example.com/x", "no scheme"),
    ("network-path-reference", "//example.com/x", "no scheme"),
    ("space", "https://example.com/a b", "a space"),
    ("leading-space", " https://example.com/", "a space"),
    ("tab", "https://exa\tmple.com/", "cannot appear"),
    ("non-ascii", "https://bücher.example/", "not ASCII"),
    ("angle-bracket", "https://example.com/<x>", "cannot appear"),
    ("bad-percent", "https://example.com/%zz", "two hex digits"),
    ("scheme-only", "https:", "nothing after the scheme"),
    ("empty-host", "https:///path", "no host"),
    ("empty-authority", "https://", "no host"),
    ("port-out-of-range", "https://example.com:99999/", "unreadable"),
    ("port-not-a-number", "https://example.com:http/", "unreadable"),
    ("host-underscore", "https://ex_ample.com/", "host: label"),
    ("host-wildcard", "https://*.example.com/", "no wildcard"),
    ("host-trailing-dot", "https://example.com./", "trailing dot"),
]


@pytest.mark.parametrize("uri", _rows(URI_GOOD))
def test_uris_accepted(uri: str) -> None:
    check_uri(uri)
    assert SubjectAlternativeName.from_strings([f"URI:{uri}"]).names == (
        UniformResourceIdentifier(uri),)


@pytest.mark.parametrize(("uri", "words"), _rows(URI_BAD))
def test_uris_refused(uri: str, words: str) -> None:
    with pytest.raises(BuildError, match="URI") as info:
        check_uri(uri)
    assert words in str(info.value)
    with pytest.raises(BuildError, match="URI"):
        SubjectAlternativeName.from_strings([f"URI:{uri}"])


def test_uri_bracketed_host_must_be_ipv6() -> None:
    # urllib.parse checks the brackets itself from some Python versions on; either way: refused.
    with pytest.raises(BuildError, match="URI 'https://\\[zz\\]/'"):
        check_uri("https://[zz]/")


# -- the builder ---------------------------------------------------------------------

BAD_VALUES = [
    ("san-dns", SubjectAlternativeName((DNSName("ex ample.com"),)), "ex ample.com"),
    ("san-dns-unicode", SubjectAlternativeName((DNSName("bücher.example"),)), "not ASCII"),
    ("san-dns-after-good", SubjectAlternativeName(
        (DNSName("ok.example"), DNSName("xn--zz.example"))), "xn--zz"),
    ("san-email", SubjectAlternativeName((RFC822Name("a b@example.com"),)), "a b@example"),
    ("san-uri", SubjectAlternativeName((UniformResourceIdentifier("example.com/x"),)),
     "no scheme"),
    ("ian-uri", IssuerAlternativeName((UniformResourceIdentifier("https://a b/"),)), "space"),
    ("aki-issuer", AuthorityKeyIdentifier(b"\x01", (DNSName("-ca.example"),), 7), "hyphen"),
]


@pytest.mark.parametrize(("value", "words"), _rows(BAD_VALUES))
def test_builder_checks_names_it_is_given(value: csrlib.ExtensionValue,
                                          words: str) -> None:
    with pytest.raises(BuildError, match=words.replace("[", "\\[")):
        CertificateRequestBuilder().subject("CN=x").add_extension(value)


def test_builder_writes_good_names_and_the_reader_gives_them_back() -> None:
    san = SubjectAlternativeName((
        DNSName("WWW.example.com"), DNSName("*.xn--bcher-kva.example"),
        RFC822Name('"a b"@xn--fa-hia.example'), UniformResourceIdentifier("https://x/?a=1"),
        DirectoryName(Name.from_rfc4514("CN=dir"))))
    ian = IssuerAlternativeName((DNSName("ca.example"),))
    aki = AuthorityKeyIdentifier(b"\x01", (UniformResourceIdentifier("https://ca.example/"),), 7)
    req = (CertificateRequestBuilder().subject("CN=x").add_extension(san)
           .add_extension(ian).add_extension(aki).sign(P256))
    again = csrlib.load(req.der)
    assert again.extensions.value(SubjectAlternativeName) == san
    assert again.extensions.value(IssuerAlternativeName) == ian
    assert again.extensions.value(AuthorityKeyIdentifier) == aki


# What no builder may write, but a request may hold: reading keeps it as it is.
UNCHECKED = (DNSName("ex ample.com"), DNSName("xn--zz.example"), DNSName("a.*.b."),
             RFC822Name("a b@example.com"), UniformResourceIdentifier("no scheme"))


def test_reading_keeps_bad_names_written_as_raw_bytes() -> None:
    # The raw-bytes escape hatch (an UnrecognizedExtension) is how fuzzers write what
    # the typed builder refuses; the reader types it as a subjectAltName and keeps it.
    raw = SubjectAlternativeName(UNCHECKED).to_der()
    req = (CertificateRequestBuilder().subject("CN=x")
           .add_extension(UnrecognizedExtension(oids.SUBJECT_ALT_NAME, raw), critical=False)
           .sign(P256))
    again = csrlib.load(req.der)
    again.verify()
    san = again.extensions.value(SubjectAlternativeName)
    assert san is not None and san.names == UNCHECKED
    assert again.to_der() == req.der


def test_reading_keeps_bad_names_written_by_cryptography() -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    names = [x509.DNSName("ex ample.com"), x509.DNSName("xn--yp8h.example"),
             x509.DNSName("-bad-.example."), x509.RFC822Name("a b@example.com"),
             x509.UniformResourceIdentifier("no scheme")]
    csr = (x509.CertificateSigningRequestBuilder()
           .subject_name(x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "x")]))
           .add_extension(x509.SubjectAlternativeName(names), critical=False)
           .sign(ec.generate_private_key(ec.SECP256R1()), hashes.SHA256()))
    req = csrlib.load(csr.public_bytes(serialization.Encoding.DER))
    req.verify()
    san = req.extensions.value(SubjectAlternativeName)
    assert san is not None and san.names == (
        DNSName("ex ample.com"), DNSName("xn--yp8h.example"), DNSName("-bad-.example."),
        RFC822Name("a b@example.com"), UniformResourceIdentifier("no scheme"))


# -- U-labels for showing names ------------------------------------------------------

UNICODE = [
    ("a-label", "xn--fa-hia.example", "faß.example"),
    ("uppercase-a-label", "XN--BCHER-KVA.Example", "bücher.Example"),
    ("wildcard", "*.xn--bcher-kva.example", "*.bücher.example"),
    ("tld", "example.xn--55qx5d", "example.公司"),
    ("no-a-label", "www.example.com", "www.example.com"),
    ("bad-ascii-kept", "ex ample.com", "ex ample.com"),
    ("emoji-a-label", "xn--yp8h.example", None),
    ("garbage-a-label", "xn--zz.example", None),
    ("not-canonical", "xn---bbk.example", None),
    ("trailing-hyphen", "xn--abc-.example", None),
    ("too-long", "xn--" + "a" * 70 + ".example", None),
    ("one-bad-of-two", "xn--bcher-kva.xn--zz", None),
]


@pytest.mark.parametrize(("name", "shown"), _rows(UNICODE))
def test_to_unicode(name: str, shown: str | None) -> None:
    assert to_unicode(name) == shown


@given(st.one_of(st.text(max_size=80), st.text(
    "abcxyz019-.XN", max_size=40).map(lambda s: "xn--" + s)))
def test_to_unicode_never_raises(name: str) -> None:
    shown = to_unicode(name)
    assert shown is None or isinstance(shown, str)


# -- csrlib.pyz carries idna ---------------------------------------------------------


def test_zipapp_holds_idna_and_converts_on_a_bare_interpreter(tmp_path: Path) -> None:
    pyz = tmp_path / "csrlib.pyz"
    versions = zipapp.build(pyz)
    assert versions["idna"] != "unknown"
    with zipfile.ZipFile(pyz) as archive:
        names = set(archive.namelist())
    assert {"idna/__init__.py", "idna/core.py", "idna/uts46data.py"} <= names
    assert [n for n in names if n.startswith("idna-") and "LICEN" in n.upper()]
    if sys.platform in ("emscripten", "wasi"):
        return  # cannot start processes here
    made = subprocess.run(
        [sys.executable, "-I", "-S", str(pyz), "new", "--subject", "CN=x", "--san",
         "DNS:faß.example,email:a@bücher.example", "--key-out", "key.pem", "--out", "req.csr"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert made.returncode == 0, made.stderr
    san = csrlib.load((tmp_path / "req.csr").read_bytes()).extensions.value(
        SubjectAlternativeName)
    assert san is not None and san.names == (
        DNSName("xn--fa-hia.example"), RFC822Name("a@xn--bcher-kva.example"))
    refused = subprocess.run(
        [sys.executable, "-I", "-S", str(pyz), "new", "--subject", "CN=x", "--san",
         "DNS:👍.example", "--key-out", "k2.pem", "--out", "r2.csr"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert refused.returncode == 2 and "IDNA 2008" in refused.stderr


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet="aZ09-.*xnXN\n", max_size=80) | st.from_regex(
    r"(\*\.)?[a-z0-9-]{1,64}(\.[a-z0-9-]{1,64}){0,4}", fullmatch=True), st.booleans())
def test_the_fast_dns_path_accepts_only_what_the_label_rules_accept(
        name: str, wildcard: bool) -> None:
    from csrlib.model.hostnames import _check_dns_labels, _plain_dns

    try:
        _check_dns_labels(name, wildcard)
        accepted = True
    except Exception:
        accepted = False
    if _plain_dns(name, wildcard):
        assert accepted, name
    elif accepted:  # the regular expression misses no plain LDH name
        assert "xn--" in name.lower(), name


def test_the_fast_dns_path_on_its_edges() -> None:
    from csrlib.model.hostnames import _plain_dns

    label63 = "a" * 63
    assert _plain_dns(".".join([label63] * 3) + ".abcdefghi", True)  # 201 octets
    assert not _plain_dns(".".join([label63] * 4), True)  # 255 octets > 253
    assert not _plain_dns("a" * 64 + ".example", True)
    assert _plain_dns("*.example.com", True) and not _plain_dns("*.example.com", False)
    assert not _plain_dns("a.*.example.com", True)
    assert not _plain_dns("-a.example", True) and not _plain_dns("a-.example", True)
    assert not _plain_dns("example.com.", True) and not _plain_dns("", True)
    assert not _plain_dns("XN--fa-hia.example", True)  # A-labels take the checked path
    assert not _plain_dns("exam\u0131ple.com", True)


def test_the_plain_path_judges_as_the_label_walk() -> None:
    # check_dns_name tries the one-regex test first: it gives the walk's verdicts.
    from csrlib.model import hostnames

    hostnames.check_dns_name("*.plain.example")
    with pytest.raises(csrlib.BuildError, match="no wildcard here"):
        hostnames.check_dns_name("*.plain.example", wildcard=False)
    with pytest.raises(csrlib.BuildError, match="no wildcard here"):
        hostnames.check_email("a@*.plain.example")

    class Odd(str):
        __slots__ = ()

    hostnames.check_dns_name(Odd("plain.example"))
    with pytest.raises(csrlib.BuildError, match="empty label"):
        hostnames.check_dns_name(Odd("plain..example"))
    with pytest.raises(csrlib.BuildError):
        hostnames.check_dns_name("-bad.plain.example")


def test_the_one_regex_bounds_length_and_a_labels_from_where_it_starts() -> None:
    # plain_dns_name is the pattern's fullmatch: the length and "xn--" rules
    # are lookaheads, so they hold from the position given (the builder
    # matches "DNS:name" from 4).
    from csrlib.model.hostnames import plain_dns_name

    label63 = "a" * 63
    name253 = ".".join([label63] * 3) + "." + "b" * 61
    assert len(name253) == 253 and plain_dns_name(name253)
    assert not plain_dns_name(name253 + "b")
    assert plain_dns_name("DNS:" + name253, 4) and not plain_dns_name("DNS:" + name253 + "b", 4)
    for a_label in ("xn--fa-hia.example", "a.XN--fa-hia.example", "a.xN--x.example",
                    "Xn--x", "foo.bar.xn--"):
        assert not plain_dns_name(a_label), a_label
    assert plain_dns_name("xn-a.example") and plain_dns_name("x-n--a.example")
    assert not plain_dns_name("example.com\n") and not plain_dns_name("\nexample.com")


def test_san_from_strings_gives_what_the_checked_path_gives() -> None:
    # "DNS:" + a plain name skips the conversion; any other spelling takes it.
    names = ["DNS:a.example", "dns:b.example", " DNS :c.example", "DNS:*.d.example",
             "DNS:xn--fa-hia.example", "DNS:faß.example", "DNS:E.Example"]
    san = csrlib.SubjectAlternativeName.from_strings(names)
    assert [n.value for n in san.names] == [
        "a.example", "b.example", "c.example", "*.d.example", "xn--fa-hia.example",
        "xn--fa-hia.example", "E.Example"]
    for bad in ("DNS:-a.example", "DNS:a..example", "DNS:" + "a" * 64 + ".example",
                "DNS:xn--zz.example", "DNS:"):
        with pytest.raises(csrlib.BuildError):
            csrlib.SubjectAlternativeName.from_strings([bad])
