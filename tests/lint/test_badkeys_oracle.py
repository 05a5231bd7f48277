"""The key checks against ``badkeys`` (PyPI, test extra only) as an oracle: every verdict equal.

badkeys checks keys only, with gmpy2 and cryptography.  On generated weak
keys (ROCA-structured primes, close primes, n = p², small factors, tiny,
even and large exponents) and on 1,000 good keys made by ``openssl genpkey``
and cryptography (``data/good_moduli.txt``, see ``data/make_good_moduli.py``),
csrlib and badkeys must agree:

* ``key.rsa.fermat`` ⇔ badkeys ``fermat`` (100 rounds; both find n = p²);
* ``key.rsa.roca`` ⇔ badkeys ``roca`` (both the exact subgroup test);
* ``key.rsa.small-factor`` ⇔ badkeys ``smallfactors`` for factors below 752
  (badkeys looks up to 65537, beyond the BR's bound: not compared there);
* ``key.rsa.exponent`` (cabf, odd e) ⇔ badkeys ``rsainvalid`` (e < 3), and
  (letsencrypt) ⇔ badkeys ``rsawarnings`` ``exponent_3``/``exponent_not_65537``
  (badkeys does not call an even exponent invalid; the BR does).
"""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path

import pytest

import csrlib
from tests.lint.lintkit import next_prime, random_prime, roca_prime
from tests.lint.test_key_oracles import key_rules

badkeys = pytest.importorskip("badkeys")

_CHECKS = ["fermat", "roca", "smallfactors", "rsainvalid"]
GOOD = Path(__file__).parent / "data" / "good_moduli.txt"


@cache
def _weak_moduli() -> dict[str, int]:
    rng = random.Random(2017)
    p = random_prime(1024, rng)
    moduli = {
        "roca-1": roca_prime(1024, random.Random(1)) * roca_prime(1024, random.Random(2)),
        "roca-2": roca_prime(1024, random.Random(3)) * roca_prime(1024, random.Random(4)),
        "square": p * p,
        "far-primes": p * random_prime(1024, rng),
    }
    for k in (1, 64, 200, 400, 600):
        moduli[f"close-2^{k}"] = p * next_prime(p + 2 ** k)
    for factor in (3, 5, 101, 751):
        moduli[f"factor-{factor}"] = factor * random_prime(1024, rng) * random_prime(1014, rng)
    return moduli


def _ours(n: int, e: int = 65537) -> set[str]:
    return key_rules(csrlib.RsaPublicKey(n, e, b""), "cabf")


def _theirs(n: int, e: int = 65537) -> dict[str, object]:
    return dict(badkeys.checkrsa(n, e, checks=_CHECKS))


_PAIRS = (("key.rsa.fermat", "fermat"), ("key.rsa.roca", "roca"),
          ("key.rsa.small-factor", "smallfactors"))


_NAMES = ["roca-1", "roca-2", "square", "far-primes", *(f"close-2^{k}" for k in (1, 64, 200, 400,
                                                                                  600)),
          *(f"factor-{f}" for f in (3, 5, 101, 751))]


def test_the_generated_keys_are_those_named() -> None:
    assert sorted(_weak_moduli()) == sorted(_NAMES)


@pytest.mark.parametrize("name", _NAMES)
def test_generated_weak_keys_get_badkeys_verdicts(name: str) -> None:
    n = _weak_moduli()[name]
    ours, theirs = _ours(n), _theirs(n)
    for rule, check in _PAIRS:
        assert (rule in ours) == (check in theirs), (name, rule, ours, theirs)
    weak = not name.startswith("far") and name != "close-2^600"
    assert bool(ours - {"key.rsa.size"}) == weak


@pytest.mark.parametrize("e", [1, 2, 3, 5, 65535, 65536, 65537, 2 ** 32 + 1, 2 ** 256 + 1])
def test_exponents_get_badkeys_verdicts(e: int) -> None:
    n = _weak_moduli()["far-primes"]
    key = csrlib.RsaPublicKey(n, e, b"")
    invalid = "rsainvalid" in _theirs(n, e)
    errors = key_rules(key, "cabf")
    if e & 1:
        assert ("key.rsa.exponent" in errors) == invalid
    warnings = badkeys.checkrsa(n, e, checks=["rsawarnings"])
    # badkeys: exponent_3 or exponent_not_65537 for every e but 65537 (2048-bit n).
    assert ("key.rsa.exponent" in key_rules(key, "letsencrypt")) == bool(warnings) == (e != 65537)


@pytest.mark.skipif(not GOOD.exists(), reason="data/make_good_moduli.py has not been run")
def test_a_thousand_good_keys_pass_both() -> None:
    lines = GOOD.read_text().split()
    moduli = [int(value, 16) for value in lines[1::2]]
    assert len(moduli) == 1000 and set(lines[0::2]) == {"openssl", "cryptography"}
    for n in moduli:
        assert _theirs(n) == {}
        assert _ours(n) == set()
        assert key_rules(csrlib.RsaPublicKey(n, 65537, b""), "letsencrypt") == set()
