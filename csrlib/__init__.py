"""csrlib: strict, pure-Python PKCS#10 certificate signing requests (RFC 2986).

    import csrlib
    req = csrlib.load(data)                  # PEM or DER, strictly validated
    req.subject.rfc4514(), req.public_key, req.extensions.get(csrlib.SubjectAlternativeName)

See the README for the whole API; ``csrlib.asn1`` is the DER codec underneath.
"""

from . import signers
from ._version import __version__
from .builder import CertificateRequestBuilder, create
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
    UnsupportedAlgorithm,
)

# Last: the function takes the name of its package here (``csrlib.lint(req)``);
# ``from csrlib.lint import Profile, RULES, ...`` still finds the package.
from .lint import Finding, lint
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
from .model.ms_attributes import ClientInformation, CspInformation, NameValuePair
from .model.name_attributes import NameAttribute
from .model.names import Name, RelativeDistinguishedName
from .request import CertificateRequest, load, load_der, load_pem, load_pem_all

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
    "PssParameters",
    "PublicKey",
    "RFC822Name",
    "RegisteredID",
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
