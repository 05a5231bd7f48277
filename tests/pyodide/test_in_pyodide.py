"""What csrlib must do inside Pyodide: every algorithm, signing, strictness, the command line.

``tests/pyodide/run.sh`` runs this module (with the rest of the suite) inside
Pyodide, reading requests and keys that OpenSSL and cryptography made outside
(``$CSRLIB_PYODIDE_VECTORS``, see ``vectors.py``): the expected values come
from cryptography, never from csrlib. Requests signed here are listed in
``$CSRLIB_PYODIDE_OUT/signed.json``, and run.sh verifies them with OpenSSL and
cryptography after Pyodide exits. In the ordinary CPython run the module makes
its inputs itself.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import csrlib
from csrlib import cli, signers

IN_PYODIDE = sys.platform == "emscripten"


def _load_vectors_module() -> Any:
    spec = importlib.util.spec_from_file_location(
        "csrlib_pyodide_vectors", Path(__file__).with_name("vectors.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


vectors = _load_vectors_module()

Inputs = tuple[Path, dict[str, Any]]


@pytest.fixture(scope="session")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Inputs:
    """The directory of requests and keys, and its manifest."""
    given = os.environ.get("CSRLIB_PYODIDE_VECTORS")
    if given:
        directory = Path(given)
    elif IN_PYODIDE:
        pytest.fail("run tests/pyodide/run.sh: it makes the inputs outside Pyodide")
    else:
        pytest.importorskip("cryptography")
        directory = tmp_path_factory.mktemp("vectors")
        vectors.make(directory)
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    return directory, manifest


@pytest.fixture(scope="session")
def signed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., None]]:
    """Record a request signed here; the list goes to ``signed.json`` for run.sh to check."""
    out = Path(os.environ.get("CSRLIB_PYODIDE_OUT") or tmp_path_factory.mktemp("signed"))
    entries: list[dict[str, Any]] = []

    def record(name: str, req: csrlib.CertificateRequest, subject: str, san: list[str]) -> None:
        (out / f"{name}.der").write_bytes(req.der)
        entries.append({"file": f"{name}.der", "subject": subject, "san": san})

    yield record
    (out / "signed.json").write_text(json.dumps(entries, indent=1), encoding="utf-8")


def _case(inputs: Inputs, name: str) -> tuple[dict[str, Any], bytes]:
    directory, manifest = inputs
    for case in manifest["csrs"]:
        if case["name"] == name:
            return case, (directory / case["file"]).read_bytes()
    pytest.skip(f"{name} not made here (openssl not installed)")


def _san_strings(req: csrlib.CertificateRequest) -> list[str]:
    san = req.extensions.value(csrlib.SubjectAlternativeName)
    if san is None:
        return []
    prefixes = {"DNSName": "DNS", "IPAddress": "IP", "RFC822Name": "email",
                "UniformResourceIdentifier": "URI"}
    return [f"{prefixes[type(name).__name__]}:{name.value}" for name in san]


# --- where we run --------------------------------------------------------------------------


@pytest.mark.skipif(not IN_PYODIDE, reason="checks the Pyodide run itself")
def test_runs_the_wheel_in_pyodide_without_gmpy2() -> None:
    import site

    # The installed wheel, not the source tree; CPython 3.14 on WebAssembly; no native
    # accelerator: ecdsa falls back to Python integers.
    assert csrlib.__file__.startswith(site.getsitepackages()[0] + "/csrlib/")
    assert sys.version_info >= (3, 14)
    assert importlib.util.find_spec("gmpy2") is None
    import ecdsa.ellipticcurve

    assert not getattr(ecdsa.ellipticcurve, "GMPY", False)


# --- every algorithm: load, compare with cryptography, verify ------------------------------


@pytest.mark.parametrize("name", vectors.CSR_CASES)
def test_loads_and_verifies_like_cryptography(inputs: Inputs, name: str) -> None:
    case, data = _case(inputs, name)
    req = csrlib.load(data)
    key = req.public_key
    assert req.version == 0
    assert req.subject.rfc4514() == case["subject"]
    assert (key.key_type, key.key_size, key.curve) == (
        case["key_type"], case["key_size"], case["curve"])
    assert str(req.signature_algorithm.oid) == case["signature_oid"]
    assert req.signature_algorithm.hash == case["hash"]
    assert _san_strings(req) == case["san"]
    assert sorted(str(ext.oid) for ext in req.extensions) == case["extension_oids"]
    assert case["signature_valid"]
    if case["legacy"]:
        with pytest.raises(csrlib.PolicyError):
            req.verify()
        req.verify(policy=csrlib.Policy.legacy())
    else:
        req.verify()
    # Nothing lost: DER and PEM give the same request back, byte for byte.
    assert req.to_der() == req.der
    again = csrlib.load_pem(req.to_pem())
    assert again.der == req.der
    assert csrlib.load_der(req.der).tbs_der == req.tbs_der


@pytest.mark.parametrize("name", vectors.CSR_CASES)
def test_any_change_to_the_signed_bytes_fails(inputs: Inputs, name: str) -> None:
    case, data = _case(inputs, name)
    req = csrlib.load(data)
    policy = csrlib.Policy.legacy() if case["legacy"] else None
    signature = bytearray(req.signature)
    signature[len(signature) // 2] ^= 0x01
    forged = req.der.replace(req.signature, bytes(signature))
    with pytest.raises(csrlib.InvalidSignature):
        csrlib.load(forged).verify(policy=policy)
    # One letter of the subject changed: the signature no longer covers the request.
    cn = case["subject"].split(",")[0].split("=", 1)[1].encode()
    tampered = req.der.replace(cn, cn[:-1] + bytes([cn[-1] ^ 0x20]), 1)
    assert tampered != req.der
    with pytest.raises(csrlib.InvalidSignature):
        csrlib.load(tampered).verify(policy=policy)


@pytest.mark.parametrize("name", vectors.CSR_CASES)
def test_show_json_agrees_with_cryptography(inputs: Inputs, name: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    case, _ = _case(inputs, name)
    directory, _ = inputs
    args = ["show", "--json", str(directory / case["file"])]
    if case["legacy"]:
        args[1:1] = ["--policy", "legacy"]
    assert cli.main(args) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["subject"] == case["subject"]
    assert shown["signature_valid"] is True, shown["verify_error"]
    assert shown["signature_algorithm"]["oid"] == case["signature_oid"]
    assert shown["public_key"]["type"] == case["key_type"]
    assert [f"{s['type']}:{s['value']}" for s in shown["san"]] == case["san"]


# --- signing: pre-generated keys (RSA-2048 among them) and keys made here ------------------


@pytest.mark.parametrize("file", vectors.KEY_CASES)
def test_signs_with_a_key_file(inputs: Inputs, file: str,
                               signed: Callable[..., None]) -> None:
    directory, manifest = inputs
    (meta,) = [k for k in manifest["keys"] if k["file"] == file]
    signer = signers.load_private_key((directory / file).read_bytes())
    key = signer.public_key
    assert (key.key_type, key.key_size, key.curve) == (
        meta["key_type"], meta["key_size"], meta["curve"])
    assert key.fingerprint().hex() == meta["spki_sha256"]
    subject = f"CN={file.replace('.', '-')}.example,O=Pyodide"
    san = [f"DNS:{file.replace('.', '-')}.example", "IP:192.0.2.44"]
    req = csrlib.create(subject, san=san, signer=signer)
    loaded = csrlib.load(req.der)
    loaded.verify()
    assert loaded.public_key.fingerprint().hex() == meta["spki_sha256"]
    assert _san_strings(loaded) == san
    signed(f"key-{file}", req, subject, san)


@pytest.mark.parametrize("hash_name", ["sha256", "sha512"])
def test_signs_rsa_pss(inputs: Inputs, hash_name: str, signed: Callable[..., None]) -> None:
    directory, _ = inputs
    signer = signers.load_private_key((directory / "rsa2048-pkcs8.pem").read_bytes(),
                                      pss=True, hash=hash_name)
    subject = f"CN=pss-{hash_name}.example"
    req = csrlib.create(subject, signer=signer)
    loaded = csrlib.load(req.der)
    assert loaded.signature_algorithm.name == "RSASSA-PSS"
    assert loaded.signature_algorithm.hash == hash_name
    loaded.verify()
    signed(f"pss-{hash_name}", req, subject, [])


@pytest.mark.parametrize("spec", ["ec:P-256", "ec:P-384", "ec:P-521", "ec:secp256k1",
                                  "ed25519", "ed448"])
def test_generates_a_key_and_builds_a_request(spec: str, signed: Callable[..., None]) -> None:
    signer = signers.generate(spec)
    label = spec.replace(":", "-").lower()
    req = (csrlib.CertificateRequestBuilder()
           .subject(csrlib.Name.from_rfc4514(f"CN={label}.example,O=Example,C=US"))
           .add_extension(csrlib.SubjectAlternativeName.from_strings(
               [f"DNS:{label}.example", "IP:2001:db8::44", "email:ops@example.com"]))
           .add_extension(csrlib.KeyUsage(digital_signature=True))
           .add_extension(csrlib.BasicConstraints(ca=False))
           .add_attribute("challengePassword", "pyodide secret")
           .sign(signer))
    loaded = csrlib.load(req.to_pem())
    loaded.verify()
    assert loaded.challenge_password is not None
    assert loaded.extensions.value(csrlib.KeyUsage) == csrlib.KeyUsage(digital_signature=True)
    assert _san_strings(loaded) == [f"DNS:{label}.example", "IP:2001:db8::44",
                                    "email:ops@example.com"]
    signed(f"generated-{label}", req, f"CN={label}.example,O=Example,C=US",
           [f"DNS:{label}.example", "IP:2001:db8::44", "email:ops@example.com"])


# --- strict rejection of malformed input ---------------------------------------------------


def _tlv(tag: int, content: bytes) -> bytes:
    n = len(content)
    if n < 0x80:
        return bytes([tag, n]) + content
    size = (n.bit_length() + 7) // 8
    return bytes([tag, 0x80 | size]) + n.to_bytes(size, "big") + content


def _children(der: bytes) -> list[bytes]:
    """Return the complete TLVs inside one constructed element (short or long lengths)."""
    def header(at: int) -> tuple[int, int]:
        first = der[at + 1]
        if first < 0x80:
            return 2, first
        size = first & 0x7F
        return 2 + size, int.from_bytes(der[at + 2:at + 2 + size], "big")

    skip, length = header(0)
    at, end, out = skip, skip + length, []
    while at < end:
        skip, length = header(at)
        out.append(der[at:at + skip + length])
        at += skip + length
    return out


def _rebuild(der: bytes, info: Callable[[list[bytes]], list[bytes]] | None = None,
             outer: Callable[[list[bytes]], list[bytes]] | None = None) -> bytes:
    """Re-encode a request after changing the parts of its info or of its outer SEQUENCE."""
    cri, alg, sig = _children(der)
    if info is not None:
        cri = _tlv(0x30, b"".join(info(_children(cri))))
    parts = [cri, alg, sig]
    if outer is not None:
        parts = outer(parts)
    return _tlv(0x30, b"".join(parts))


def _nested(depth: int) -> bytes:
    value = b"\x05\x00"
    for _ in range(depth):
        value = _tlv(0x30, value)
    return value


def _content(tlv: bytes) -> bytes:
    return tlv[2 + (tlv[1] & 0x7F):] if tlv[1] & 0x80 else tlv[2:]


def _signature(change: Callable[[bytes], bytes]) -> Callable[[bytes], bytes]:
    """Return a mutation of the request's signature BIT STRING (whole TLV)."""
    return lambda der: _rebuild(der, outer=lambda p: [p[0], p[1], change(p[2])])


MALFORMED: dict[str, Callable[[bytes], bytes]] = {
    "trailing-data": lambda d: d + b"\x00",
    "nonminimal-length": lambda d: b"\x30\x84" + len(_content(d)).to_bytes(4, "big")
    + _content(d),
    "indefinite-length": lambda d: b"\x30\x80" + _content(d) + b"\x00\x00",
    "bad-version": lambda d: _rebuild(d, info=lambda p: [b"\x02\x01\x05", *p[1:]]),
    "nonminimal-integer": lambda d: _rebuild(d, info=lambda p: [b"\x02\x02\x00\x00", *p[1:]]),
    "attributes-missing": lambda d: _rebuild(d, info=lambda p: p[:3]),
    "unexpected-tag": _signature(lambda sig: b"\x04" + sig[1:]),
    "primitive-form": _signature(lambda sig: _tlv(0x23, sig)),
    "bitstring-padding": _signature(lambda sig: _tlv(0x03, b"\x07" + _content(sig)[1:])),
    "bool-nonstandard": lambda d: d.replace(b"\x01\x01\xff", b"\x01\x01\x01", 1),
    # An unknown attribute whose value nests 100 SEQUENCEs deep (the limit is 32).
    "depth-limit": lambda d: _rebuild(d, info=lambda p: [*p[:3], _tlv(0xA0, _tlv(
        0x30, b"\x06\x03\x2a\x03\x04" + _tlv(0x31, _nested(100))))]),
    "truncated": lambda d: d[:-1],
    "empty": lambda d: b"",
}
# Defects whose exact kind name is not pinned here (several names fit).
_ANY_KIND = ("truncated", "empty", "primitive-form", "bitstring-padding")


@pytest.fixture(scope="module")
def good(inputs: Inputs) -> bytes:
    """A request with a critical extension (its BOOLEAN TRUE is mutated above)."""
    _, data = _case(inputs, "crypto-rsa2048-sha256")
    return csrlib.load(data).der


@pytest.mark.parametrize("defect", MALFORMED)
def test_strict_mode_rejects(good: bytes, defect: str) -> None:
    bad = MALFORMED[defect](good)
    assert bad != good
    with pytest.raises(csrlib.DecodeError) as caught:
        csrlib.load(bad)
    error = caught.value
    if defect not in _ANY_KIND:
        assert error.kind == defect, str(error)
    assert isinstance(error.offset, int)
    assert 0 <= error.offset <= len(bad)


@pytest.mark.parametrize("defect", ["nonminimal-length", "nonminimal-integer",
                                    "bool-nonstandard"])
def test_lenient_mode_names_what_it_tolerates(good: bytes, defect: str) -> None:
    bad = MALFORMED[defect](good)
    req = csrlib.load(bad, strict=False)
    assert req.der == bad
    assert [d for d in req.deviations if defect in str(d)], req.deviations


def test_every_prefix_and_every_byte_flip_fails_cleanly(good: bytes) -> None:
    # Only csrlib's own errors escape, whatever the input (no IndexError, RecursionError...).
    for end in range(len(good)):
        with pytest.raises(csrlib.DecodeError):
            csrlib.load(good[:end])
    for at in range(len(good)):
        flipped = bytearray(good)
        flipped[at] ^= 0xFF
        try:
            csrlib.load(bytes(flipped)).verify()
        except csrlib.CSRError:
            continue
        pytest.fail(f"a request with byte {at} flipped verified")


def test_hostile_sizes_are_refused_before_work() -> None:
    with pytest.raises(csrlib.DecodeError) as caught:
        csrlib.load(b"\x30\x84\x7f\xff\xff\xff" + b"\x00" * 16)
    assert caught.value.kind in ("length-overrun", "size-limit", "truncated")
    with pytest.raises(csrlib.DecodeError) as caught:
        csrlib.load(b"\x30\x83" + (2 << 20).to_bytes(3, "big") + b"\x00" * (2 << 20))
    assert caught.value.kind == "size-limit"
    with pytest.raises(csrlib.CSRError):
        csrlib.load("-----BEGIN CERTIFICATE REQUEST-----\n!!!!\n"
                    "-----END CERTIFICATE REQUEST-----\n")


# --- the command line ----------------------------------------------------------------------


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                      signed: Callable[..., None]) -> None:
    key, req, req2 = tmp_path / "ed.pem", tmp_path / "a.csr", tmp_path / "b.der"
    assert cli.main(["keygen", "ed25519", "--out", str(key)]) == 0
    assert key.stat().st_mode & 0o777 == 0o600
    assert cli.main(["new", "--key", str(key), "--subject", "/C=US/O=Example/CN=cli.example",
                     "--san", "DNS:cli.example,IP:192.0.2.5", "--key-usage", "digitalSignature",
                     "--eku", "serverAuth", "--out", str(req)]) == 0
    assert cli.main(["new", "--new-key", "ec:P-256", "--key-out", str(tmp_path / "k.pem"),
                     "--subject", "CN=der.example", "--der", "--out", str(req2)]) == 0
    capsys.readouterr()

    assert cli.main(["verify", str(req), str(req2)]) == 0
    assert capsys.readouterr().out == f"OK {req}\nOK {req2}\n"

    assert cli.main(["show", "--json", str(req)]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["subject"] == "CN=cli.example,O=Example,C=US"
    assert shown["public_key"]["type"] == "ed25519"
    assert shown["signature_valid"] is True
    assert [(s["type"], s["value"]) for s in shown["san"]] == [("DNS", "cli.example"),
                                                                ("IP", "192.0.2.5")]
    assert cli.main(["show", str(req2)]) == 0
    assert "CN=der.example" in capsys.readouterr().out
    assert cli.main(["asn1", str(req2)]) == 0
    assert "SEQUENCE" in capsys.readouterr().out

    data = csrlib.load(req.read_bytes())
    signed("cli-ed25519", data, "CN=cli.example,O=Example,C=US",
           ["DNS:cli.example", "IP:192.0.2.5"])
    signed("cli-p256", csrlib.load(req2.read_bytes()), "CN=der.example", [])

    tampered = tmp_path / "tampered.der"
    tampered.write_bytes(data.der.replace(b"cli.example", b"cli.exbmple", 1))
    assert cli.main(["verify", str(tampered)]) == 1
    assert capsys.readouterr().out.startswith(f"FAIL {tampered}")
    assert cli.main(["verify", str(tmp_path / "missing.csr")]) == 2
    (tmp_path / "junk.csr").write_bytes(b"\x30\x03\x02\x01")
    assert cli.main(["show", str(tmp_path / "junk.csr")]) == 2
    assert capsys.readouterr().err.startswith("csrlib: error:")


def test_command_line_verify_jobs(tmp_path: Path, inputs: Inputs,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    directory, manifest = inputs
    files = [str(directory / c["file"]) for c in manifest["csrs"] if not c["legacy"]][:4]
    assert cli.main(["verify", "--jobs", "2", *files]) == 0
    assert capsys.readouterr().out.count("OK ") == len(files)
