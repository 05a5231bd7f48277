"""Typed nameConstraints, TLS feature, AIA, CRL DP and Microsoft template extensions."""

from __future__ import annotations

import ipaddress

import pytest

import csrlib
from csrlib import signers
from csrlib.model.general_names import DNSName, UniformResourceIdentifier

SIGNER = signers.generate("ec:P-256")

VALUES = [
    csrlib.TLSFeature((5,)),
    csrlib.CertificateTemplateName("WebServer"),
    csrlib.CertificateTemplate("1.3.6.1.4.1.311.21.8.1.2", 100, 4),
    csrlib.NameConstraints(
        (csrlib.GeneralSubtree(DNSName(".example.com")),),
        (csrlib.GeneralSubtree(csrlib.IPNetworkName(ipaddress.ip_network("10.0.0.0/8"))),)),
    csrlib.AuthorityInformationAccess((
        csrlib.AccessDescription("1.3.6.1.5.5.7.48.1", UniformResourceIdentifier("http://o.x/")),)),
    csrlib.CRLDistributionPoints((csrlib.DistributionPoint(
        (UniformResourceIdentifier("http://crl.x/c.crl"),), ("keyCompromise",)),)),
]


def test_built_and_read_back_typed() -> None:
    builder = csrlib.CertificateRequestBuilder().subject("CN=x")
    for value in VALUES:
        builder = builder.add_extension(value, critical=False)
    req = csrlib.load(builder.sign(SIGNER).der)
    assert [e.value for e in req.extensions] == VALUES
    assert req.extensions.value(csrlib.TLSFeature) == csrlib.TLSFeature((5,))
    assert csrlib.TLSFeature((5, 17)).names == ("status_request", "status_request_v2")
    assert req.to_der() == req.der


@pytest.mark.parametrize(("oid", "der"), [
    ("1.3.6.1.5.5.7.1.24", "30030201"),          # truncated
    ("1.3.6.1.5.5.7.1.24", "300402020005"),      # non-minimal INTEGER
    ("2.5.29.30", "3000"),                       # neither list
    ("2.5.29.30", "3010a00e300ca40a3008310630040603550403"),  # a dirName base: not typed here
    ("1.3.6.1.4.1.311.20.2", "0c0141"),          # UTF8String, not BMPString
    ("2.5.29.31", "3000"),                       # empty
])
def test_values_not_typed_stay_octets_and_load_strictly(oid: str, der: str) -> None:
    value = csrlib.UnrecognizedExtension(oid, bytes.fromhex(der))
    made = (csrlib.CertificateRequestBuilder().subject("CN=x")
            .add_extension(value, critical=False).sign(SIGNER))
    req = csrlib.load(made.der)  # strict: loads as before these types were typed
    assert req.extensions[0].value == value
    assert req.to_der() == req.der

