"""``csrlib new``: the options of a request turned into a builder, a key and output."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from . import oids
from .builder import CertificateRequestBuilder
from .errors import BuildError
from .extensions import BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAlternativeName
from .name import Name

__all__ = ["add_key_options", "build_request", "new_arguments", "signer_from_args"]

# OpenSSL's keyUsage names (as in its config files), to csrlib's field names.
KEY_USAGES = {"digitalSignature": "digital_signature", "nonRepudiation": "content_commitment",
              "contentCommitment": "content_commitment", "keyEncipherment": "key_encipherment",
              "dataEncipherment": "data_encipherment", "keyAgreement": "key_agreement",
              "keyCertSign": "key_cert_sign", "cRLSign": "crl_sign",
              "encipherOnly": "encipher_only", "decipherOnly": "decipher_only"}
_EKU = {name.lower(): oid for oid, name in oids.EXTENDED_KEY_USAGE_NAMES.items()}


def _items(values: list[str] | None) -> list[str]:
    """Repeatable options that also take comma lists: ``--san a,b --san c``."""
    return [item.strip() for value in values or () for item in value.split(",") if item.strip()]


def new_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``csrlib new`` to its parser."""
    parser.add_argument("--subject", "-s", metavar="NAME",
                        help='"CN=example.com,O=Example" (RFC 4514) or "/C=US/CN=example.com"')
    parser.add_argument("--san", action="append", metavar="TYPE:VALUE",
                        help="subjectAltName entry, repeatable or comma-separated: "
                             "DNS:example.com, IP:192.0.2.1, email:a@example.com, "
                             "URI:https://..., RID:1.2.3, dirName:CN=x")
    parser.add_argument("--key-usage", action="append", metavar="USAGES",
                        help="keyUsage bits (critical): " + ", ".join(
                            k for k in KEY_USAGES if k != "contentCommitment"))
    parser.add_argument("--eku", action="append", metavar="PURPOSES",
                        help="extendedKeyUsage: serverAuth, clientAuth, codeSigning, "
                             "emailProtection, ... or dotted OIDs")
    parser.add_argument("--basic-constraints", metavar="SPEC",
                        help='basicConstraints: "CA:FALSE" or "CA:TRUE,pathlen:0"')
    password = parser.add_mutually_exclusive_group()
    password.add_argument("--challenge-password", metavar="TEXT",
                          help="challengePassword attribute (visible in the request!)")
    password.add_argument("--challenge-password-file", metavar="FILE",
                          help="read the challengePassword from FILE (first line)")
    parser.add_argument("--out", "-o", metavar="FILE", help="write the request here "
                        "(default: standard output)")
    parser.add_argument("--der", action="store_true", help="write DER instead of PEM")
    add_key_options(parser)


def add_key_options(parser: argparse.ArgumentParser) -> None:
    """Add the key options ``new`` uses."""
    key = parser.add_mutually_exclusive_group()
    key.add_argument("--key", "-k", metavar="FILE", help="sign with this private key "
                     "(PEM or DER: PKCS#8, PKCS#1, SEC1)")
    key.add_argument("--new-key", metavar="SPEC", help="make a new key: ec:P-256 (the default), "
                     "ec:P-384, ec:P-521, ec:secp256k1, rsa:2048, rsa:3072, rsa:4096, ed25519, "
                     "ed448")
    parser.add_argument("--key-out", metavar="FILE",
                        help="where to save a new key (mode 0600)")
    parser.add_argument("--force", action="store_true", help="overwrite --key-out if it exists")
    parser.add_argument("--hash", choices=("sha256", "sha384", "sha512"),
                        help="signature hash (default: SHA-256, or the curve's own hash)")
    parser.add_argument("--pss", action="store_true", help="RSA keys: sign with RSASSA-PSS")


def signer_from_args(args: argparse.Namespace, read: Any) -> Any:
    """Return the signer the key options ask for, saving a new key first."""
    from . import signers

    options: dict[str, object] = {}
    if args.hash:
        options["hash"] = args.hash
    if args.key:
        if args.key_out:
            raise BuildError("--key-out is for a new key (--new-key), not with --key")
        if args.pss:
            options["pss"] = True
        return signers.load_private_key(read(args.key), None, **options)
    if not args.key_out:
        raise BuildError("a new key needs --key-out FILE to be kept "
                         "(or sign with your own key: --key FILE)")
    signer = signers.generate(args.new_key or "ec:P-256")
    if options or args.pss:
        signer = signers.signer_for(signer.private_numbers, **options,
                                    **({"pss": True} if args.pss else {}))
    signers.save_private_key(signer, args.key_out, overwrite=args.force)
    return signer


def _basic_constraints(spec: str) -> BasicConstraints:
    ca = None
    path_length = None
    for part in _items([spec]):
        key, _, value = part.partition(":")
        if key.strip().upper() == "CA" and value.strip().upper() in ("TRUE", "FALSE"):
            ca = value.strip().upper() == "TRUE"
        elif key.strip().lower() == "pathlen" and value.strip().isdigit():
            path_length = int(value)
        else:
            raise BuildError(f'--basic-constraints: expected "CA:TRUE|FALSE[,pathlen:N]", '
                             f"not {spec!r}")
    if ca is None:
        raise BuildError("--basic-constraints needs CA:TRUE or CA:FALSE")
    return BasicConstraints(ca, path_length)


def build_request(args: argparse.Namespace, read: Any) -> CertificateRequestBuilder:
    """Return the builder the request options describe (no key needed yet)."""
    if not args.subject and not args.san:
        raise BuildError('give a subject or a SAN, e.g. --subject "CN=example.com" '
                         "--san DNS:example.com")
    subject = args.subject or ""
    name = (Name.from_openssl(subject) if subject.startswith("/")
            else Name.from_rfc4514(subject))
    builder = CertificateRequestBuilder().subject(name)
    if args.san:
        builder = builder.add_extension(SubjectAlternativeName.from_strings(_items(args.san)))
    if args.key_usage:
        bits = {}
        for usage in _items(args.key_usage):
            if usage not in KEY_USAGES:
                raise BuildError(f"--key-usage: unknown usage {usage!r} "
                                 f"(one of {', '.join(KEY_USAGES)})")
            bits[KEY_USAGES[usage]] = True
        builder = builder.add_extension(KeyUsage(**bits))
    if args.eku:
        purposes = []
        for purpose in _items(args.eku):
            oid = _EKU.get(purpose.lower()) or (purpose if purpose[:1].isdigit() else None)
            if oid is None:
                raise BuildError(f"--eku: unknown purpose {purpose!r}")
            purposes.append(oid)
        builder = builder.add_extension(ExtendedKeyUsage(tuple(purposes)))
    if args.basic_constraints:
        builder = builder.add_extension(_basic_constraints(args.basic_constraints))
    password = args.challenge_password
    if args.challenge_password_file:
        text = read(args.challenge_password_file).decode("utf-8")
        password = text.splitlines()[0] if text else ""
    if password is not None:
        builder = builder.add_attribute("challengePassword", password)
    return builder


def write_output(data: bytes | str, out: str | None) -> None:
    """Write to ``out``, or standard output."""
    raw = data.encode("ascii") if isinstance(data, str) else data
    if out is None or out == "-":
        sys.stdout.buffer.write(raw)
        sys.stdout.flush()
        return
    with open(out, "wb") as f:
        f.write(raw)
