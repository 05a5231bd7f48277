"""Write the seed corpus: ``python tests/fuzz/make_corpus.py`` (needs openssl and cryptography).

``corpus/csr/``: DER requests made by the openssl command line, by
cryptography and by csrlib, every key type, with extensions and
attributes, the committed ``tests/vectors/example.csr`` (DER and PEM), and
the hand-built requests that lenient mode accepts (from
``tests/test_lenient_request.py``).  ``corpus/keys/``: private keys in
PKCS#8, PKCS#1 and SEC1 (DER, and one PEM of each) and the
SubjectPublicKeyInfo of each.  RSA keys are 1024-bit where the size does
not matter, to keep the corpus small.  Files are named by their content
hash; existing files are replaced.
"""

from __future__ import annotations

import hashlib
import ipaddress
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

# (name, key options, request options, subject, extensions)
OPENSSL_REQUESTS = [
    ("rsa2048", ["-newkey", "rsa:2048"], ["-sha256"], "/C=US/O=Example/CN=example.com",
     ["subjectAltName=DNS:example.com,IP:192.0.2.1,IP:2001:db8::1,email:a@example.com,"
      "URI:https://example.com/,RID:1.2.3.4,dirName:dir_sect,otherName:1.2.3.4;UTF8:hello",
      "basicConstraints=critical,CA:TRUE,pathlen:3",
      "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign,decipherOnly",
      "extendedKeyUsage=serverAuth,clientAuth,1.2.3.4.5",
      "subjectKeyIdentifier=0102030405060708",
      "certificatePolicies=1.2.3.4,2.5.29.32.0",
      "1.2.3.4.5.6=DER:3003020101"]),
    ("rsa1024-sha1", ["-newkey", "rsa:1024"], ["-sha1"], "/CN=old", []),
    ("rsa-pss-key", ["-newkey", "rsa-pss", "-pkeyopt", "rsa_keygen_bits:1024"], ["-sha256"],
     "/CN=pss.example", ["subjectAltName=DNS:pss.example"]),
    ("rsa-pss-sig", ["-newkey", "rsa:1024"],
     ["-sha384", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:20"],
     "/CN=pss-sig.example", []),
    ("p256", ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"], ["-sha256"],
     "/C=DE/ST=Berlin/L=Berlin/O=Beispiel GmbH/OU=IT/CN=beispiel.de",
     ["subjectAltName=DNS:beispiel.de,email:admin@beispiel.de,URI:https://beispiel.de/"]),
    ("p384", ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384"], ["-sha384"],
     "/CN=p384.example", ["subjectAltName=IP:2001:db8::1,DNS:p384.example"]),
    ("p521", ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-521"], ["-sha512"],
     "/CN=p521.example", []),
    ("secp256k1", ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:secp256k1"], ["-sha256"],
     "/CN=k1.example", []),
    ("ed25519", ["-newkey", "ed25519"], [], "/CN=ed25519.example",
     ["subjectAltName=DNS:ed25519.example"]),
    ("ed448", ["-newkey", "ed448"], [], "/CN=ed448.example", []),
    ("multivalued-rdn", ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"],
     ["-multivalue-rdn"], "/O=Example/CN=multi+OU=Ops+UID=42", []),
    ("utf8-subject", ["-newkey", "ed25519"], ["-utf8"],
     "/C=CH/L=Zürich/O=Ünïcödé ☃ AG/CN=zürich.example", []),
    ("email-subject", ["-newkey", "ed25519"], [],
     "/CN=mail.example/emailAddress=admin@mail.example/serialNumber=123/DC=example", []),
]

CONFIG = """\
[req]
distinguished_name = dn
attributes = attrs
prompt = no
string_mask = {mask}
[dn]
{dn}
[attrs]
{attrs}
[dir_sect]
CN = dir
"""

# (name, dn lines, attribute lines, string mask)
OPENSSL_CONFIG_REQUESTS = [
    ("challenge-password", "CN = challenge.example\nO = Example",
     "challengePassword = s3cret-pass\nunstructuredName = Unit 7", "utf8only"),
    ("printable-mask", "C = GB\nO = Example Ltd\nCN = printable.example", "", "default"),
    ("bmp-mask", "CN = bmp.example\nO = Firma", "", "MASK:0x800"),
    ("teletex-mask", "CN = t61.example", "challengePassword = pw", "nombstr"),
]


def _openssl(args: list[str], cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def openssl_requests(work: Path) -> dict[str, bytes]:
    out = {}
    config = work / "base.cnf"
    config.write_text(CONFIG.format(mask="utf8only", dn="CN = x", attrs=""), encoding="utf-8")
    for name, key_opts, req_opts, subject, exts in OPENSSL_REQUESTS:
        args = ["req", "-new", "-config", str(config), *key_opts, "-nodes", "-keyout",
                f"{name}.key", "-subj", subject, *req_opts, "-outform", "DER",
                "-out", f"{name}.der"]
        for ext in exts:
            args += ["-addext", ext]
        _openssl(args, work)
        out[name] = (work / f"{name}.der").read_bytes()
    for name, dn, attrs, mask in OPENSSL_CONFIG_REQUESTS:
        path = work / f"{name}.cnf"
        path.write_text(CONFIG.format(mask=mask, dn=dn, attrs=attrs), encoding="utf-8")
        _openssl(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                  "-nodes", "-keyout", f"{name}.key", "-config", str(path), "-outform", "DER",
                  "-out", f"{name}.der"], work)
        out[name] = (work / f"{name}.der").read_bytes()
    return out


def cryptography_requests() -> dict[str, bytes]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
    from cryptography.x509.oid import AttributeOID, ExtendedKeyUsageOID, NameOID

    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Crypto, Inc."),
        x509.NameAttribute(NameOID.COMMON_NAME, "crypto.example"),
    ])
    san = x509.SubjectAlternativeName([
        x509.DNSName("crypto.example"), x509.IPAddress(ipaddress.ip_address("198.51.100.7")),
        x509.RFC822Name("ops@crypto.example"),
        x509.UniformResourceIdentifier("https://crypto.example/x"),
        x509.RegisteredID(x509.ObjectIdentifier("1.3.6.1.4.1.99999.1")),
        x509.DirectoryName(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "dir")])),
        x509.OtherName(x509.ObjectIdentifier("1.3.6.1.4.1.311.20.2.3"), b"\x0c\x03a@b"),
    ])
    full = (x509.CertificateSigningRequestBuilder().subject_name(name)
            .add_extension(san, critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(True, False, True, False, False, True, True, False,
                                         False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH,
                                                  ExtendedKeyUsageOID.CODE_SIGNING]),
                           critical=False)
            .add_extension(x509.SubjectKeyIdentifier(b"\x01" * 20), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier(b"\x02" * 20, None, None),
                           critical=False)
            .add_extension(x509.CertificatePolicies([x509.PolicyInformation(
                x509.ObjectIdentifier("2.23.140.1.2.1"),
                ["https://cps.example", x509.UserNotice(None, "notice")])]), critical=False)
            .add_extension(x509.UnrecognizedExtension(x509.ObjectIdentifier("1.2.3.4.99"),
                                                      b"\x05\x00"), critical=False)
            .add_attribute(AttributeOID.CHALLENGE_PASSWORD, b"password")
            .add_attribute(AttributeOID.UNSTRUCTURED_NAME, b"unstructured"))
    keys = {
        "crypto-rsa": (rsa.generate_private_key(65537, 1024), hashes.SHA256()),
        "crypto-p256": (ec.generate_private_key(ec.SECP256R1()), hashes.SHA256()),
        "crypto-p384": (ec.generate_private_key(ec.SECP384R1()), hashes.SHA384()),
        "crypto-ed25519": (ed25519.Ed25519PrivateKey.generate(), None),
        "crypto-ed448": (ed448.Ed448PrivateKey.generate(), None),
    }
    out = {}
    for label, (key, digest) in keys.items():
        csr = full.sign(key, digest)  # type: ignore[arg-type]
        out[label] = csr.public_bytes(serialization.Encoding.DER)
    bare = x509.CertificateSigningRequestBuilder().subject_name(x509.Name([]))
    out["crypto-empty-subject"] = bare.sign(keys["crypto-p256"][0], hashes.SHA256()).public_bytes(
        serialization.Encoding.DER)
    return out


def csrlib_requests() -> dict[str, bytes]:
    import csrlib
    from csrlib import signers

    out = {}
    for spec in ("ec:P-256", "ec:secp256k1", "ed25519", "ed448"):
        signer = signers.generate(spec)
        req = (csrlib.CertificateRequestBuilder()
               .subject(csrlib.Name.from_rfc4514("CN=lib.example,O=Example\\, Inc,C=US"))
               .add_extension(csrlib.SubjectAlternativeName.from_strings(
                   ["DNS:lib.example", "IP:192.0.2.1", "email:a@lib.example"]))
               .add_extension(csrlib.KeyUsage(digital_signature=True))
               .add_attribute("challengePassword", "secret")
               .sign(signer))
        out[f"csrlib-{spec.replace(':', '-')}"] = req.der
    return out


def lenient_requests() -> dict[str, bytes]:
    from tests.test_lenient_request import CASES

    return {f"lenient-{case.id}": case.der for case in CASES}


def keys(work: Path) -> list[bytes]:
    out: list[bytes] = []
    specs = [("rsa", ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"]),
             ("rsa-pss", ["-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:1024"]),
             ("p256", ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]),
             ("p521", ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521"]),
             ("ed25519", ["-algorithm", "ED25519"]), ("ed448", ["-algorithm", "ED448"])]
    for name, opts in specs:
        _openssl(["genpkey", *opts, "-out", f"{name}.pem"], work)
        _openssl(["pkey", "-in", f"{name}.pem", "-outform", "DER", "-out", f"{name}.p8"], work)
        _openssl(["pkey", "-in", f"{name}.pem", "-pubout", "-outform", "DER",
                  "-out", f"{name}.spki"], work)
        out += [(work / f"{name}.p8").read_bytes(), (work / f"{name}.spki").read_bytes()]
    out.append((work / "p256.pem").read_bytes())
    # PKCS#1 and SEC1, DER and PEM ("traditional" forms).
    for name, kind in (("rsa", "rsa"), ("p256", "ec")):
        _openssl([kind, "-in", f"{name}.pem", "-outform", "DER", "-out", f"{name}.trad"], work)
        _openssl([kind, "-in", f"{name}.pem", "-traditional", "-out", f"{name}.trad.pem"]
                 if kind == "rsa" else [kind, "-in", f"{name}.pem", "-out", f"{name}.trad.pem"],
                 work)
        out += [(work / f"{name}.trad").read_bytes(), (work / f"{name}.trad.pem").read_bytes()]
    return out


def _write(directory: Path, items: list[bytes]) -> int:
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    for data in items:
        (directory / hashlib.sha1(data).hexdigest()[:16]).write_bytes(data)
    return sum(len(d) for d in items)


def main() -> None:
    from csrlib.pem import pem_blocks

    example_pem = (HERE.parent / "vectors" / "example.csr").read_bytes()
    example = pem_blocks(example_pem)[0][1]
    assert example is not None
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        requests = {"example": example, **openssl_requests(work), **cryptography_requests(),
                    **csrlib_requests(), **lenient_requests()}
        key_files = keys(work)
    csr_items = [*requests.values(), example_pem]
    size = _write(HERE / "corpus" / "csr", csr_items)
    size += _write(HERE / "corpus" / "keys", key_files)
    print(f"{len(csr_items)} requests, {len(key_files)} key files, {size} bytes")


if __name__ == "__main__":
    main()
