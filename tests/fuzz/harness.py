"""Fuzz targets: what each harness does with one input, and what counts as a finding.

Each target takes the fuzzer's bytes and returns None, or raises
:class:`Finding` when csrlib broke its contract on them:

* an exception other than a :class:`csrlib.CSRError` subclass escaped
  (``crash``), or a ``DecodeError`` of kind ``internal-error``, which is an
  unexpected exception that the codec's boundary converted (``masked``);
* a property of a successful parse failed (``mismatch``): ``to_der()`` is
  not the input, the strict pyasn1 value does not re-encode to the input,
  ``decode`` and ``decode_plain`` disagree, a key does not round-trip;
* ``read_private_key`` raised anything but ``InvalidKey`` (``contract``).

Slow inputs are the driver's business (see ``driver.py``).  This module
does not import atheris: ``test_findings.py`` runs the same targets on the
recorded findings under pytest.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pyasn1.type import univ
from pyasn1_modules import rfc2986

import csrlib
import csrlib.asn1
from csrlib import CSRError, DecodeError, InvalidKey
from csrlib.cli.show import describe, summarize
from csrlib.der.canonical import canonical_der
from csrlib.signers import key_writing, keyfiles

__all__ = ["TARGETS", "Finding", "target_asn1", "target_keys", "target_load"]

_CSR = rfc2986.CertificationRequest()
_ANY = univ.Any()
_LEGACY = csrlib.Policy.legacy()


class _Never(Exception):
    """Raised by nothing: ``_guard(..., _Never)`` lets no exception pass."""


class Finding(Exception):
    """csrlib broke its contract on an input; ``kind`` says how."""

    def __init__(self, kind: str, call: str, detail: str, key: str = "") -> None:
        super().__init__(f"{kind} in {call}: {detail}")
        self.kind = kind
        self.call = call
        self.detail = detail
        #: What tells this finding apart from others of its kind and call.
        self.key = key


def _guard(call: str, fn: Callable[[], Any], allowed: type[BaseException] = CSRError) -> Any:
    """Return ``fn()``, or None when it raised ``allowed``; raise Finding otherwise."""
    try:
        return fn()
    except allowed as exc:
        if isinstance(exc, DecodeError) and exc.kind == "internal-error":
            raise Finding("masked", call, _describe(exc.__cause__ or exc)) from exc
        return None
    except Finding:
        raise
    except Exception as exc:
        raise Finding("crash" if not isinstance(exc, CSRError) else "contract", call,
                      _describe(exc)) from exc


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


def _expect(ok: bool, call: str, detail: str, key: str = "") -> None:
    if not ok:
        raise Finding("mismatch", call, detail, key)


# -- csrlib.load ---------------------------------------------------------------------------


def _attribute_model_der(attribute: csrlib.Attribute) -> bytes:
    """Return an attribute as the model would write it: extension values from
    their typed values (not the octets received), the rest in DER."""
    values = attribute.values
    if len(values) == 1 and isinstance(values[0], csrlib.Extensions):
        rebuilt = csrlib.Extensions([csrlib.Extension(e.oid, e.critical, e.value)
                                     for e in values[0]])
        return csrlib.Attribute(attribute.oid, (rebuilt,)).to_der()
    return canonical_der(attribute.to_der())


def _exercise(req: csrlib.CertificateRequest, data: bytes, strict: bool) -> None:
    """Touch every public part of a loaded request; raise Finding on a broken contract."""
    mode = "strict" if strict else "lenient"
    repr(req)
    der = req.to_der()
    if strict:
        _expect(der == req.der, "load(strict).to_der", "to_der() differs from der")
    elif der != req.der:
        # Lenient input is written back canonically where it can be
        # (test_lenient_request.py): the result loads to the same model.
        kinds = {d.kind for d in req.deviations}
        again = _guard("load(to_der(), strict=False)", lambda: csrlib.load(der, strict=False),
                       _Never)
        changed = [f for f in ("version", "public_key", "signature_algorithm", "extensions",
                               "signature") if getattr(again, f) != getattr(req, f)]
        # SETs are unordered: unsorted ones come back sorted.
        if again.subject.to_der() != req.subject.to_der():
            changed.append("subject")
        if sorted(_attribute_model_der(a) for a in again.attributes) != sorted(
                _attribute_model_der(a) for a in req.attributes):
            changed.append("attributes")
        new_kinds = sorted({d.kind for d in again.deviations} - kinds)
        _expect(not changed and not new_kinds, "load(lenient).to_der",
                f"to_der() loads differently: changed {changed}, new deviations {new_kinds}",
                f"{changed} {new_kinds}")
    again = csrlib.load(req.to_pem(), strict=strict)
    _expect(again.der == der, f"load({mode}).to_pem", "to_pem() does not load back as to_der()")
    req.subject.rfc4514()
    repr(req.subject)
    for rdn in req.subject.rdns:
        for attribute in rdn:
            repr(attribute)
    key = req.public_key
    repr(key)
    (key.key_type, key.key_size, key.curve, key.fingerprint())
    spki = key.to_der()
    _expect(csrlib.PublicKey.from_der(spki, strict=strict) == key, f"load({mode}).public_key",
            "to_der() of the key does not load back equal")
    alg = req.signature_algorithm
    (repr(alg), alg.oid, alg.name, alg.hash)
    _expect(csrlib.SignatureAlgorithm.from_der(alg.to_der(), strict=strict) == alg,
            f"load({mode}).signature_algorithm", "to_der() does not load back equal")
    for ext in req.extensions:
        (repr(ext), ext.oid, ext.critical, ext.name, ext.to_der(), repr(ext.value))
    for attr in req.attributes:
        (repr(attr), attr.name, attr.to_der())
    req.challenge_password  # noqa: B018
    summary = summarize(req, _LEGACY)
    json.dumps(summary)
    describe(summary)
    _guard(f"load({mode}).verify()", req.verify)
    value = req.to_pyasn1()
    if strict:
        _expect(csrlib.asn1.encode(value) == req.der, "load(strict).to_pyasn1",
                "the pyasn1 value does not encode to der")


def target_load(data: bytes) -> None:
    """``csrlib.load(data)`` strict and lenient, then everything on the result."""
    for strict in (True, False):
        mode = "strict" if strict else "lenient"
        req = _guard(f"load({mode})", lambda strict=strict: csrlib.load(data, strict=strict))
        if req is not None:
            # Nothing may fail on a request that loaded, except verification (caught inside).
            _guard(f"load({mode}) result", lambda req=req, strict=strict:
                   _exercise(req, data, strict), _Never)


# -- csrlib.asn1 ---------------------------------------------------------------------------


def _outcome(call: str, fn: Callable[[], Any]) -> tuple[Any, Any]:
    """Return ``(value, None)`` or ``(None, (kind, offset))`` of a decode call."""
    try:
        return fn(), None
    except DecodeError as exc:
        if exc.kind == "internal-error":
            raise Finding("masked", call, _describe(exc.__cause__ or exc)) from exc
        return None, (exc.kind, exc.offset)
    except Exception as exc:
        raise Finding("crash", call, _describe(exc)) from exc


def target_asn1(data: bytes) -> None:
    """``csrlib.asn1.decode`` and ``decode_plain`` under the PKCS#10 schema and ANY."""
    for strict in (True, False):
        for open_types in (False, True):
            _asn1(data, _CSR, "CertificationRequest", strict, open_types)
        _asn1(data, _ANY, "Any", strict, False)


def _asn1(data: bytes, schema: Any, label: str, strict: bool, open_types: bool) -> None:
    args = f"{label}, strict={strict}, decode_open_types={open_types}"
    found: list[Any] = []
    value, error = _outcome(f"decode({args})", lambda: csrlib.asn1.decode(
        data, schema, strict=strict, decode_open_types=open_types, deviations=found))
    plain_found: list[Any] = []
    _, plain_error = _outcome(f"decode_plain({args})", lambda: csrlib.asn1.decode_plain(
        data, schema, strict=strict, decode_open_types=open_types, deviations=plain_found))
    if (error is None) != (plain_error is None):
        raise Finding("mismatch", f"decode/decode_plain({args})",
                      f"decode gives {error}, decode_plain {plain_error}")
    if error != plain_error:
        # Both refuse the input, for different reasons.
        raise Finding("disagree", f"decode/decode_plain({args})",
                      f"decode gives {error}, decode_plain {plain_error}")
    _expect(sorted(found) == sorted(plain_found), f"decode/decode_plain({args})",
            f"deviations differ: {found} vs {plain_found}")
    if value is None:
        return
    encoded = _guard(f"encode(decode({args}))", lambda: csrlib.asn1.encode(value))
    if strict:
        _expect(encoded == data, f"encode(decode({args}))",
                "the strict value does not re-encode to the input")
    elif encoded is not None:
        # The canonical form decodes again, leniently at least.
        _outcome(f"decode(encode(decode({args})))", lambda: csrlib.asn1.decode(
            encoded, schema, strict=False, decode_open_types=open_types))


# -- keys ----------------------------------------------------------------------------------


def target_keys(data: bytes) -> None:
    """``read_private_key`` (only InvalidKey may escape) and ``PublicKey.from_der``."""
    key = _guard("read_private_key", lambda: keyfiles.read_private_key(data), InvalidKey)
    if key is not None:
        repr(key)
        der = _guard("pkcs8_der", lambda: key_writing.pkcs8_der(key))
        _expect(der is not None, "pkcs8_der", "a key read could not be written")
        back = _guard("read_private_key(pkcs8_der)", lambda: keyfiles.read_private_key(der),
                      InvalidKey)
        _expect(back == key, "read_private_key(pkcs8_der)", "the key does not round-trip")
    for strict in (True, False):
        call = f"PublicKey.from_der(strict={strict})"
        public = _guard(call, lambda strict=strict: csrlib.PublicKey.from_der(data,
                                                                               strict=strict))
        if public is not None:
            (repr(public), public.key_type, public.key_size, public.curve,
             public.fingerprint())
            if strict:
                _expect(public.to_der() == data, call, "to_der() differs from the input")


TARGETS: dict[str, Callable[[bytes], None]] = {
    "load": target_load,
    "asn1": target_asn1,
    "keys": target_keys,
}
