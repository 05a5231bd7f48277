"""csrlib: strict, pure-Python PKCS#10 certificate signing requests (RFC 2986).

    import csrlib
    req = csrlib.load(data)                  # PEM or DER, strictly validated
    req.subject.rfc4514(), req.public_key, req.extensions.get(csrlib.SubjectAlternativeName)

See the README for the whole API; ``csrlib.asn1`` is the DER codec underneath.
"""

import gc as _gc

# The cyclic GC is paused while the package imports (it makes no garbage;
# collections would only walk the new objects again and again), then left
# as it was.
_collecting = _gc.isenabled()
_gc.disable()
try:
    from typing import TYPE_CHECKING, Any

    from ._version import __version__
    from .deferred import defer as _defer

    # The schemas run when a request is first read (see csrlib.deferred).
    _defer("csrlib.schemas")
    _defer("csrlib.key_schemas")

    from .crypto.verify import Policy, verify_signature
    from .der.tlv import Deviation, Limits
    from .errors import (
        BuildError,
        CSRError,
        DecodeError,
        EncodeError,
        InvalidKey,
        InvalidSignature,
        PolicyError,
        SignerCertificateRequired,
        UnsupportedAlgorithm,
    )

    # The function takes the name of its package here (``csrlib.lint(req)``), after
    # the import of the package has set ``csrlib.lint`` to the module; ``from
    # csrlib.lint import Profile, RULES, ...`` still finds the package.
    from .lint import lint
    from .model.algorithms import PssParameters, SignatureAlgorithm
    from .model.attributes import Attribute, Attributes, AttributeValues, StringValue
    from .model.extensions import (
        AuthorityKeyIdentifier,
        BasicConstraints,
        CertificatePolicies,
        ExtendedKeyUsage,
        Extension,
        Extensions,
        ExtensionValue,
        IssuerAlternativeName,
        KeyUsage,
        PolicyInformation,
        SubjectAlternativeName,
        SubjectKeyIdentifier,
        UnrecognizedExtension,
    )
    from .model.general_names import (
        DirectoryName,
        DNSName,
        EDIPartyName,
        GeneralName,
        IPAddress,
        OtherName,
        RegisteredID,
        RFC822Name,
        UniformResourceIdentifier,
        X400Address,
    )
    from .model.keys import (
        DsaPublicKey,
        EcPublicKey,
        Ed448PublicKey,
        Ed25519PublicKey,
        PublicKey,
        RsaPublicKey,
        UnknownPublicKey,
    )
    from .model.lazy import LazySequence
    from .model.ml_dsa_keys import MlDsaPublicKey
    from .model.ml_kem_keys import MlKemPublicKey
    from .model.ms_attributes import ClientInformation, CspInformation, NameValuePair
    from .model.name_attributes import NameAttribute
    from .model.names import Name, RelativeDistinguishedName
    from .request import CertificateRequest, load, load_der, load_pem, load_pem_all
finally:
    if _collecting:
        _gc.enable()
    del _collecting

if TYPE_CHECKING:
    from . import signers
    from .builder import CertificateRequestBuilder, create
    from .lint.findings import Finding
    from .model.certificate import Certificate
    from .model.more_extensions import (
        AccessDescription,
        AuthorityInformationAccess,
        CertificateTemplate,
        CertificateTemplateName,
        CRLDistributionPoints,
        DistributionPoint,
        GeneralSubtree,
        IPNetworkName,
        NameConstraints,
        TLSFeature,
    )
    from .model.possession import PossessionStatement

# Building, signing and the lint rules are imported when first used, not by
# ``import csrlib`` (reading a request needs none of them), and so are the
# model's rarer types (read from a request only when it carries them:
# model.extension_reading and model.attributes import their modules then):
# PEP 562 module attributes.  name: (module under csrlib, attribute or None
# for the module)
_LAZY: dict[str, tuple[str, str | None]] = {
    "signers": ("signers", None),
    "CertificateRequestBuilder": ("builder", "CertificateRequestBuilder"),
    "create": ("builder", "create"),
    "Finding": ("lint.findings", "Finding"),
    "Certificate": ("model.certificate", "Certificate"),
    "PossessionStatement": ("model.possession", "PossessionStatement"),
    **{name: ("model.more_extensions", name) for name in (
        "AccessDescription", "AuthorityInformationAccess", "CertificateTemplate",
        "CertificateTemplateName", "CRLDistributionPoints", "DistributionPoint",
        "GeneralSubtree", "IPNetworkName", "NameConstraints", "TLSFeature")},
}


def __getattr__(name: str) -> Any:
    try:
        module_name, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'csrlib' has no attribute {name!r}") from None
    import importlib

    module = importlib.import_module(f"{__name__}.{module_name}")
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))

__all__ = [
    "AccessDescription",
    "Attribute",
    "AttributeValues",
    "Attributes",
    "AuthorityInformationAccess",
    "AuthorityKeyIdentifier",
    "BasicConstraints",
    "BuildError",
    "CRLDistributionPoints",
    "CSRError",
    "Certificate",
    "CertificatePolicies",
    "CertificateRequest",
    "CertificateRequestBuilder",
    "CertificateTemplate",
    "CertificateTemplateName",
    "ClientInformation",
    "CspInformation",
    "DNSName",
    "DecodeError",
    "Deviation",
    "DirectoryName",
    "DistributionPoint",
    "DsaPublicKey",
    "EDIPartyName",
    "EcPublicKey",
    "Ed25519PublicKey",
    "Ed448PublicKey",
    "EncodeError",
    "ExtendedKeyUsage",
    "Extension",
    "ExtensionValue",
    "Extensions",
    "Finding",
    "GeneralName",
    "GeneralSubtree",
    "IPAddress",
    "IPNetworkName",
    "InvalidKey",
    "InvalidSignature",
    "IssuerAlternativeName",
    "KeyUsage",
    "LazySequence",
    "MlKemPublicKey",
    "Limits",
    "MlDsaPublicKey",
    "Name",
    "NameAttribute",
    "NameConstraints",
    "NameValuePair",
    "OtherName",
    "Policy",
    "PolicyError",
    "PolicyInformation",
    "PossessionStatement",
    "PssParameters",
    "PublicKey",
    "RFC822Name",
    "RegisteredID",
    "SignerCertificateRequired",
    "RelativeDistinguishedName",
    "RsaPublicKey",
    "SignatureAlgorithm",
    "StringValue",
    "SubjectAlternativeName",
    "SubjectKeyIdentifier",
    "TLSFeature",
    "UniformResourceIdentifier",
    "UnknownPublicKey",
    "UnrecognizedExtension",
    "UnsupportedAlgorithm",
    "X400Address",
    "__version__",
    "create",
    "lint",
    "load",
    "load_der",
    "load_pem",
    "load_pem_all",
    "signers",
    "verify_signature",
]
