"""RSA key generation (csrlib.signers.rsa_keygen): the FIPS 186-5 A.1.3 conditions,
the key checks of key files, and `openssl rsa -check` on what is generated."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from csrlib import signers
from csrlib.signers.keycheck import check_rsa
from csrlib.signers.primes import is_probable_prime
from csrlib.signers.private import RsaPrivateNumbers
from csrlib.signers.rsa_keygen import generate_rsa_numbers, random_prime
from tests.signers.test_keyfiles import OPENSSL, needs_openssl


def _conditions(nlen: int, n: int, e: int, d: int, p: int, q: int) -> None:
    half = nlen // 2
    assert n == p * q and n.bit_length() == nlen and e == 65537
    for prime in (p, q):
        assert prime >> (prime.bit_length() - 2) == 0b11  # top two bits set
        assert (prime - 1) % e != 0
    assert (p.bit_length(), q.bit_length()) in ((nlen - half, half), (half, nlen - half))
    assert abs(p - q).bit_length() > half - 100
    lam = (p - 1) * (q - 1) // __import__("math").gcd(p - 1, q - 1)
    assert e * d % lam == 1 and d < lam and d.bit_length() > half
    check_rsa(RsaPrivateNumbers(n, e, d, p, q))


@pytest.mark.parametrize("nlen", [1024, 1025, 2048])
def test_generated_numbers_meet_the_conditions(nlen: int) -> None:
    _conditions(nlen, *generate_rsa_numbers(nlen))


def test_random_primes() -> None:
    seen = set()
    for bits in (64, 65, 256, 512):
        prime = random_prime(bits)
        assert prime.bit_length() == bits and is_probable_prime(prime)
        seen.add(prime)
    assert len(seen) == 4
    with pytest.raises(ValueError):
        random_prime(32)
    with pytest.raises(ValueError):
        generate_rsa_numbers(512)


@needs_openssl
@pytest.mark.parametrize("spec", ["rsa:2048", "rsa:3072"])
def test_generated_keys_pass_openssl_check(spec: str, tmp_path: Path) -> None:
    signer = signers.generate(spec)
    path = tmp_path / "key.pem"
    path.write_text(signer.private_key_pem())
    result = subprocess.run([OPENSSL or "openssl", "rsa", "-check", "-noout", "-in", str(path)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "RSA key ok" in result.stdout, result.stderr
    numbers = signer.private_numbers
    _conditions(int(spec[4:]), numbers.n, numbers.e, numbers.d, numbers.p, numbers.q)
