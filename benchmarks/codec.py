"""Benchmark the DER codec against pyasn1 and pyasn1-fasder, side by side.

    python benchmarks/codec.py          (needs the bench extra: pip install '.[bench]')

For a few real CSRs (RSA-2048, P-256 and Ed25519 keys, three SANs each,
made with cryptography, and the committed sample), it times:

* csrlib ``decode`` to pyasn1 objects, and the ``decode_plain`` fast path;
* pyasn1's DER decoder and pyasn1-fasder's ``decode_der`` (native code);
* csrlib ``encode`` and pyasn1's DER encoder, on the same pyasn1 value.

Targets (DESIGN.md, issue 2): decode_plain >= 15x faster than pyasn1's
decoder; decode faster than pyasn1's decoder (stretch: than pyasn1-fasder);
encode faster than pyasn1's encoder.
"""

from __future__ import annotations

import ipaddress
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _timing import best_times, environment, print_table, us
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from pyasn1.codec.der import decoder as pyasn1_decoder
from pyasn1.codec.der import encoder as pyasn1_encoder
from pyasn1_modules import rfc2986

from csrlib import asn1
from csrlib.pem import pem_blocks

try:
    import pyasn1_fasder
except ImportError:  # pragma: no cover - the bench extra installs it
    pyasn1_fasder = None


def sample_csrs() -> dict[str, bytes]:
    """Return the benchmark's CSRs by name, as DER."""
    name = x509.Name([
        x509.NameAttribute(x509.oid.NameOID.COUNTRY_NAME, "US"),
        x509.NameAttribute(x509.oid.NameOID.ORGANIZATION_NAME, "Example Inc"),
        x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, "example.com"),
    ])
    san = x509.SubjectAlternativeName([
        x509.DNSName("example.com"), x509.DNSName("www.example.com"),
        x509.IPAddress(ipaddress.ip_address("192.0.2.1")),
    ])
    builder = x509.CertificateSigningRequestBuilder().subject_name(name).add_extension(
        san, critical=False)
    keys = {
        "RSA-2048": (rsa.generate_private_key(65537, 2048), hashes.SHA256()),
        "P-256": (ec.generate_private_key(ec.SECP256R1()), hashes.SHA256()),
        "Ed25519": (ed25519.Ed25519PrivateKey.generate(), None),
    }
    out = {label: builder.sign(key, digest).public_bytes(serialization.Encoding.DER)
           for label, (key, digest) in keys.items()}
    sample = Path(__file__).resolve().parent.parent / "tests" / "vectors" / "example.csr"
    out["sample (P-256)"] = pem_blocks(sample.read_bytes())[0][1]
    return out


def measure(
    plan: asn1.Plan, schema: object, der: bytes
) -> tuple[dict[str, float], dict[str, float]]:
    """Return the decode and encode timings of one CSR."""
    value = pyasn1_decoder.decode(der, asn1Spec=schema)[0]
    assert plan.decode(der) == value and asn1.encode(value) == der
    contenders = {
        "csrlib decode": lambda: plan.decode(der),
        "csrlib decode_plain": lambda: plan.decode_plain(der),
        "pyasn1 decode": lambda: pyasn1_decoder.decode(der, asn1Spec=schema),
    }
    if pyasn1_fasder is not None:
        contenders["pyasn1-fasder"] = lambda: pyasn1_fasder.decode_der(der, asn1Spec=schema)
    decoding = best_times(contenders)
    encoding = best_times({"csrlib encode": lambda: asn1.encode(value),
                           "pyasn1 encode": lambda: pyasn1_encoder.encode(value)})
    return decoding, encoding


def main() -> None:
    schema = rfc2986.CertificationRequest()
    plan = asn1.compile_schema(schema)
    print(f"csrlib codec benchmark — {environment()}")
    decode_rows = []
    encode_rows = []
    ratios: dict[str, list[float]] = {"plain": [], "decode": [], "fasder": [], "encode": []}
    for label, der in sample_csrs().items():
        t, e = measure(plan, schema, der)
        base = t["pyasn1 decode"]
        fasder = t.get("pyasn1-fasder", float("nan"))
        ratios["plain"].append(base / t["csrlib decode_plain"])
        ratios["decode"].append(base / t["csrlib decode"])
        ratios["fasder"].append(fasder / t["csrlib decode"])
        decode_rows.append([
            f"{label} ({len(der)} B)", us(t["csrlib decode_plain"]), us(t["csrlib decode"]),
            us(base), us(fasder), f"{base / t['csrlib decode_plain']:.1f}x",
            f"{base / t['csrlib decode']:.1f}x", f"{fasder / t['csrlib decode']:.2f}x",
        ])
        ratios["encode"].append(e["pyasn1 encode"] / e["csrlib encode"])
        encode_rows.append([label, us(e["csrlib encode"]), us(e["pyasn1 encode"]),
                            f"{e['pyasn1 encode'] / e['csrlib encode']:.1f}x"])
    print_table("Decode (time per CSR; ratio = other's time / csrlib's)",
                ["CSR", "csrlib plain", "csrlib → pyasn1", "pyasn1", "pyasn1-fasder",
                 "plain vs pyasn1", "decode vs pyasn1", "decode vs fasder"], decode_rows)
    print_table("Encode (pyasn1 value → DER)",
                ["CSR", "csrlib", "pyasn1", "csrlib vs pyasn1"], encode_rows)
    checks = [
        ("decode_plain >= 15x pyasn1", min(ratios["plain"]) >= 15),
        ("decode faster than pyasn1", min(ratios["decode"]) > 1),
        ("decode faster than pyasn1-fasder (stretch)", min(ratios["fasder"]) > 1),
        ("encode faster than pyasn1", min(ratios["encode"]) > 1),
    ]
    print("\nTargets: " + "; ".join(f"{name}: {'met' if ok else 'MISSED'}" for name, ok in checks))


if __name__ == "__main__":
    main()
