"""Requests for the lint tests: signed ones from the builder, hand-built ones for weak keys."""

from __future__ import annotations

import math
import random
from functools import cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

import csrlib
from csrlib import signers
from csrlib.lint import lint
from tests.helpers import csr_der, extension, extension_request, name_der, tlv

SHA256_RSA = bytes.fromhex("300d06092a864886f70d01010b0500")


@cache
def signer(spec: str = "ec:P-256") -> signers.Signer:
    """Return a signer for ``spec``; RSA keys come from cryptography (pure Python is slow)."""
    if spec.startswith("rsa:"):
        return signers.load_private_key(_rsa_private(int(spec[4:])).private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
    return signers.generate(spec)


def _rsa_private(bits: int) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(65537, bits)


def cryptography_modulus(bits: int) -> int:
    """Return the modulus of a new RSA key from cryptography (OpenSSL's generator)."""
    return _rsa_private(bits).public_key().public_numbers().n


def request(subject: str = "CN=shop.example.com", san: tuple[str, ...] = (
        "DNS:shop.example.com", "DNS:www.shop.example.com"), spec: str = "ec:P-256",
        extensions: tuple[csrlib.ExtensionValue, ...] = ()) -> csrlib.CertificateRequest:
    """Return a signed request made by csrlib's builder."""
    builder = csrlib.CertificateRequestBuilder().subject(csrlib.Name.from_rfc4514(subject))
    if san:
        builder = builder.add_extension(csrlib.SubjectAlternativeName.from_strings(list(san)))
    for value in extensions:
        builder = builder.add_extension(value)
    return builder.sign(signer(spec))


def signed_der(tbs_parts: bytes, spec: str = "ec:P-256") -> bytes:
    """Return a request whose TBS is SEQUENCE { tbs_parts }, signed with ``spec``'s key."""
    s = signer(spec)
    tbs = tlv(0x30, tbs_parts)
    signature = s.sign(tbs)
    return tlv(0x30, tbs + s.signature_algorithm.to_der() + tlv(0x03, b"\x00" + signature))


def spki_of(spec: str = "ec:P-256") -> bytes:
    return signer(spec).public_key.to_der()


def rsa_request(n: int, e: int = 65537, names: tuple[str, ...] = ("shop.example.com",)
                ) -> csrlib.CertificateRequest:
    """Return a request for the RSA key (n, e) (its signature cannot be valid)."""
    spki = csrlib.RsaPublicKey.from_numbers(n, e).der
    san = tlv(0x30, b"".join(tlv(0x82, d.encode()) for d in names))
    der = csr_der(subject=name_der([("2.5.4.3", tlv(0x0C, names[0].encode()))]), spki=spki,
                  attributes=extension_request(extension("2.5.29.17", san)),
                  signature_algorithm=SHA256_RSA, signature=tlv(0x03, b"\x00" + b"\x01" * 256))
    return csrlib.load(der)


def rules(req: csrlib.CertificateRequest, profile: str = "rfc") -> set[str]:
    return {f.rule for f in lint(req, profile)}


# -- primes (seeded, deterministic) -----------------------------------------------------


_SMALL = [p for p in range(2, 2000) if all(p % q for q in range(2, int(p ** 0.5) + 1))]
_SMALL_PRODUCT = 1
for _p in _SMALL:
    _SMALL_PRODUCT *= _p


def is_probable_prime(n: int) -> bool:
    """Return whether ``n`` is prime (trial division below 2000, 12 Miller-Rabin rounds)."""
    if n < 2000:
        return n in _SMALL
    if math.gcd(n, _SMALL_PRODUCT) != 1:
        return False
    rng = random.Random(n)
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for _ in range(12):
        x = pow(rng.randrange(2, n - 1), d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def next_prime(n: int) -> int:
    n |= 1
    while not is_probable_prime(n):
        n += 2
    return n


def random_prime(bits: int, rng: random.Random) -> int:
    return next_prime(rng.getrandbits(bits) | (3 << (bits - 2)) | 1)


def good_modulus(bits: int, rng: random.Random) -> int:
    while True:
        n = random_prime(bits // 2, rng) * random_prime(bits - bits // 2, rng)
        if n.bit_length() == bits:
            return n


@cache
def _primorial(count: int) -> int:
    product, found, p = 1, 0, 2
    while found < count:
        if is_probable_prime(p):
            product, found = product * p, found + 1
        p += 1
    return product


def roca_prime(bits: int, rng: random.Random) -> int:
    """Return a prime of Infineon RSALib's form k*M + (65537**a mod M).

    M is the product of the first 126 primes, as RSALib uses for 2048-bit
    keys (Nemec et al., CCS 2017, 2.1).
    """
    primorial = _primorial(126)
    while True:
        k = rng.getrandbits(bits - primorial.bit_length())
        candidate = k * primorial + pow(65537, rng.randrange(1, 1 << 60), primorial)
        if candidate.bit_length() == bits and is_probable_prime(candidate):
            return candidate
