"""Shared fixtures: hypothesis profiles and CSR corpora made by OpenSSL and cryptography."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Bounded and deterministic for CI; `HYPOTHESIS_PROFILE=dev` for long local runs.
settings.register_profile(
    "ci", max_examples=200, derandomize=True, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

VECTORS = Path(__file__).parent / "vectors"
OPENSSL = shutil.which("openssl")

_REQ_CONFIG = """\
[req]
distinguished_name = dn
attributes = attrs
prompt = no
string_mask = {mask}
{utf8}
[dn]
{dn}
[attrs]
{attrs}
"""

# name: (key options, extra req options, subject, extensions, config attributes)
_OPENSSL_CASES: dict[str, tuple[list[str], list[str], str, list[str], str]] = {
    "rsa2048-sha256": (["-newkey", "rsa:2048"], ["-sha256"], "/C=US/O=Example/CN=example.com",
                       ["subjectAltName=DNS:example.com,DNS:www.example.com,IP:192.0.2.1",
                        "basicConstraints=critical,CA:FALSE",
                        "keyUsage=critical,digitalSignature,keyEncipherment",
                        "extendedKeyUsage=serverAuth,clientAuth"], ""),
    "rsa2048-sha512-noext": (["-newkey", "rsa:2048"], ["-sha512"], "/CN=plain", [], ""),
    "rsa-pss-key": (["-newkey", "rsa-pss", "-pkeyopt", "rsa_keygen_bits:2048"], ["-sha256"],
                    "/CN=pss.example", ["subjectAltName=DNS:pss.example"], ""),
    "rsa-pss-sig": (["-newkey", "rsa:2048"],
                    ["-sha384", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:20"],
                    "/CN=pss-sig.example", [], ""),
    "p256": (["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"], ["-sha256"],
             "/C=DE/ST=Berlin/L=Berlin/O=Beispiel GmbH/OU=IT/CN=beispiel.de",
             ["subjectAltName=DNS:beispiel.de,email:admin@beispiel.de,URI:https://beispiel.de/"],
             ""),
    "p384": (["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384"], ["-sha384"],
             "/CN=p384.example", ["subjectAltName=IP:2001:db8::1,DNS:p384.example"], ""),
    "p521": (["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-521"], ["-sha512"],
             "/CN=p521.example", [], ""),
    "secp256k1": (["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:secp256k1"], ["-sha256"],
                  "/CN=k1.example", [], ""),
    "ed25519": (["-newkey", "ed25519"], [], "/CN=ed25519.example",
                ["subjectAltName=DNS:ed25519.example"], ""),
    "ed448": (["-newkey", "ed448"], [], "/CN=ed448.example", [], ""),
    "multivalued-rdn": (["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"],
                        ["-multivalue-rdn"], "/O=Example/CN=multi+OU=Ops+UID=42", [], ""),
    "utf8-subject": (["-newkey", "ed25519"], ["-utf8"],
                     "/C=CH/L=Zürich/O=Ünïcödé ☃ AG/CN=zürich.example", [], ""),
    "email-subject": (["-newkey", "ed25519"], [],
                      "/CN=mail.example/emailAddress=admin@mail.example", [], ""),
}

# Cases made from a configuration file: (key options, dn lines, attributes, mask, utf8).
_CONFIG_CASES: dict[str, tuple[list[str], str, str, str, bool]] = {
    "challenge-password": (["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"],
                           "CN = challenge.example\nO = Example",
                           "challengePassword = s3cret-pass\nunstructuredName = Unit 7",
                           "utf8only", False),
    "printable-mask": (["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"],
                       "C = GB\nO = Example Ltd\nCN = printable.example", "", "default", False),
    "bmp-mask": (["-newkey", "ed25519"], "CN = bmp.example\nO = Firma", "", "MASK:0x800", False),
}


def _run_openssl(args: list[str], cwd: Path) -> None:
    assert OPENSSL is not None
    subprocess.run([OPENSSL, *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="session")
def openssl_csrs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """CSRs made by the openssl command line, DER, by case name (skipped without openssl)."""
    if OPENSSL is None:
        pytest.skip("the openssl command line is not installed")
    out = tmp_path_factory.mktemp("openssl")
    csrs = {}
    for name, (key_opts, req_opts, subject, exts, _) in _OPENSSL_CASES.items():
        args = ["req", "-new", *key_opts, "-nodes", "-keyout", f"{name}.key", "-subj", subject,
                *req_opts, "-outform", "DER", "-out", f"{name}.der"]
        for ext in exts:
            args += ["-addext", ext]
        _run_openssl(args, out)
        csrs[name] = (out / f"{name}.der").read_bytes()
    for name, (key_opts, dn, attrs, mask, utf8) in _CONFIG_CASES.items():
        config = out / f"{name}.cnf"
        config.write_text(_REQ_CONFIG.format(mask=mask, utf8="utf8 = yes" if utf8 else "",
                                             dn=dn, attrs=attrs), encoding="utf-8")
        _run_openssl(["req", "-new", *key_opts, "-nodes", "-keyout", f"{name}.key",
                      "-config", str(config), "-outform", "DER", "-out", f"{name}.der"], out)
        csrs[name] = (out / f"{name}.der").read_bytes()
    return csrs


@pytest.fixture(scope="session")
def cryptography_csrs() -> dict[str, bytes]:
    """CSRs made with the cryptography package (always available in the test extra)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Crypto, Inc."),
        x509.NameAttribute(NameOID.COMMON_NAME, "crypto.example"),
    ])
    san = x509.SubjectAlternativeName([
        x509.DNSName("crypto.example"), x509.IPAddress(ipaddress.ip_address("198.51.100.7")),
        x509.RFC822Name("ops@crypto.example"),
    ])
    builder = (x509.CertificateSigningRequestBuilder().subject_name(name)
               .add_extension(san, critical=False)
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
               .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                              critical=False))
    keys = {
        "crypto-rsa": (rsa.generate_private_key(65537, 2048), hashes.SHA256()),
        "crypto-p256": (ec.generate_private_key(ec.SECP256R1()), hashes.SHA256()),
        "crypto-ed25519": (ed25519.Ed25519PrivateKey.generate(), None),
    }
    out = {}
    for label, (key, digest) in keys.items():
        csr = builder.sign(key, digest)  # type: ignore[arg-type]
        out[label] = csr.public_bytes(serialization.Encoding.DER)
    bare = x509.CertificateSigningRequestBuilder().subject_name(x509.Name([]))
    out["crypto-empty-subject"] = bare.sign(keys["crypto-p256"][0], hashes.SHA256()).public_bytes(
        serialization.Encoding.DER)
    return out


@pytest.fixture(scope="session")
def example_der() -> bytes:
    """The committed sample request, as DER."""
    from csrlib.pem import pem_blocks

    der = pem_blocks((VECTORS / "example.csr").read_bytes())[0][1]
    assert der is not None
    return der


@pytest.fixture(scope="session")
def all_csrs(
    request: pytest.FixtureRequest, cryptography_csrs: dict[str, bytes], example_der: bytes
) -> dict[str, bytes]:
    """Every CSR the tests can make here: OpenSSL's when it is installed, and the others."""
    csrs = {"example": example_der, **cryptography_csrs}
    if OPENSSL is not None:
        csrs.update(request.getfixturevalue("openssl_csrs"))
    return csrs
