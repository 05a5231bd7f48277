"""The public hypothesis strategies: everything they make is valid, and examples shrink small."""

from __future__ import annotations

import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st

import csrlib
from csrlib.fuzz import strategies as cs


@given(cs.certificate_requests(include_unknown=True))
def test_requests_load_strictly_round_trip_and_verify(req: csrlib.CertificateRequest) -> None:
    again = csrlib.load_der(req.der)
    assert again.deviations == ()
    assert again.to_der() == req.der
    assert again.subject == req.subject and again.extensions == req.extensions
    again.verify()


@settings(max_examples=30)
@given(st.data())
def test_every_algorithm_signs_valid_requests(data: st.DataObject) -> None:
    for algorithm in cs.ALGORITHMS:
        der = data.draw(cs.csr_ders(algorithms=(algorithm,), max_sans=1))
        req = csrlib.load_der(der)
        req.verify()
        assert req.public_key == cs._signer(algorithm).public_key


@given(cs.names(string_types=("PrintableString", "BMPString")))
def test_names_encode_and_read_back(name: csrlib.Name) -> None:
    req_name = csrlib.load_der(
        csrlib.CertificateRequestBuilder().subject(name)
        .add_extension(csrlib.SubjectAlternativeName((csrlib.DNSName("x.example"),)))
        .sign(cs._signer("ed25519")).der).subject
    assert req_name == name
    assert {a.string_type for a in name} <= {"PrintableString", "BMPString", "IA5String"}


@given(cs.general_names(forms=("IP", "RID")))
def test_general_names_respect_forms(name: csrlib.GeneralName) -> None:
    assert name.kind in ("IP", "RID")
    name.to_der()


def test_public_keys_and_keys_are_deterministic() -> None:
    rsa = cs._signer("rsa-pkcs1-sha256")
    assert rsa.public_key.key_size == 2048
    assert cs._signer("rsa-pss-sha256").public_key == rsa.public_key
    assert find(cs.public_keys(("ecdsa-p384",)), lambda k: True,
                settings=settings(database=None)).curve == "secp384r1"


def test_examples_shrink_small() -> None:
    quick = settings(max_examples=20, database=None, deadline=None)
    smallest = find(cs.certificate_requests(), lambda r: True, settings=quick)
    assert smallest.public_key.key_type == "ed25519"
    assert len(smallest.der) < 200
    # How far the last steps shrink depends on the hypothesis release.
    assert len(smallest.subject.rdns) <= 1 and len(smallest.extensions) <= 1


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        cs.signers(("dsa",))
    with pytest.raises(ValueError):
        cs.names(string_types=("IA5String",))
    with pytest.raises(ValueError):
        cs.general_names(forms=("x400Address",))
