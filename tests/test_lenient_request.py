"""Every strict rejection that lenient mode accepts, in both modes, on whole requests.

Lenient mode lists each deviation as (offset, kind, path) and keeps ``der``
and ``tbs_der`` as the exact input bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

import csrlib
from csrlib import DecodeError
from tests.helpers import csr_der, extension, extension_request, name_der, oid, tlv

_SAN = tlv(0x30, tlv(0x82, b"a.example"))


@dataclass
class Case:
    id: str
    der: bytes
    kind: str
    path: str


def _locate(der: bytes, needle: bytes, delta: int = 0) -> int:
    return der.index(needle) + delta


CASES = [
    Case("attributes-missing", csr_der(attributes=None), "attributes-missing",
         "certificationRequestInfo"),
    Case("multivalued-rdn-unsorted",
         csr_der(subject=name_der([("2.5.4.11", tlv(0x0C, b"b")), ("2.5.4.3", tlv(0x0C, b"a"))])),
         "setof-unsorted", "certificationRequestInfo.subject[0][1]"),
    Case("critical-false-encoded",
         csr_der(attributes=extension_request(extension("2.5.29.17", _SAN, b"\x01\x01\x00"))),
         "default-encoded",
         "certificationRequestInfo.attributes[0].values[0][0].critical"),
    Case("ca-false-encoded",
         csr_der(attributes=extension_request(
             extension("2.5.29.19", tlv(0x30, b"\x01\x01\x00")))), "default-encoded",
         "certificationRequestInfo.attributes[0].values[0][0].extnValue.cA"),
    Case("printable-at",
         csr_der(subject=name_der([("2.5.4.3", tlv(0x13, b"a@b.example"))])),
         "printable-alphabet", "certificationRequestInfo.subject[0][0].value"),
    Case("teletex-latin1",
         csr_der(subject=name_der([("2.5.4.7", tlv(0x14, "Zürich".encode("latin-1")))])),
         "teletex-non-ascii", "certificationRequestInfo.subject[0][0].value"),
    Case("teletex-utf8",
         csr_der(subject=name_der([("2.5.4.7", tlv(0x14, "Zürich".encode()))])),
         "teletex-non-ascii", "certificationRequestInfo.subject[0][0].value"),
    Case("nonminimal-length",
         csr_der(subject=tlv(0x30, tlv(0x31, b"\x30\x81\x08" + oid("2.5.4.3") + tlv(0x0C, b"x")))),
         "nonminimal-length", "certificationRequestInfo.subject[0][0]"),
    Case("nonminimal-integer", csr_der(version=b"\x02\x02\x00\x00"), "nonminimal-integer",
         "certificationRequestInfo.version"),
    Case("bool-0x01",
         csr_der(attributes=extension_request(extension("2.5.29.17", _SAN, b"\x01\x01\x01"))),
         "bool-nonstandard", "certificationRequestInfo.attributes[0].values[0][0].critical"),
    Case("version-1", csr_der(version=b"\x02\x01\x01"), "bad-version",
         "certificationRequestInfo.version"),
    Case("version-2", csr_der(version=b"\x02\x01\x02"), "bad-version",
         "certificationRequestInfo.version"),
    Case("keyusage-trailing-zero",
         csr_der(attributes=extension_request(
             extension("2.5.29.15", b"\x03\x03\x00\x80\x00", b"\x01\x01\xff"))),
         "bitstring-trailing-zero",
         "certificationRequestInfo.attributes[0].values[0][0].extnValue"),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_strict_rejects(case: Case) -> None:
    with pytest.raises(DecodeError) as info:
        csrlib.load_der(case.der)
    assert (info.value.kind, info.value.path) == (case.kind, case.path)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_lenient_accepts_and_lists(case: Case) -> None:
    req = csrlib.load_der(case.der, strict=False)
    assert [(d.kind, d.path) for d in req.deviations] == [(case.kind, case.path)]
    offset = req.deviations[0].offset
    with pytest.raises(DecodeError) as info:
        csrlib.load_der(case.der)
    assert info.value.offset == offset
    # The exact input is kept, never canonicalised.
    assert req.der == case.der
    assert req.tbs_der == case.der[case.der.index(b"\x30", 1):][: len(req.tbs_der)]
    assert req.der.find(req.tbs_der) > 0


def test_lenient_reencoding_is_canonical() -> None:
    der = csr_der(version=b"\x02\x02\x00\x00",
                  attributes=extension_request(extension("2.5.29.17", _SAN, b"\x01\x01\x00")))
    req = csrlib.load_der(der, strict=False)
    canonical = req.to_der()
    assert canonical != der
    again = csrlib.load_der(canonical)
    assert again.deviations == ()
    assert again.extensions == req.extensions


def test_strict_only_rules_stay_errors_in_lenient_mode() -> None:
    for der, kind in (
        (csr_der(version=b"\x02\x01\x03"), "bad-version"),
        (csr_der(attributes=extension_request(extension("2.5.29.17", _SAN),
                                              extension("2.5.29.17", _SAN))),
         "duplicate-extension"),
        (csr_der(subject=name_der([("2.5.4.3", tlv(0x13, b"a\x00"))])), "bad-string"),
        (csr_der() + b"\x00", "trailing-data"),
    ):
        with pytest.raises(DecodeError) as info:
            csrlib.load_der(der, strict=False)
        assert info.value.kind == kind
