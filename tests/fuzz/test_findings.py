"""What the fuzzing found, as regressions, and the seed corpus through every fuzz target.

Runs in CI (it does not import atheris).  Each finding is an input in hex,
the call it broke, and what must hold; ``harness.py`` defines the targets
and what they count as a finding.  A finding csrlib does not fix yet is an
``xfail`` naming the defect: remove the marker with the fix.
"""

from __future__ import annotations

import math
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pyasn1_modules import rfc2986

import csrlib.asn1
from csrlib import DecodeError
from csrlib.der.primitives import encode_integer
from tests.fuzz.harness import TARGETS, Finding
from tests.helpers import tlv

CORPUS = Path(__file__).parent / "corpus"
SEEDS = [(target, path) for target, directory in (("load", "csr"), ("asn1", "csr"),
                                                  ("keys", "keys"))
         for path in sorted((CORPUS / directory).iterdir())]


@pytest.mark.parametrize(("target", "path"), SEEDS,
                         ids=[f"{t}-{p.name}" for t, p in SEEDS])
def test_seed_corpus_passes_every_target(target: str, path: Path) -> None:
    TARGETS[target](path.read_bytes())


# -- inputs found by fuzzing that pass now: kept so that they stay passing ------------------

PASSING = {
    # Lenient mode sorts the unsorted SET OF values of an unknown attribute
    # in to_der(); reloaded, the attribute holds the same values (a harness
    # false positive found by fuzz_load.py, kept for the property it checks).
    "lenient-unsorted-attribute-values": ("load", (
        "3082011f3081d2020100303a310b300906035504061302555331153013060355040a0c0c2378616d706c"
        "652c20496e63311430120603552d030c0b6c69622e6578616d706c65302a300506030b65710321005"
        "7e072ab8962215fc99099ed9d867a2212e30e524820d401d9c79ee6241abe23a065301506092a86483f"
        "f70d01090731080c06736563726574304c06092a86ffffffff01090e313f302d302b0603551d11042430"
        "22820b6c69622e6578616d706c658773c0000201810d61406c69622e6578616d706c65300e0603551d0f"
        "0101ff040403020780300506032b65700341005aa48e0fdc7557e4c63053a708b8f668e64d831b3c2e7e"
        "6fd600a2232dcff6c0356c11d4487fc597e4f5b441ebb9137b5bf79a8a8ef78a461e7b342eeda21409")),
}


@pytest.mark.parametrize("name", PASSING)
def test_found_inputs_pass_their_target(name: str) -> None:
    target, data = PASSING[name]
    TARGETS[target](bytes.fromhex(data))


# -- finding 1: decode and decode_plain refused open-type values for different reasons -----

# A CommonName whose value is not a DirectoryString: with decode_open_types=True,
# decode() used to check the ANY value as generic DER first (an empty
# INTEGER: empty-integer at byte 21), decode_plain() its tag against the
# open type first (unexpected-tag at byte 19).  Both refused it; now both
# check the open type first and give the same error.
_CN_EMPTY_INTEGER = (
    "308180306d020100300b31093007060355040302003059301306072a8648ce3d020106082a8648ce3d03"
    "0107034200046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2"
    "fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5a000300a06082a8648ce3d040302"
    "0303000102")
# The same with BOOLEAN 0x01: bool-nonstandard against unexpected-tag.
_CN_BOOLEAN = (
    "308181306e020100300c310a300806035504030101013059301306072a8648ce3d020106082a8648ce3d"
    "030107034200046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342"
    "e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5a000300a06082a8648ce3d0403"
    "020303000102")
# As fuzz_asn1.py found it (lenient): a CN value with tag 0x25, after a
# non-minimal length; length-overrun against unexpected-tag.
_FOUND_DISAGREEMENT = (
    "308182306f020100300d310b30810806035504032501783079301306072a8648ce3d020106082a8648ce"
    "3d030107034200046b17d1f2e12c424708f8bce6e563a440f277037d812deb33a0f4a13945d898c2964f"
    "e342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5a000300a06080948ce3d04"
    "03020303000102")
DISAGREEMENTS = {"cn-empty-integer": _CN_EMPTY_INTEGER, "cn-boolean": _CN_BOOLEAN,
                 "found": _FOUND_DISAGREEMENT}
_CSR = rfc2986.CertificationRequest()


def _errors(data: bytes, strict: bool) -> list[tuple[str, int]]:
    out = []
    for decode in (csrlib.asn1.decode, csrlib.asn1.decode_plain):
        with pytest.raises(DecodeError) as info:
            decode(data, _CSR, strict=strict, decode_open_types=True)
        assert info.value.kind != "internal-error"
        out.append((info.value.kind, info.value.offset))
    return out


@pytest.mark.parametrize("name", DISAGREEMENTS)
@pytest.mark.parametrize("strict", [True, False], ids=["strict", "lenient"])
def test_open_type_value_errors_are_decode_errors(name: str, strict: bool) -> None:
    _errors(bytes.fromhex(DISAGREEMENTS[name]), strict)


@pytest.mark.parametrize("name", DISAGREEMENTS)
def test_open_type_value_errors_agree(name: str) -> None:
    data = bytes.fromhex(DISAGREEMENTS[name])
    pyasn1_error, plain_error = _errors(data, strict=not name.startswith("found"))
    assert pyasn1_error == plain_error


def test_the_harness_reports_a_disagreement(monkeypatch: pytest.MonkeyPatch) -> None:
    # Both backends agree now; a decode_plain that refuses for another
    # reason stands in for the finding the harness must still report.
    def plain(*args: object, **kwargs: object) -> None:
        raise DecodeError("unexpected-tag", 0)

    monkeypatch.setattr(csrlib.asn1, "decode_plain", plain)
    with pytest.raises(Finding) as info:
        TARGETS["asn1"](bytes.fromhex(_CN_EMPTY_INTEGER))
    assert info.value.kind == "disagree"


# -- finding 2: an RSA private key with one tiny factor costs seconds -----------------------


def unbalanced_rsa_key(bits: int, p: int = 3) -> bytes:
    """Return a PKCS#1 RSAPrivateKey of ``bits`` bits with n = p·q, q not even prime.

    Every check before the primality test passes (n = p·q, e·d ≡ 1 mod
    lcm(p-1, q-1), the CRT values), so read_private_key() runs Miller-Rabin
    on q: one modular exponentiation with a (bits-2)-bit exponent and modulus.
    Made in milliseconds.
    """
    rng = random.Random(bits)
    e = 65537
    while True:
        q = rng.getrandbits(bits - 2) | 1 << (bits - 3) | 1
        n = p * q
        lam = (p - 1) * (q - 1) // math.gcd(p - 1, q - 1)
        if n.bit_length() == bits and q % p and math.gcd(e, lam) == 1:
            break
    d = pow(e, -1, lam)
    numbers = (0, n, e, d, p, q, d % (p - 1), d % (q - 1), pow(q, -1, p))
    return tlv(0x30, b"".join(tlv(0x02, encode_integer(v)) for v in numbers))


_READ_KEY = """
import sys, time
from csrlib import InvalidKey
from csrlib.signers.keyfiles import read_private_key
data = sys.stdin.buffer.read()
start = time.perf_counter()
try:
    read_private_key(data)
except InvalidKey:
    pass
print(time.perf_counter() - start)
"""


def _read_key_seconds(der: bytes, timeout: float) -> float:
    """Return how long read_private_key(der) takes, in a process killed after ``timeout``.

    Where processes cannot start (Pyodide), in this one, without the deadline.
    """
    if sys.platform == "emscripten":
        from csrlib import InvalidKey
        from csrlib.signers.keyfiles import read_private_key

        start = time.perf_counter()
        with pytest.raises(InvalidKey, match="unbalanced"):
            read_private_key(der)
        return time.perf_counter() - start
    try:
        done = subprocess.run([sys.executable, "-c", _READ_KEY], input=der, timeout=timeout,
                              capture_output=True, check=True)
    except subprocess.TimeoutExpired:
        return math.inf
    return float(done.stdout)


def test_unbalanced_key_is_refused() -> None:
    from csrlib import InvalidKey
    from csrlib.signers.keyfiles import read_private_key

    start = time.perf_counter()
    with pytest.raises(InvalidKey):
        read_private_key(unbalanced_rsa_key(2048))
    assert time.perf_counter() - start < 1


def test_unbalanced_16384_bit_key_is_refused_within_a_second() -> None:
    der = unbalanced_rsa_key(16384)
    assert len(der) < 64 * 1024
    # In a child process, killed at the deadline: the exponentiation cannot be interrupted.
    assert _read_key_seconds(der, timeout=3) <= 1.0


def test_collection_does_not_need_atheris() -> None:
    # The harness modules this file imports leave atheris alone: CI does not install it.
    assert "atheris" not in sys.modules
