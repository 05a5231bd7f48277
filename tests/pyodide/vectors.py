"""Inputs for the in-Pyodide tests, made outside Pyodide, and the check of what they sign.

    python tests/pyodide/vectors.py make DIR    # CSRs of every algorithm, keys, manifest.json
    python tests/pyodide/vectors.py check DIR   # requests signed inside Pyodide, checked here

``make`` uses the ``openssl`` command line (when installed) and ``cryptography``
as oracles: every expected value in ``manifest.json`` (subject, key, algorithm,
SANs, whether the signature is valid) comes from cryptography's reading of the
request, never from csrlib. ``check`` verifies the requests that csrlib signed
inside Pyodide with cryptography and with ``openssl req -verify``.

Nothing is committed: keys and requests are made fresh on every run. This
module imports cryptography only inside ``make`` and ``check``, so the tests
can read its case table inside Pyodide.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

# name: (key options, request options, subject, extensions, needs the legacy policy)
OPENSSL_CASES: dict[str, tuple[list[str], list[str], str, list[str], bool]] = {
    "openssl-rsa2048-sha256": (
        ["-newkey", "rsa:2048"], ["-sha256"], "/C=US/O=Example/CN=rsa.example",
        ["subjectAltName=DNS:rsa.example,DNS:www.rsa.example,IP:192.0.2.1",
         "basicConstraints=critical,CA:FALSE",
         "keyUsage=critical,digitalSignature,keyEncipherment",
         "extendedKeyUsage=serverAuth,clientAuth"], False),
    "openssl-rsa2048-sha384": (["-newkey", "rsa:2048"], ["-sha384"], "/CN=sha384.example",
                               [], False),
    "openssl-rsa3072-sha512": (["-newkey", "rsa:3072"], ["-sha512"], "/CN=rsa3072.example",
                               ["subjectAltName=DNS:rsa3072.example"], False),
    "openssl-rsa2048-sha1": (["-newkey", "rsa:2048"], ["-sha1"], "/CN=legacy.example", [],
                             True),
    "openssl-rsa-pss-sig-sha256": (
        ["-newkey", "rsa:2048"],
        ["-sha256", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32"],
        "/CN=pss-sig.example", ["subjectAltName=DNS:pss-sig.example"], False),
    "openssl-rsa-pss-sig-sha512": (
        ["-newkey", "rsa:2048"],
        ["-sha512", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:64"],
        "/CN=pss-512.example", [], False),
    "openssl-rsa-pss-key": (["-newkey", "rsa-pss", "-pkeyopt", "rsa_keygen_bits:2048"],
                            ["-sha256"], "/CN=pss-key.example", [], False),
    "openssl-p256-sha256": (
        ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"], ["-sha256", "-utf8"],
        "/C=DE/L=Zürich/O=Beispiel GmbH/OU=IT/CN=beispiel.de",
        ["subjectAltName=DNS:beispiel.de,email:admin@beispiel.de,URI:https://beispiel.de/"],
        False),
    "openssl-p256-sha512": (["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"],
                            ["-sha512"], "/CN=p256-sha512.example", [], False),
    "openssl-p384-sha384": (["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384"],
                            ["-sha384"], "/CN=p384.example",
                            ["subjectAltName=IP:2001:db8::1,DNS:p384.example"], False),
    "openssl-p521-sha512": (["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-521"],
                            ["-sha512"], "/CN=p521.example", [], False),
    "openssl-secp256k1-sha256": (["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:secp256k1"],
                                 ["-sha256"], "/CN=k1.example", [], False),
    "openssl-ed25519": (["-newkey", "ed25519"], [], "/CN=ed25519.example",
                        ["subjectAltName=DNS:ed25519.example"], False),
    "openssl-ed448": (["-newkey", "ed448"], [], "/CN=ed448.example", [], False),
}

CRYPTOGRAPHY_CASES = ("crypto-rsa2048-sha256", "crypto-rsa2048-pss", "crypto-p256-sha256",
                      "crypto-p384-sha384", "crypto-secp256k1-sha256", "crypto-ed25519",
                      "crypto-ed448")

CSR_CASES = (*OPENSSL_CASES, *CRYPTOGRAPHY_CASES)

# name: (file, how it is written); all made with cryptography.
KEY_CASES = ("rsa2048-pkcs8.pem", "rsa2048-pkcs1.pem", "p256-sec1.pem", "p384-pkcs8.der",
             "ed25519-pkcs8.pem", "ed448-pkcs8.pem")


def _summary(csr_bytes: bytes) -> dict[str, Any]:
    """Return what cryptography reads in a request: the expected values for csrlib."""
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa

    csr = (x509.load_pem_x509_csr(csr_bytes) if csr_bytes.startswith(b"-----")
           else x509.load_der_x509_csr(csr_bytes))
    key = csr.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        key_type, size, curve = "rsa", key.key_size, None
    elif isinstance(key, ec.EllipticCurvePublicKey):
        key_type, size, curve = "ec", key.curve.key_size, key.curve.name
    elif isinstance(key, ed25519.Ed25519PublicKey):
        key_type, size, curve = "ed25519", 256, None
    elif isinstance(key, ed448.Ed448PublicKey):
        key_type, size, curve = "ed448", 448, None
    else:
        raise TypeError(f"unexpected key {key!r}")
    # Only read what the request holds: build no oracle value of our own, which
    # a new release of the oracle may refuse (cryptography 51 refuses an empty
    # SubjectAlternativeName).
    san: list[str] = []
    prefixes = {x509.DNSName: "DNS", x509.IPAddress: "IP", x509.RFC822Name: "email",
                x509.UniformResourceIdentifier: "URI"}
    for ext in csr.extensions:
        if isinstance(ext.value, x509.SubjectAlternativeName):
            san.extend(f"{prefixes[type(name)]}:{name.value}" for name in ext.value)
    digest = csr.signature_hash_algorithm
    return {
        "subject": csr.subject.rfc4514_string(),
        "key_type": key_type, "key_size": size, "curve": curve,
        "signature_oid": csr.signature_algorithm_oid.dotted_string,
        "hash": digest.name if digest is not None else None,
        "san": san,
        "extension_oids": sorted(e.oid.dotted_string for e in csr.extensions),
        "signature_valid": csr.is_signature_valid,
    }


def _openssl_csrs(out: Path, openssl: str) -> dict[str, Path]:
    made = {}
    for name, (key_opts, req_opts, subject, exts, _) in OPENSSL_CASES.items():
        path = out / f"{name}.pem"
        args = [openssl, "req", "-new", *key_opts, "-nodes", "-keyout", str(out / "tmp.key"),
                "-subj", subject, *req_opts, "-out", str(path)]
        for ext in exts:
            args += ["-addext", ext]
        subprocess.run(args, check=True, capture_output=True)
        made[name] = path
    (out / "tmp.key").unlink()
    return made


def _cryptography_csrs(out: Path) -> dict[str, Path]:
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
    from cryptography.x509.oid import NameOID

    rsa_key = rsa.generate_private_key(65537, 2048)
    p256 = ec.generate_private_key(ec.SECP256R1())
    signers: dict[str, tuple[Any, Any, Any]] = {
        "crypto-rsa2048-sha256": (rsa_key, hashes.SHA256(), None),
        "crypto-rsa2048-pss": (rsa_key, hashes.SHA256(), padding.PSS(
            mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.DIGEST_LENGTH)),
        "crypto-p256-sha256": (p256, hashes.SHA256(), None),
        "crypto-p384-sha384": (ec.generate_private_key(ec.SECP384R1()), hashes.SHA384(), None),
        "crypto-secp256k1-sha256": (ec.generate_private_key(ec.SECP256K1()), hashes.SHA256(),
                                    None),
        "crypto-ed25519": (ed25519.Ed25519PrivateKey.generate(), None, None),
        "crypto-ed448": (ed448.Ed448PrivateKey.generate(), None, None),
    }
    made = {}
    for name, (key, digest, rsa_padding) in signers.items():
        subject = x509.Name([
            x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Crypto, Inc."),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{name}.example"),
        ])
        san = x509.SubjectAlternativeName([
            x509.DNSName(f"{name}.example"),
            x509.IPAddress(ipaddress.ip_address("2001:db8::7")),
            x509.RFC822Name("ops@crypto.example"),
        ])
        builder = (x509.CertificateSigningRequestBuilder().subject_name(subject)
                   .add_extension(san, critical=False)
                   .add_extension(x509.BasicConstraints(ca=False, path_length=None),
                                  critical=True))
        if rsa_padding is not None:
            csr = builder.sign(key, digest, rsa_padding=rsa_padding)
        else:
            csr = builder.sign(key, digest)
        path = out / f"{name}.der"
        path.write_bytes(csr.public_bytes(serialization.Encoding.DER))
        made[name] = path
    return made


def _keys(out: Path) -> list[dict[str, Any]]:
    from cryptography.hazmat.primitives import serialization as s
    from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa

    rsa_key = rsa.generate_private_key(65537, 2048)
    keys: dict[str, tuple[Any, Any, Any, str, int, str | None]] = {
        "rsa2048-pkcs8.pem": (rsa_key, s.Encoding.PEM, s.PrivateFormat.PKCS8, "rsa", 2048, None),
        "rsa2048-pkcs1.pem": (rsa_key, s.Encoding.PEM, s.PrivateFormat.TraditionalOpenSSL,
                              "rsa", 2048, None),
        "p256-sec1.pem": (ec.generate_private_key(ec.SECP256R1()), s.Encoding.PEM,
                          s.PrivateFormat.TraditionalOpenSSL, "ec", 256, "secp256r1"),
        "p384-pkcs8.der": (ec.generate_private_key(ec.SECP384R1()), s.Encoding.DER,
                           s.PrivateFormat.PKCS8, "ec", 384, "secp384r1"),
        "ed25519-pkcs8.pem": (ed25519.Ed25519PrivateKey.generate(), s.Encoding.PEM,
                              s.PrivateFormat.PKCS8, "ed25519", 256, None),
        "ed448-pkcs8.pem": (ed448.Ed448PrivateKey.generate(), s.Encoding.PEM,
                            s.PrivateFormat.PKCS8, "ed448", 448, None),
    }
    made = []
    for file, (key, encoding, fmt, key_type, size, curve) in keys.items():
        (out / file).write_bytes(key.private_bytes(encoding, fmt, s.NoEncryption()))
        spki = key.public_key().public_bytes(s.Encoding.DER, s.PublicFormat.SubjectPublicKeyInfo)
        made.append({"file": file, "key_type": key_type, "key_size": size, "curve": curve,
                     "spki_sha256": hashlib.sha256(spki).hexdigest()})
    return made


def make(out: Path) -> dict[str, Any]:
    """Write the requests, the keys and ``manifest.json`` into ``out``; return the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    openssl = shutil.which("openssl")
    files = _cryptography_csrs(out)
    if openssl is not None:
        files.update(_openssl_csrs(out, openssl))
    csrs = []
    for name, path in files.items():
        summary = _summary(path.read_bytes())
        legacy = OPENSSL_CASES[name][4] if name in OPENSSL_CASES else False
        if openssl is not None:
            # cryptography refuses SHA-1 signatures: OpenSSL says whether they are valid.
            run = subprocess.run([openssl, "req", "-verify", "-noout", "-in", str(path)],
                                 capture_output=True, check=False)
            # OpenSSL 3.0 exits 0 even after "verify failure": read what it says.
            summary["signature_valid"] = summary["signature_valid"] or (
                run.returncode == 0 and b"verify OK" in run.stdout + run.stderr)
        csrs.append({"name": name, "file": path.name, "legacy": legacy, **summary})
    manifest = {"openssl": openssl is not None, "csrs": csrs, "keys": _keys(out)}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return manifest


def check(out: Path) -> int:
    """Verify the requests listed in ``out/signed.json``; print one line; return 0 or 1."""
    listing = out / "signed.json"
    if not listing.is_file():
        print(f"no {listing}: the in-Pyodide signing tests did not run", file=sys.stderr)
        return 1
    signed = json.loads(listing.read_text(encoding="utf-8"))
    openssl = shutil.which("openssl")
    failures = []
    for entry in signed:
        data = (out / entry["file"]).read_bytes()
        summary = _summary(data)
        if not summary["signature_valid"]:
            failures.append(f"{entry['file']}: cryptography finds the signature invalid")
        if summary["subject"] != entry["subject"] or summary["san"] != entry["san"]:
            failures.append(f"{entry['file']}: cryptography reads {summary['subject']!r} "
                            f"{summary['san']!r}")
        if openssl is not None:
            run = subprocess.run([openssl, "req", "-verify", "-noout", "-inform",
                                  "DER", "-in", str(out / entry["file"])],
                                 capture_output=True, text=True, check=False)
            if run.returncode != 0 or "verify OK" not in run.stdout + run.stderr:
                failures.append(f"{entry['file']}: openssl req -verify: {run.stderr.strip()}")
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    oracles = "cryptography and openssl" if openssl else "cryptography"
    print(f"{len(signed) - len({f.split(':')[0] for f in failures})} of {len(signed)} "
          f"requests signed inside Pyodide verify with {oracles}")
    return 1 if failures or not signed else 0


def main(argv: list[str]) -> int:
    """``make DIR`` or ``check DIR``; return the exit status."""
    if len(argv) != 2 or argv[0] not in ("make", "check"):
        print(__doc__, file=sys.stderr)
        return 2
    target = Path(argv[1])
    if argv[0] == "check":
        return check(target)
    manifest = make(target)
    print(f"made {len(manifest['csrs'])} requests and {len(manifest['keys'])} keys"
          f"{'' if manifest['openssl'] else ' (no openssl: cryptography only)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
