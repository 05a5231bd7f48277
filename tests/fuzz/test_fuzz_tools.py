"""The fuzzing toolkit end to end: malformed requests behave as their Defect says, the
differential harness runs, and the README's example finds what it claims to."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import Phase, given, settings

import csrlib
from csrlib.fuzz import differential, strategies
from csrlib.fuzz.mutations import KINDS, Defect


@settings(max_examples=150)
@given(strategies.malformed_csr_ders(max_sans=2))
def test_every_mutation_fails_as_its_defect_says(case: tuple[bytes, Defect]) -> None:
    der, defect = case
    assert defect.kind in KINDS
    if defect.expect == "verify-fails":
        with pytest.raises(csrlib.InvalidSignature):
            csrlib.load_der(der).verify()
        return
    with pytest.raises(csrlib.DecodeError) as info:
        csrlib.load_der(der)
    assert defect.tlv_start <= info.value.offset < defect.tlv_end or (
        defect.kind in ("truncation", "length-overrun")), (defect, info.value)
    if defect.expect == "lenient":
        req = csrlib.load_der(der, strict=False)
        assert any(defect.tlv_start <= d.offset < defect.tlv_end for d in req.deviations)


def test_differential_smoke_against_cryptography(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert differential.main(["--against", "cryptography", "--examples", "40",
                              "--out", str(tmp_path)]) == 0
    table = capsys.readouterr().out
    assert table.startswith("| case | examples | agree |")
    counts = differential.run("cryptography", 40)
    valid = {(o, t): n for (k, o, t), n in counts.items() if k == "valid"}
    # On valid requests the two agree: both parse and verify.
    assert valid and set(valid) == {("ok", "ok")}


def test_readme_example_finds_asn1crypto_accepting_an_encoded_default() -> None:
    import asn1crypto.csr

    # As in the README, without the shrinking that only makes the report pretty.
    @settings(max_examples=20, database=None, phases=[Phase.generate])
    @given(strategies.malformed_csr_ders(kinds=("encoded-default",)))
    def test_asn1crypto_is_as_strict(case: tuple[bytes, Defect]) -> None:
        der, _defect = case
        with pytest.raises(Exception):
            asn1crypto.csr.CertificationRequest.load(der, strict=True).native  # noqa: B018

    # asn1crypto accepts the encoded DEFAULT that csrlib refuses: the test fails.
    with pytest.raises(pytest.fail.Exception):
        test_asn1crypto_is_as_strict()


def test_openssl_verdicts_read_what_openssl_says() -> None:
    # OpenSSL 3.0's `req -verify` exits 0 after "verify failure": a request
    # whose TBS has one bit flipped must still count as a bad signature.
    from tests.conftest import OPENSSL

    if OPENSSL is None:
        pytest.skip("the openssl command line is not installed")
    from csrlib import signers

    good = csrlib.create("CN=example.com", signer=signers.generate("ed25519")).der
    flipped = bytearray(good)
    flipped[good.index(b"example.com")] ^= 0x20  # 'e' -> 'E': still a valid UTF8String
    assert differential.PARSERS["openssl"][0](good) == "ok"
    assert differential.PARSERS["openssl"][0](bytes(flipped)) == "bad-signature"
