"""csrlib.model.plain_request on requests cryptography makes: read in one pass as decoded.

The same comparisons as ``test_plain_request.py`` (which needs no
cryptography, so that the Pyodide suite runs it), on requests made with
cryptography: every signature algorithm and key type it writes, several
extensions, other attributes, RSA-PSS, and keys that are not of a fixed
shape.
"""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
from cryptography.x509.oid import AttributeOID, ExtendedKeyUsageOID, NameOID

import csrlib
from tests.helpers import csr_der, tlv
from tests.model.test_plain_request import _check, check_changes


def _sign(builder: x509.CertificateSigningRequestBuilder, key: Any,
          digest: Any = None) -> bytes:
    algorithm = None if isinstance(key, ed25519.Ed25519PrivateKey | ed448.Ed448PrivateKey) \
        else digest or hashes.SHA256()
    der: bytes = builder.sign(key, algorithm).public_bytes(serialization.Encoding.DER)
    return der


_SUBJECT = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "example.com"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example Inc"),
                      x509.NameAttribute(NameOID.COUNTRY_NAME, "US")])
_SAN = x509.SubjectAlternativeName([
    x509.DNSName("example.com"), x509.DNSName("www.example.com"),
    x509.IPAddress(ipaddress.ip_address("192.0.2.1")),
    x509.IPAddress(ipaddress.ip_address("2001:db8::1"))])


def _requests() -> dict[str, bytes]:
    base = x509.CertificateSigningRequestBuilder().subject_name(_SUBJECT)
    with_san = base.add_extension(_SAN, critical=False)
    many = (with_san
            .add_extension(x509.KeyUsage(True, False, True, False, False, False, False, False,
                                         False), critical=True)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                           critical=False)
            .add_extension(x509.UnrecognizedExtension(x509.ObjectIdentifier("1.2.3.4.99"),
                                                      b"\x04\x02hi"), critical=False))
    empty_subject = x509.CertificateSigningRequestBuilder().subject_name(
        x509.Name([])).add_extension(_SAN, critical=True)
    with_password = with_san.add_attribute(AttributeOID.CHALLENGE_PASSWORD, b"secret") \
        .add_attribute(AttributeOID.UNSTRUCTURED_NAME, b"device 7")
    pss = padding.PSS(padding.MGF1(hashes.SHA256()), 32)
    return {
        "P-256 with names": _sign(with_san, ec.generate_private_key(ec.SECP256R1())),
        "P-384, SHA-384": _sign(with_san, ec.generate_private_key(ec.SECP384R1()),
                                hashes.SHA384()),
        "Ed25519, no attributes": _sign(base, ed25519.Ed25519PrivateKey.generate()),
        "Ed448 with names": _sign(with_san, ed448.Ed448PrivateKey.generate()),
        "RSA-2048, five extensions": _sign(many, rsa.generate_private_key(65537, 2048)),
        "RSA-4096, SHA-512": _sign(with_san, rsa.generate_private_key(65537, 4096),
                                   hashes.SHA512()),
        "empty subject, critical names": _sign(empty_subject,
                                               ec.generate_private_key(ec.SECP256R1())),
        "RSA-PSS, other attributes": with_password.sign(
            rsa.generate_private_key(65537, 2048), hashes.SHA256(),
            rsa_padding=pss).public_bytes(serialization.Encoding.DER),
        "RSA e = 3, SHA-224": _sign(with_password, rsa.generate_private_key(3, 2048),
                                    hashes.SHA224()),
        "P-256 compressed point": _compressed(_sign(with_san, ec.generate_private_key(
            ec.SECP256R1()))),
    }


def _compressed(der: bytes) -> bytes:
    """Return the request with its key's point compressed (its signature no longer valid)."""
    request = csrlib.load(der)
    key: Any = request.public_key
    spki = tlv(0x30, key.der[2:23] + tlv(0x03, b"\x00" + key.point(compressed=True)))
    rest = request.tbs_der[request.tbs_der.index(key.der) + len(key.der):]
    return csr_der(subject=request.subject.to_der(), spki=spki, attributes=rest)


_REQUESTS = _requests()


@pytest.mark.parametrize("label", list(_REQUESTS))
def test_common_requests_are_read_in_one_pass_as_the_decoders_read_them(label: str) -> None:
    assert _check(_REQUESTS[label])


@pytest.mark.parametrize("label", list(_REQUESTS))
def test_every_change_of_a_request_reads_alike(label: str) -> None:
    check_changes(_REQUESTS[label], label)
