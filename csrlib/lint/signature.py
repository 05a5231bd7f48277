"""Signature rules: ``sig.invalid``, ``sig.algorithm``, ``sig.encoding``.

A request with an RFC 9883 privateKeyPossessionStatement is signed by the
key of the certificate the statement names: ``sig.invalid`` checks the
signature with the certificate the statement carries (an error when it
does not verify, or the statement does not name it), and is a notice that
it was not checked when the statement carries none.  The certificate itself
(its path, validity, key usage) is not judged.

The exact encodings are those of CA/B BR 7.1.3.1 (the key's
AlgorithmIdentifier) and 7.1.3.2 (the signature's), as hex of the DER.
"""

from __future__ import annotations

from .. import oids
from ..crypto.verify import Policy
from ..errors import CSRError, InvalidSignature, PolicyError, SignerCertificateRequired
from ..model.keys import EcPublicKey, RsaPublicKey
from .context import SPKI_PATH, Context

__all__ = ["check_signature"]

_PATH = "signatureAlgorithm"
# What lint verifies: every hash and key size (other rules judge those), the
# exponent bounded as verification bounds it (its cost is linear in its size).
_POLICY = Policy(allow_sha1=True, allow_md5=True, min_rsa_bits=1)

_PSS = ("304106092a864886f70d01010a3034a00f300d060960864801650304020{h}0500a11c301a06092a864886"
        "f70d010108300d060960864801650304020{h}0500a2030201{salt}")
# BR 7.1.3.2.1 and 7.1.3.2.2: algorithm name: exact DER.
_RSA_PKCS1 = {
    "sha256WithRSAEncryption": "300d06092a864886f70d01010b0500",
    "sha384WithRSAEncryption": "300d06092a864886f70d01010c0500",
    "sha512WithRSAEncryption": "300d06092a864886f70d01010d0500",
}
_ECDSA = {
    "ecdsa-with-SHA256": "300a06082a8648ce3d040302",
    "ecdsa-with-SHA384": "300a06082a8648ce3d040303",
    "ecdsa-with-SHA512": "300a06082a8648ce3d040304",
}
_PSS_ENCODINGS = frozenset(bytes.fromhex(_PSS.format(h=h, salt=s))
                           for h, s in (("1", "20"), ("2", "30"), ("3", "40")))
_SIGNATURE_ENCODINGS = frozenset(bytes.fromhex(v) for v in (*_RSA_PKCS1.values(),
                                                            *_ECDSA.values()))
# BR 7.1.3.1.1 and 7.1.3.1.2.
_KEY_ENCODINGS = {
    "rsa": bytes.fromhex("300d06092a864886f70d0101010500"),
    "secp256r1": bytes.fromhex("301306072a8648ce3d020106082a8648ce3d030107"),
    "secp384r1": bytes.fromhex("301006072a8648ce3d020106052b81040022"),
    "secp521r1": bytes.fromhex("301006072a8648ce3d020106052b81040023"),
}
# BR 7.1.3.2.2: the hash that goes with each curve.
_CURVE_HASH = {"secp256r1": "sha256", "secp384r1": "sha384", "secp521r1": "sha512"}


def check_signature(ctx: Context) -> None:
    """Run the signature rules."""
    req = ctx.req
    algorithm = req.signature_algorithm
    sig_offset = ctx.offset_of(algorithm.der) if algorithm.der else None
    if ctx.on("sig.invalid"):
        statement = req.possession_statement
        try:
            if statement is not None and statement.certificate is not None:
                # RFC 9883: signed by the key of the certificate the statement
                # carries (whose own validity only the CA can judge).
                req.verify(policy=_POLICY, signer_certificate=statement.certificate)
            else:
                req.verify(policy=_POLICY)
        except SignerCertificateRequired as exc:
            ctx.report("sig.invalid", f"the signature was not checked: {exc}", _PATH,
                       sig_offset, severity="notice")
        except (InvalidSignature, PolicyError) as exc:
            if isinstance(exc, InvalidSignature):
                what = ("the signature by the certificate the privateKeyPossessionStatement "
                        "carries" if statement is not None else "the self-signature")
                ctx.report("sig.invalid", f"{what} does not verify: {exc}", _PATH, sig_offset)
            else:
                ctx.report("sig.invalid", f"the self-signature was not checked: {exc}", _PATH,
                           sig_offset, severity="notice")
        except CSRError as exc:  # UnsupportedAlgorithm
            ctx.report("sig.invalid", f"the self-signature was not checked: {exc}", _PATH,
                       sig_offset, severity="notice")
    name = algorithm.name
    pkcs1_ecdsa = name in _RSA_PKCS1 or name in _ECDSA
    pss = algorithm.pss is not None and algorithm.pss.hash in ("sha256", "sha384", "sha512")
    allowed = pkcs1_ecdsa or (pss and not ctx.letsencrypt)
    if ctx.on("sig.algorithm"):
        if not allowed:
            only = ("RSA PKCS#1 v1.5 or ECDSA with SHA-256, SHA-384 or SHA-512" if ctx.letsencrypt
                    else "RSA PKCS#1 v1.5, RSASSA-PSS or ECDSA with SHA-256, SHA-384 or SHA-512")
            ctx.report("sig.algorithm", f"signature algorithm {name} is not allowed ({only})",
                       _PATH, sig_offset)
        else:
            _curve_hash(ctx, algorithm.hash, sig_offset)
    if ctx.on("sig.encoding"):
        der = algorithm.der
        if allowed and der not in _SIGNATURE_ENCODINGS and der not in _PSS_ENCODINGS:
            ctx.report("sig.encoding", f"{name} AlgorithmIdentifier {der.hex()} is not one of "
                       "the encodings BR 7.1.3.2 permits", _PATH, sig_offset)
        _key_encoding(ctx)


def _curve_hash(ctx: Context, hash_name: str | None, offset: int | None) -> None:
    key = ctx.req.public_key
    if not isinstance(key, EcPublicKey):
        return
    expected = _CURVE_HASH.get(key.curve_name)
    if expected is not None and hash_name != expected:
        # A CA's own signatures MUST pair them; for a request it is advice
        # (OpenSSL signs P-384 requests with SHA-256 by default).
        ctx.report("sig.algorithm", f"ECDSA on {key.curve_name} with {hash_name} "
                   f"(BR 7.1.3.2.2 pairs it with {expected})", _PATH, offset,
                   severity="warning")


def _spki_algorithm(spki: bytes) -> bytes:
    """Return the AlgorithmIdentifier element of a (well-formed) SubjectPublicKeyInfo."""
    first = spki[1]
    start = 2 + (first & 0x7F if first & 0x80 else 0)
    length = spki[start + 1]
    body = start + 2
    if length & 0x80:
        octets = length & 0x7F
        length = int.from_bytes(spki[body : body + octets], "big")
        body += octets
    return spki[start : body + length]


def _key_encoding(ctx: Context) -> None:
    key = ctx.req.public_key
    if isinstance(key, RsaPublicKey):
        expected = _KEY_ENCODINGS["rsa"]
    elif isinstance(key, EcPublicKey) and key.curve_name in _KEY_ENCODINGS:
        expected = _KEY_ENCODINGS[key.curve_name]
    else:
        return
    found = _spki_algorithm(key.der)
    if found != expected:
        what = ("id-RSASSA-PSS (BR 7.1.3.1.1: never for a key)"
                if isinstance(key, RsaPublicKey) and key.algorithm == oids.RSASSA_PSS
                else found.hex())
        ctx.report("sig.encoding", f"key AlgorithmIdentifier {what} is not the encoding "
                   "BR 7.1.3.1 requires", SPKI_PATH, ctx.offset_of(key.der))
