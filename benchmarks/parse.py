"""Benchmark loading a CSR and touching its fields, side by side with other libraries.

    python benchmarks/parse.py          (needs the bench extra: pip install '.[bench]')

For RSA-2048, P-256 and Ed25519 CSRs with three SANs, each contender loads
the DER and touches the subject string, the public key and every extension:

* csrlib: ``load_der`` (validates everything eagerly), ``subject.rfc4514()``,
  ``public_key``, each extension's typed value;
* cryptography: ``load_der_x509_csr``, ``subject.rfc4514_string()``,
  ``public_key()``, each extension's value;
* asn1crypto: ``CertificationRequest.load``, ``.native`` of subject, key and
  attributes (which parses the extension request);
* pyasn1 + pyasn1-modules: DER decode with open types, string of each subject
  value, the RSA key or EC point, each extension value decoded by its schema;
* x509kit: ``CSR(der)``, ``str(subject)``, ``public_key``, extensions and SANs.

Targets (issue 3): csrlib >= 10x faster than pyasn1, >= 3x than asn1crypto,
>= 1.5x than x509kit, and within 2.5x of cryptography's time.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import asn1crypto.csr
import x509kit
from _timing import best_times, environment, print_table, us
from codec import sample_csrs
from cryptography import x509
from pyasn1.codec.der import decoder as pyasn1_decoder
from pyasn1_modules import rfc2985, rfc2986, rfc3279, rfc5280, rfc5480

import csrlib

assert rfc2985 and rfc5480  # imported to fill pyasn1-modules' open-type maps


def with_csrlib(der: bytes) -> Any:
    req = csrlib.load_der(der)
    return req.subject.rfc4514(), req.public_key, [
        (e.oid, e.critical, e.value) for e in req.extensions]


def with_cryptography(der: bytes) -> Any:
    req = x509.load_der_x509_csr(der)
    return req.subject.rfc4514_string(), req.public_key(), [
        (e.oid, e.critical, e.value) for e in req.extensions]


def with_asn1crypto(der: bytes) -> Any:
    info = asn1crypto.csr.CertificationRequest.load(der)["certification_request_info"]
    return info["subject"].native, info["subject_pk_info"].native, info["attributes"].native


def with_pyasn1(der: bytes) -> Any:
    req, _ = pyasn1_decoder.decode(der, asn1Spec=rfc2986.CertificationRequest(),
                                   decodeOpenTypes=True)
    info = req["certificationRequestInfo"]
    subject = [str(atv["value"].getComponent()) if hasattr(atv["value"], "getComponent")
               else bytes(atv["value"]) for rdn in info["subject"][0] for atv in rdn]
    spki = info["subjectPKInfo"]
    bits = spki["subjectPublicKey"].asOctets()
    if spki["algorithm"]["algorithm"] == rfc3279.rsaEncryption:
        key: Any = pyasn1_decoder.decode(bits, asn1Spec=rfc3279.RSAPublicKey())[0]
    else:
        key = bits
    extensions = []
    for attr in info["attributes"]:
        if attr["type"] == rfc2985.pkcs_9_at_extensionRequest:
            for ext in attr["values"][0]:
                schema = rfc5280.certificateExtensionsMap.get(ext["extnID"])
                value = ext["extnValue"].asOctets()
                if schema is not None:
                    value = pyasn1_decoder.decode(value, asn1Spec=schema)[0]
                extensions.append((ext["extnID"], ext["critical"], value))
    return subject, key, extensions


def with_x509kit(der: bytes) -> Any:
    req = x509kit.CSR(der)
    return str(req.subject), req.public_key, [
        (e.oid, e.critical, e.value) for e in req.extensions], req.san


def main() -> None:
    print(f"csrlib parse benchmark — {environment()}")
    contenders = {
        "csrlib": with_csrlib, "cryptography": with_cryptography, "asn1crypto": with_asn1crypto,
        "pyasn1": with_pyasn1, "x509kit": with_x509kit,
    }
    rows = []
    worst: dict[str, float] = {}
    csrs = sample_csrs()
    csrs.pop("sample (P-256)")
    for label, der in csrs.items():
        t = best_times({name: (lambda fn=fn, der=der: fn(der))  # type: ignore[misc]
                        for name, fn in contenders.items()})
        ours = t["csrlib"]
        rows.append([f"{label} ({len(der)} B)", *(us(t[name]) for name in contenders),
                     *(f"{t[name] / ours:.2f}x" for name in contenders if name != "csrlib")])
        for name in contenders:
            worst[name] = min(worst.get(name, float("inf")), t[name] / ours)
    others = [name for name in contenders if name != "csrlib"]
    print_table("Load + touch subject string, public key, extensions (ratio = other / csrlib)",
                ["CSR", *contenders, *(f"vs {n}" for n in others)], rows)
    checks = [
        ("10x faster than pyasn1", worst["pyasn1"] >= 10),
        ("3x faster than asn1crypto", worst["asn1crypto"] >= 3),
        ("1.5x faster than x509kit", worst["x509kit"] >= 1.5),
        ("within 2.5x of cryptography", worst["cryptography"] >= 1 / 2.5),
    ]
    print("\nTargets: " + "; ".join(f"{name}: {'met' if ok else 'MISSED'}" for name, ok in checks))


if __name__ == "__main__":
    main()
