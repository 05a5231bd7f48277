"""csrlib.fuzz.mutations: every kind breaks exactly the rule it names, where its Defect says.

Requests are made with cryptography (RSA, P-256, Ed25519; SANs, a critical
keyUsage, basicConstraints, a multi-valued RDN, for P-256 an unrecognized
extension; a CA request; an empty subject) plus tests/vectors/example.csr.
For each request, kind and seed:

* ``decode-error``: strict loading raises DecodeError at exactly
  ``defect.offset`` (which lies in ``[tlv_start, tlv_end)``); for
  ``deep-nesting`` the offset is only guaranteed inside the TLV (see
  ``test_depth_limit_is_the_same_everywhere``); lenient loading raises too;
* ``lenient``: strict loading raises at ``defect.offset``; lenient loading
  succeeds and records a deviation of the same kind at that offset;
* ``verify-fails``: strict loading succeeds and ``verify()`` raises
  InvalidSignature.

The relation for the three kinds whose error concerns an enclosing element:
``truncation`` reports the outermost element's length octet (offset 1 for
a request) and its span is the whole cut input; ``length-overrun`` reports
the length octet of the element that claims too much; ``trailing-data`` the
first extra octet.
"""

from __future__ import annotations

import ipaddress
import random

import pytest

from csrlib import load_der
from csrlib.der import Context, read_header
from csrlib.errors import DecodeError, InvalidSignature
from csrlib.fuzz import mutations

SEEDS = range(10)
UNKNOWN_EXTENSION = "1.3.6.1.4.1.32473.2"

# The DecodeError kinds csrlib reports for each mutation kind.
REPORTED: dict[str, set[str]] = {
    "nonminimal-length": {"nonminimal-length"},
    "indefinite-length": {"indefinite-length"},
    "long-form-short-length": {"nonminimal-length"},
    "nonminimal-integer": {"nonminimal-integer"},
    "boolean-01": {"bool-nonstandard"},
    "encoded-default": {"default-encoded"},
    "unsorted-set-of": {"setof-unsorted"},
    # PKCS#9 string attributes refuse any non-string tag first.
    "constructed-string": {"constructed-form", "unexpected-tag"},
    "bad-unused-bits": {"bitstring-unused", "bitstring-padding"},
    "oid-0x80-padding": {"nonminimal-oid"},
    "wrong-tag": {"unexpected-tag"},
    "truncation": {"truncated"},
    "trailing-data": {"trailing-data"},
    # An element of the outermost one that claims too much runs past the input.
    "length-overrun": {"length-overrun", "truncated"},
    "deep-nesting": {"depth-limit"},
}

# Kinds whose place every request has; the others depend on the request.
ALWAYS = frozenset(mutations.KINDS) - {"boolean-01", "encoded-default", "unsorted-set-of",
                                       "tbs-bit-flip"}
APPLICABLE: dict[str, frozenset[str]] = {
    "rsa": frozenset(mutations.KINDS),
    "p256": frozenset(mutations.KINDS),
    "ed25519": frozenset(mutations.KINDS),
    # critical basicConstraints with cA TRUE: BOOLEANs, no DEFAULT left out.
    "ca": ALWAYS | {"boolean-01", "tbs-bit-flip"},
    # No subject, no extensions: nothing to flip in the TBS but the key.
    "empty": ALWAYS,
    # A non-critical subjectAltName only, single-valued RDNs.
    "example": ALWAYS | {"encoded-default", "tbs-bit-flip"},
}


@pytest.fixture(scope="module")
def csrs(example_der: bytes) -> dict[str, bytes]:
    """Requests by name (see APPLICABLE)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
    from cryptography.x509.oid import NameOID

    name = x509.Name([
        x509.RelativeDistinguishedName([x509.NameAttribute(NameOID.COUNTRY_NAME, "US")]),
        x509.RelativeDistinguishedName([
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example Co"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Ops 7")]),
        x509.RelativeDistinguishedName([x509.NameAttribute(NameOID.COMMON_NAME, "example.com")]),
    ])
    san = x509.SubjectAlternativeName([
        x509.DNSName("example.com"), x509.IPAddress(ipaddress.ip_address("192.0.2.1"))])
    usage = x509.KeyUsage(digital_signature=True, content_commitment=False,
                          key_encipherment=True, data_encipherment=False, key_agreement=False,
                          key_cert_sign=False, crl_sign=False, encipher_only=False,
                          decipher_only=False)
    builder = (x509.CertificateSigningRequestBuilder().subject_name(name)
               .add_extension(san, critical=False)
               .add_extension(usage, critical=True)
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=False))
    p256 = ec.generate_private_key(ec.SECP256R1())
    # An extension csrlib does not know: its value is opaque octets, never a target.
    unknown = x509.UnrecognizedExtension(x509.ObjectIdentifier(UNKNOWN_EXTENSION),
                                         bytes.fromhex("3009020105310413027a7a"))
    ed = ed25519.Ed25519PrivateKey.generate()
    made = {
        "rsa": builder.sign(rsa.generate_private_key(65537, 2048), hashes.SHA256()),
        "p256": builder.add_extension(unknown, critical=False).sign(p256, hashes.SHA256()),
        "ed25519": builder.sign(ed, None),
        "ca": x509.CertificateSigningRequestBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Issuing CA 1")]))
        .add_extension(x509.BasicConstraints(ca=True, path_length=3), critical=True)
        .sign(p256, hashes.SHA256()),
        "empty": x509.CertificateSigningRequestBuilder().subject_name(x509.Name([]))
        .sign(ed, None),
    }
    out = {label: csr.public_bytes(serialization.Encoding.DER) for label, csr in made.items()}
    out["example"] = example_der
    for der in out.values():
        load_der(der).verify()
    return out


def check(bad: bytes, defect: mutations.Defect, kind: str) -> None:
    """Assert what a mutation's Defect promises about csrlib."""
    assert (defect.kind, defect.expect, defect.rule) == (
        kind, mutations.EXPECT[kind], mutations.RULES[kind])
    assert 0 <= defect.tlv_start <= defect.offset < defect.tlv_end <= len(bad)
    if kind not in ("indefinite-length", "length-overrun", "truncation", "trailing-data"):
        # The span is one whole element as laid out.
        _, _, end = read_header(bad, defect.tlv_start, len(bad), Context(strict=False))
        assert end == defect.tlv_end
    if defect.expect == "verify-fails":
        req = load_der(bad)
        assert not req.deviations
        with pytest.raises(InvalidSignature):
            req.verify()
        return
    with pytest.raises(DecodeError) as strict:
        load_der(bad)
    err = strict.value
    assert err.kind in REPORTED[kind], err
    assert defect.tlv_start <= err.offset < defect.tlv_end, (err, defect)
    if kind != "deep-nesting":
        assert err.offset == defect.offset, (err, defect)
    if defect.expect == "decode-error":
        with pytest.raises(DecodeError):
            load_der(bad, strict=False)
        return
    deviations = load_der(bad, strict=False).deviations
    assert (defect.offset, err.kind) in {(d.offset, d.kind) for d in deviations}, deviations


@pytest.mark.parametrize("kind", mutations.KINDS)
@pytest.mark.parametrize("name", sorted(APPLICABLE))
def test_defect_is_what_csrlib_reports(csrs: dict[str, bytes], name: str, kind: str) -> None:
    der = csrs[name]
    for seed in SEEDS:
        found = mutations.mutate(der, kind, random.Random(seed))
        if kind not in APPLICABLE[name]:
            assert found is None
            continue
        assert found is not None, (name, kind, seed)
        bad, defect = found
        assert bad != der
        check(bad, defect, kind)


def _unknown_value_span(der: bytes) -> tuple[int, int]:
    """Return where the unrecognized extension's value octets lie in a request."""
    req = load_der(der)
    value = req.extensions.get(UNKNOWN_EXTENSION)
    assert value is not None
    start = der.index(value.value_der)
    return start, start + len(value.value_der)


@pytest.mark.parametrize("kind", mutations.KINDS)
def test_never_inside_an_unrecognized_extension_value(csrs: dict[str, bytes], kind: str) -> None:
    # Its value is opaque octets that load whatever they hold, so no defect
    # can be promised there: mutations change what lies around it only.
    der = csrs["p256"]
    start, end = _unknown_value_span(der)
    value = der[start:end]
    for seed in range(40):
        found = mutations.mutate(der, kind, random.Random(seed))
        assert found is not None
        bad, defect = found
        if kind in ("signature-bit-flip", "truncation", "trailing-data"):
            continue
        if value in bad:
            # Where the value went: the defect is not inside it.
            at = bad.index(value)
            assert not at <= defect.offset < at + len(value), (kind, seed, defect)
        else:
            # Only a change of the OCTET STRING around it (its length octets) may reach it.
            assert kind in ("length-overrun", "truncation"), (kind, seed)


@pytest.mark.parametrize("kind", mutations.KINDS)
def test_deterministic_and_varied(csrs: dict[str, bytes], kind: str) -> None:
    der = csrs["rsa"]
    runs = [mutations.mutate(der, kind, random.Random(seed)) for seed in range(12)]
    assert runs == [mutations.mutate(der, kind, random.Random(seed)) for seed in range(12)]
    # The request has one INTEGER, one BOOLEAN and one SET OF pair to swap.
    single = kind in ("nonminimal-integer", "boolean-01", "unsorted-set-of")
    outputs = {run[0] for run in runs if run is not None}
    assert len(outputs) == 1 if single else len(outputs) > 1


def test_all_mutations_one_per_applicable_kind(csrs: dict[str, bytes]) -> None:
    for name, der in csrs.items():
        found = mutations.all_mutations(der, random.Random(1))
        assert [d.kind for _, d in found] == [k for k in mutations.KINDS if k in APPLICABLE[name]]
        assert found == mutations.all_mutations(der, random.Random(1))


def test_mutate_any(csrs: dict[str, bytes]) -> None:
    seen = set()
    for seed in range(40):
        bad, defect = mutations.mutate_any(csrs["empty"], random.Random(seed))
        assert defect.kind in APPLICABLE["empty"]
        assert (bad, defect) == mutations.mutate_any(csrs["empty"], random.Random(seed))
        check(bad, defect, defect.kind)
        seen.add(defect.kind)
    assert len(seen) > 8


def test_inputs_accepted_as_any_bytes_like(csrs: dict[str, bytes]) -> None:
    der = csrs["p256"]
    expected = mutations.mutate(der, "wrong-tag", random.Random(3))
    assert mutations.mutate(bytearray(der), "wrong-tag", random.Random(3)) == expected
    assert mutations.mutate(memoryview(der), "wrong-tag", random.Random(3)) == expected


@pytest.mark.parametrize("data", [
    b"",
    b"\x30\x81\x03\x02\x01\x00",  # non-minimal length
    b"\x30\x80\x02\x01\x00\x00\x00",  # indefinite length
    b"\x05\x00",  # DER, but no request
    b"\x30\x06\x30\x00\x30\x00\x03\x00",  # a request's outline, empty
])
def test_not_a_request_is_a_value_error(data: bytes) -> None:
    with pytest.raises(ValueError):
        mutations.mutate(data, "truncation", random.Random(0))


def test_unknown_kind_and_trailing_input_are_value_errors(csrs: dict[str, bytes]) -> None:
    with pytest.raises(ValueError, match="unknown mutation kind"):
        mutations.mutate(csrs["p256"], "bit-rot", random.Random(0))
    with pytest.raises(ValueError):
        mutations.mutate(csrs["p256"] + b"\x00", "truncation", random.Random(0))


def test_deep_nesting_passes_the_limit_at_both_places(csrs: dict[str, bytes]) -> None:
    # Subject values and an added attribute are the two places; both are used.
    paths = set()
    for seed in range(20):
        found = mutations.mutate(csrs["example"], "deep-nesting", random.Random(seed))
        assert found is not None
        with pytest.raises(DecodeError) as err:
            load_der(found[0])
        paths.add(err.value.path.split("[")[0])
    assert paths == {"certificationRequestInfo.subject", "certificationRequestInfo.attributes"}


def _nested(levels: int) -> bytes:
    out = b"\x05\x00"
    for _ in range(levels):
        out = bytes((0x30, len(out))) + out
    return out


@pytest.mark.parametrize("place", ["subject", "attribute"])
def test_depth_limit_is_the_same_everywhere(place: str) -> None:
    # The value sits at depth 6 in both places: 26 SEQUENCEs put its NULL at
    # depth 32 (allowed), 27 at depth 33 (one past Limits.max_depth).  In the
    # subject, under an attribute type csrlib does not know: a known one
    # takes only the string types its standard allows.
    from tests.helpers import csr_der, name_der, oid, tlv

    def request(levels: int) -> bytes:
        if place == "subject":
            return csr_der(subject=name_der([("1.3.6.1.4.1.32473.2", _nested(levels))]))
        value = tlv(0x30, oid("1.3.6.1.4.1.32473.1") + tlv(0x31, _nested(levels)))
        return csr_der(attributes=tlv(0xA0, value))

    load_der(request(26))
    with pytest.raises(DecodeError, match="nesting too deep"):
        load_der(request(27))
