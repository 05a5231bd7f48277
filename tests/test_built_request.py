"""builder.sign() returns exactly what a strict load of its DER returns (csrlib/built_request.py).

The builder makes the request from the parts it holds where it can; every
test compares that request with ``load_der(request.der)`` field by field,
types and the fields left out of equality included, and checks that what
a strict load refuses is still refused at sign time.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import csrlib
from csrlib import BuildError, oids
from csrlib import builder as builder_module
from csrlib.der.primitives import encode_oid
from csrlib.der.tlv import tlv
from csrlib.fuzz import strategies
from csrlib.model.general_names import DNSName
from csrlib.model.keys import PublicKey
from csrlib.model.lazy import LazySequence
from csrlib.model.name_attributes import NameAttribute
from csrlib.model.names import Name, RelativeDistinguishedName
from csrlib.signers import SPECS, ExternalSigner, generate

_FIELDS = ("der", "tbs_der", "signature", "version", "subject", "public_key",
           "signature_algorithm", "attributes", "extensions", "deviations",
           "signature_unused_bits", "attributes_present")


def shape(value: Any, depth: int = 0) -> Any:
    """Return ``value`` as nested (type, parts): every field, those left out of ``==`` too."""
    assert depth < 40
    kind = type(value).__qualname__
    if value is None or isinstance(value, bool | int | str | bytes | float):
        return kind, value
    if isinstance(value, ipaddress.IPv4Address | ipaddress.IPv6Address
                  | ipaddress.IPv4Network | ipaddress.IPv6Network):
        return kind, str(value)
    if isinstance(value, tuple | list | LazySequence):
        return kind, tuple(shape(v, depth + 1) for v in value)
    if dataclasses.is_dataclass(value):
        return kind, tuple((f.name, shape(getattr(value, f.name), depth + 1))
                           for f in dataclasses.fields(value))
    slots = [s for cls in type(value).__mro__ for s in getattr(cls, "__slots__", ())]
    if slots:
        return kind, tuple((s, shape(getattr(value, s), depth + 1)) for s in slots
                           if hasattr(value, s))
    return kind, repr(value)


def assert_as_loaded(req: csrlib.CertificateRequest) -> None:
    """Assert that ``req`` is what ``load_der(req.der)`` returns, in every respect."""
    loaded = csrlib.load_der(req.der)
    assert type(req) is type(loaded)
    for name in _FIELDS:
        ours, theirs = getattr(req, name), getattr(loaded, name)
        assert ours == theirs, name
        assert type(ours) is type(theirs), name
        assert repr(ours) == repr(theirs), name
        assert shape(ours) == shape(theirs), name
    for ours_ext, their_ext in zip(req.extensions, loaded.extensions, strict=True):
        assert ours_ext.value_der == their_ext.value_der
        assert type(ours_ext.value) is type(their_ext.value)
    assert repr(req) == repr(loaded)
    assert str(req.subject) == str(loaded.subject)
    assert req.to_der() == loaded.to_der() == req.der
    assert req.to_pem() == loaded.to_pem()
    assert req.challenge_password == loaded.challenge_password
    outcome = _outcome(req.verify)
    assert outcome == _outcome(loaded.verify)
    # Valid, unless the default policy refuses the curve (P-224, brainpool).
    assert outcome is None or outcome[0] == "PolicyError", outcome


def _outcome(call: Any) -> tuple[str, str] | None:
    """Return None if ``call()`` returns, else the type and text of what it raised."""
    try:
        call()
    except Exception as exc:  # the exception is the outcome compared
        return type(exc).__name__, str(exc)
    return None


@pytest.fixture
def no_read_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make sign() fail if it reads the request back: the request must be made from its parts."""
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("sign() read the request back")

    monkeypatch.setattr(builder_module, "load_der", refuse)


def _benchmark_builder() -> csrlib.CertificateRequestBuilder:
    return (csrlib.CertificateRequestBuilder().subject("CN=www.example.com,O=Example,C=US")
            .add_extension(csrlib.SubjectAlternativeName.from_strings(
                ["DNS:www.example.com", "DNS:example.com", "DNS:api.example.com"])))


def _readme_builder() -> csrlib.CertificateRequestBuilder:
    # The README's build examples, without their attributes (those read back).
    return (csrlib.CertificateRequestBuilder()
            .subject(csrlib.Name.from_rfc4514("CN=example.com,O=Example,C=US"))
            .add_extension(csrlib.SubjectAlternativeName.from_strings(
                ["DNS:example.com", "IP:192.0.2.1", "email:admin@example.com"]))
            .add_extension(csrlib.KeyUsage(digital_signature=True))
            .add_extension(csrlib.UnrecognizedExtension("1.3.6.1.5.5.7.1.24",
                                                        bytes.fromhex("3003020105")),
                           critical=False))


_SPECS = [s for s in SPECS if not s.startswith("rsa:") or s == "rsa:2048"]


@pytest.mark.parametrize("spec", _SPECS)
def test_every_signer_type_gets_what_a_load_reads(spec: str, no_read_back: None) -> None:
    try:
        signer = generate(spec)
    except csrlib.UnsupportedAlgorithm:
        pytest.skip(f"{spec} needs an optional extra")
    for make in (_benchmark_builder, _readme_builder):
        req = make().sign(signer)
        assert req.extensions.get(oids.SUBJECT_ALT_NAME) is not None
        assert_as_loaded(req)


def test_external_and_async_signers_get_what_a_load_reads(no_read_back: None) -> None:
    inner = generate("ed25519")
    external = ExternalSigner(inner.public_key, inner.signature_algorithm, inner.sign)
    assert_as_loaded(_readme_builder().sign(external))

    class Async:
        public_key = inner.public_key
        signature_algorithm = inner.signature_algorithm

        async def sign(self, data: bytes) -> bytes:
            return inner.sign(data)

    # Driven by hand, not by asyncio.run (Pyodide's event loop cannot run it):
    # nothing is awaited that does not complete at once.
    coroutine = _readme_builder().sign_async(Async())
    with pytest.raises(StopIteration) as done:
        coroutine.send(None)
    assert_as_loaded(done.value.value)


def test_empty_subject_and_no_extension_get_what_a_load_reads(no_read_back: None) -> None:
    signer = generate("ed25519")
    san = csrlib.SubjectAlternativeName.from_strings(["DNS:example.com"])
    req = csrlib.CertificateRequestBuilder().add_extension(san).sign(signer)
    assert req.extensions[0].critical is True  # RFC 5280 4.2.1.6 with an empty subject
    assert_as_loaded(req)
    assert_as_loaded(csrlib.CertificateRequestBuilder().subject("CN=x").sign(signer))
    truthy = csrlib.CertificateRequestBuilder().subject("CN=x").add_extension(
        csrlib.ExtendedKeyUsage(["serverAuth"]), critical=1)  # type: ignore[arg-type]
    assert_as_loaded(truthy.sign(signer))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(signer=strategies.signers(), subject=strategies.names(),
       exts=strategies.extensions(include_unknown=True),
       attrs=strategies.attributes(include_unknown=True) | st.just([]))
def test_built_requests_are_what_a_load_reads(signer: Any, subject: Name, exts: Any,
                                              attrs: Any) -> None:
    builder = csrlib.CertificateRequestBuilder().subject(subject)
    try:
        for value, critical in exts:
            builder = builder.add_extension(value, critical)
        for name, text, string_type in attrs:
            builder = builder.add_attribute(name, text, string_type)
        req = builder.sign(signer)
    except BuildError:
        assume(False)
        raise
    assert_as_loaded(req)


@settings(max_examples=60, deadline=None)
@given(names=st.lists(strategies.general_names(forms=("DNS",)), min_size=1, max_size=20),
       rdns=st.integers(0, 20))
def test_many_names_are_what_a_load_reads(names: list[Any], rdns: int) -> None:
    # Past EAGER_MAX elements a load keeps them in a LazySequence: read back.
    subject = Name(tuple(RelativeDistinguishedName((NameAttribute(oids.COMMON_NAME, f"n{i}"),))
                         for i in range(rdns)))
    req = (csrlib.CertificateRequestBuilder().subject(subject)
           .add_extension(csrlib.SubjectAlternativeName(tuple(names)))
           .sign(generate("ed25519")))
    assert_as_loaded(req)


def test_a_value_encoded_otherwise_is_what_a_load_reads() -> None:
    # The encoding given wins, as in the DER: a load reads "other", not "shown".
    attribute = NameAttribute(oids.COMMON_NAME, "shown", "UTF8String",
                              encoded=tlv(0x0C, b"other"))
    req = (csrlib.CertificateRequestBuilder().subject(Name.from_attributes([attribute]))
           .sign(generate("ed25519")))
    assert req.subject.get("CN") == ["other"]
    assert_as_loaded(req)


def test_name_oids_are_what_a_load_reads() -> None:
    padded = NameAttribute("2.5.4.03", "x", "UTF8String")  # read back as 2.5.4.3
    long_oid = NameAttribute(".".join(["1"] * 2 + ["2"] * 19), "y", "UTF8String")
    signer = generate("ed25519")
    try:
        req = (csrlib.CertificateRequestBuilder().subject(Name.from_attributes([padded]))
               .sign(signer))
    except BuildError:
        pass
    else:
        assert req.subject.get("CN") == ["x"]
        assert_as_loaded(req)
    # 21 arcs: more than a load's max_oid_arcs.
    with pytest.raises(BuildError, match="does not read back"):
        csrlib.CertificateRequestBuilder().subject(Name.from_attributes([long_oid])).sign(signer)


def _signed(builder: csrlib.CertificateRequestBuilder) -> Any:
    return builder.sign(generate("ed25519"))


@pytest.mark.parametrize("make", [
    # Name values whose encoding a load refuses.
    lambda: csrlib.CertificateRequestBuilder().subject(Name.from_attributes([
        NameAttribute(oids.COMMON_NAME, "x", "UTF8String", encoded=b"\x0c\x01\xff")])),
    lambda: csrlib.CertificateRequestBuilder().subject(Name.from_attributes([
        NameAttribute(oids.COMMON_NAME, "x", "UTF8String", encoded=b"\x0c\x02x")])),
    # A known extension OID with a value that is not of its type.
    lambda: csrlib.CertificateRequestBuilder().subject("CN=x").add_extension(
        csrlib.UnrecognizedExtension(oids.SUBJECT_ALT_NAME, b"\x05\x00"), critical=False),
    lambda: csrlib.CertificateRequestBuilder().subject("CN=x").add_extension(
        csrlib.UnrecognizedExtension(oids.KEY_USAGE, b"\x03\x02\x07"), critical=True),
    # The same extension twice, once under an OID written with a padded arc.
    lambda: csrlib.CertificateRequestBuilder().subject("CN=x")
    .add_extension(csrlib.SubjectAlternativeName.from_strings(["DNS:a.example"]))
    .add_extension(csrlib.UnrecognizedExtension("2.5.29.017", bytes.fromhex("3003820178")),
                   critical=False),
])
def test_what_a_load_refuses_is_refused_when_signing(make: Any) -> None:
    try:
        builder = make()
    except BuildError:
        return  # refused even earlier
    with pytest.raises(BuildError, match="does not read back"):
        _signed(builder)


def test_a_leniently_read_key_a_load_refuses_is_refused_when_signing() -> None:
    signer = generate("rsa:2048")
    spki = signer.public_key.to_der()
    # rsaEncryption without its NULL parameters: lenient reading keeps it.
    algorithm = tlv(0x30, tlv(0x06, encode_oid(oids.RSA_ENCRYPTION)))
    old_algorithm = tlv(0x30, tlv(0x06, encode_oid(oids.RSA_ENCRYPTION)) + b"\x05\x00")
    assert old_algorithm in spki
    odd = spki.replace(old_algorithm, algorithm)
    odd = tlv(0x30, odd[odd.index(algorithm):])  # lengths of the outer SEQUENCE again
    with pytest.raises(csrlib.DecodeError):
        PublicKey.from_der(odd)
    key = PublicKey.from_der(odd, strict=False)
    assert key.to_der() == odd
    lenient = ExternalSigner(key, signer.signature_algorithm, signer.sign)
    with pytest.raises(BuildError, match="does not read back"):
        _benchmark_builder().sign(lenient)


def test_raw_attribute_values_are_what_a_load_reads() -> None:
    req = (_benchmark_builder()
           .add_attribute("1.3.6.1.4.1.32473.1", bytes.fromhex("0c0568656c6c6f"))
           .add_attribute("challengePassword", "secret")
           .sign(generate("ed25519")))
    assert_as_loaded(req)


@pytest.mark.parametrize("length", [1, 63, 126, 127, 128, 129, 200, 253])
def test_plain_dns_names_of_every_length_are_what_a_load_reads(length: int,
                                                                no_read_back: None) -> None:
    # add_extension writes a subjectAltName of plain names in one pass
    # (built_request.plain_san_der): the same DER as to_der(), short and
    # long lengths alike, and the request a load reads.
    from csrlib.built_request import plain_san_der

    labels = []
    left = length
    while left > 0:
        size = min(63, left)
        labels.append("a" * size)
        left -= size + 1
    host = ".".join(labels)[:length].rstrip(".")
    value = csrlib.SubjectAlternativeName((DNSName(host), DNSName("www.example.com")))
    assert plain_san_der(value) == value.to_der()
    req = csrlib.CertificateRequestBuilder().add_extension(value).sign(generate("ed25519"))
    assert_as_loaded(req)


def test_names_that_are_not_plain_take_the_checked_path() -> None:
    from csrlib.built_request import plain_san_der

    for names in [(DNSName("xn--fa-hia.example"),), (DNSName("-bad.example"),),
                  (DNSName("a" * 254),), (csrlib.RFC822Name("a@example.com"),), ()]:
        assert plain_san_der(csrlib.SubjectAlternativeName(names)) is None
    with pytest.raises(csrlib.BuildError, match="label"):
        csrlib.CertificateRequestBuilder().add_extension(
            csrlib.SubjectAlternativeName((DNSName("-bad.example"),)))
    with pytest.raises(csrlib.BuildError):
        csrlib.CertificateRequestBuilder().add_extension(csrlib.SubjectAlternativeName(()))
