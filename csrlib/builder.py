"""Building and signing requests: the immutable ``CertificateRequestBuilder``.

Every method validates its input and returns a new builder, so a builder
can be shared and extended without surprises, and a mistake raises
:class:`~csrlib.BuildError` at the call that made it.  ``sign()`` encodes
the CertificationRequestInfo once, signs exactly those bytes, embeds them
unchanged, and returns what the strict decoder reads of the result, so what
it returns is what any other reader of the DER will see (made from the
parts the builder holds where reading would give those same objects:
:mod:`csrlib.built_request`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from . import oids
from .built_request import encode_name, plain_san_der, read_back_value, request_of
from .der.generic import validate_content
from .der.primitives import encode_oid
from .der.tlv import Context, read_header, tlv
from .errors import BuildError, DecodeError
from .model import ms_attributes
from .model.attributes import Attribute, StringValue
from .model.certificate import Certificate
from .model.extensions import (
    AuthorityKeyIdentifier,
    BasicConstraints,
    Extension,
    Extensions,
    ExtensionValue,
    IssuerAlternativeName,
    KeyUsage,
    SubjectAlternativeName,
    SubjectKeyIdentifier,
    UnrecognizedExtension,
)
from .model.general_names import check_general_names
from .model.keys import PublicKey
from .model.ms_attributes import ClientInformation, CspInformation, NameValuePair
from .model.names import Name
from .model.possession import PossessionStatement
from .model.reading import maker
from .request import CertificateRequest, load_der
from .signers.base import AsyncSigner, Signer, check_pair

__all__ = ["CertificateRequestBuilder", "create"]

_STRING_ATTRIBUTES = {oids.CHALLENGE_PASSWORD: ("UTF8String", "PrintableString",
                                                "TeletexString", "UniversalString", "BMPString"),
                      oids.UNSTRUCTURED_NAME: ("UTF8String", "PrintableString", "IA5String",
                                               "TeletexString", "UniversalString", "BMPString")}
_EXTENSION_REQUEST_OID = tlv(0x06, encode_oid(oids.EXTENSION_REQUEST))
_EMPTY = Name()
#: What a load reads of an extension added: (OID, value), or None (then sign() reads back).
_ReadBack = tuple[str, ExtensionValue] | None
#: The typed values of the Microsoft enrollment attributes (model/ms_attributes.py).
_MS_TYPES: dict[str, type] = {
    ms_attributes.OS_VERSION: str,
    ms_attributes.CLIENT_INFORMATION: ClientInformation,
    ms_attributes.CSP_INFORMATION: CspInformation,
    ms_attributes.NAME_VALUE_PAIR: NameValuePair,
}


@dataclass(frozen=True, slots=True)
class CertificateRequestBuilder:
    """An immutable, fluent request builder.

    ``subject(name)`` once; ``add_extension(value, critical=None)`` for each
    extension (``None`` means the RFC 5280 default: subjectAltName critical
    exactly when the subject is empty, keyUsage critical, basicConstraints
    critical when ``ca``, the others not); ``add_attribute(...)`` for
    challengePassword, unstructuredName or any attribute given as DER;
    then ``sign(signer)``.

    For a key that cannot sign (an ML-KEM key, RFC 9883): ``public_key(key)``
    and ``possession_statement(certificate)``, then ``sign(signer)`` with the
    key of that signature certificate.
    """

    _subject: Name | None = None
    # Each part is encoded once, when it is added (which also checks it).
    _subject_der: bytes = b""
    #: (value, critical as given, DER of the value, what a load reads of it or None).
    _extensions: tuple[tuple[ExtensionValue, bool | None, bytes, _ReadBack], ...] = ()
    _attributes: tuple[tuple[Attribute, bytes], ...] = ()
    #: The request's key when it is not the signer's (RFC 9883), and the
    #: certificate of the signer's key, named by the possession statement.
    _public_key: PublicKey | None = None
    _signer_certificate: Certificate | None = None
    #: Whether a load reads the subject's DER back to the subject itself (plain_name).
    _subject_plain: bool = field(default=True, repr=False, compare=False)

    def subject(self, name: Name | str | Iterable[tuple[str, str]]) -> CertificateRequestBuilder:
        """Return a builder with this subject: a Name, an RFC 4514 string or (type, value) pairs.

        The subject can be set once (an empty Name is allowed: then put the
        identity in a subjectAltName, RFC 5280 4.2.1.6).
        """
        if self._subject is not None:
            raise BuildError("the subject is already set")
        if isinstance(name, str):
            name = Name.from_rfc4514(name)
        elif not isinstance(name, Name):
            name = Name.from_pairs(name)
        der, plain = encode_name(name)
        return _builder(name, der, self._extensions, self._attributes, self._public_key,
                        self._signer_certificate, plain)

    def add_extension(self, value: ExtensionValue,
                      critical: bool | None = None) -> CertificateRequestBuilder:
        """Return a builder with one more extension; the same type twice is refused.

        DNS names, email addresses and URIs in a subjectAltName, issuerAltName
        or authorityCertIssuer are checked (:mod:`csrlib.model.hostnames`): a name
        that breaks a rule raises BuildError naming the name and the rule.
        """
        if not isinstance(value, ExtensionValue):
            raise BuildError(f"not an extension value: {type(value).__name__}")
        if any(v.oid == value.oid for v, _, _, _ in self._extensions):
            raise BuildError(f"extension {oids.name_of(value.oid)} is already added")
        der = plain_san_der(value)
        read: _ReadBack
        if der is not None:
            # Plain DNS names only: every check below passes, and a load
            # reads the value back as it is.
            read = (value.oid, value)
        else:
            value.check()
            # Checked here, where a request is built, not in the name classes'
            # constructors: the reader makes the same values (some through
            # their constructors) from whatever a request holds, and keeps them.
            if isinstance(value, SubjectAlternativeName | IssuerAlternativeName):
                check_general_names(value.names)
            elif isinstance(value, AuthorityKeyIdentifier) and value.authority_cert_issuer:
                check_general_names(value.authority_cert_issuer)
            der = value.to_der()
            read = read_back_value(value, der)
        extensions = (*self._extensions, (value, critical, der, read))
        return _builder(self._subject, self._subject_der, extensions, self._attributes,
                        self._public_key, self._signer_certificate, self._subject_plain)

    def add_attribute(self, oid_or_name: str,
                      value: str | bytes | ClientInformation | CspInformation | NameValuePair,
                      string_type: str = "UTF8String") -> CertificateRequestBuilder:
        """Return a builder with one more attribute.

        ``challengePassword`` and ``unstructuredName`` (by name or OID) take
        text in ``string_type`` (UTF8String unless given); the Microsoft
        enrollment attributes take their typed value
        (:class:`~csrlib.ClientInformation` for msRequestClientInfo,
        :class:`~csrlib.CspInformation` for msEnrollmentCsp,
        :class:`~csrlib.NameValuePair` for msEnrollmentNameValuePair, text for
        msOsVersion, as an IA5String) or DER; any other OID takes its value as
        one DER element (bytes).  Extension requests go through
        ``add_extension``.
        """
        oid = oids.attribute_type_oid(oid_or_name)
        if oid is None:
            raise BuildError(f"unknown attribute {oid_or_name!r}")
        if oid in (oids.EXTENSION_REQUEST, oids.MS_EXTENSION_REQUEST):
            raise BuildError("add extensions with add_extension()")
        if oid == oids.STATEMENT_OF_POSSESSION:
            raise BuildError("add a privateKeyPossessionStatement with possession_statement()")
        if any(a.oid == oid for a, _ in self._attributes):
            raise BuildError(f"attribute {oids.name_of(oid)} is already added")
        typed = _MS_TYPES.get(oid)
        attribute: Attribute
        if oid in _STRING_ATTRIBUTES:
            if not isinstance(value, str):
                raise BuildError(f"{oids.name_of(oid)} takes a string")
            if string_type not in _STRING_ATTRIBUTES[oid]:
                raise BuildError(f"{oids.name_of(oid)} cannot be a {string_type}")
            attribute = Attribute(oid, (StringValue(value, string_type),))
        elif typed is not None and not isinstance(value, bytes | bytearray):
            if not isinstance(value, typed):
                raise BuildError(f"{oids.name_of(oid)} takes a {typed.__name__} or DER bytes")
            one = StringValue(value, "IA5String") if isinstance(value, str) else value
            attribute = Attribute(oid, (one,))
            attribute.to_der()  # raises BuildError for text its type cannot hold
        else:
            if not isinstance(value, bytes | bytearray):
                raise BuildError(f"attribute {oid} takes its value as DER bytes")
            attribute = Attribute(oid, (_one_element(bytes(value)),))
        attributes = (*self._attributes, (attribute, attribute.to_der()))
        return _builder(self._subject, self._subject_der, self._extensions, attributes,
                        self._public_key, self._signer_certificate, self._subject_plain)

    def public_key(self, key: PublicKey | bytes | str) -> CertificateRequestBuilder:
        """Return a builder for a request carrying ``key`` (a PublicKey, or SPKI DER or PEM).

        Set once.  Without it the request carries the signer's key; a key
        other than the signer's needs :meth:`possession_statement` (RFC
        9883: the signer proves it holds a certificate instead).
        """
        if self._public_key is not None:
            raise BuildError("the public key is already set")
        if isinstance(key, str | bytes | bytearray):
            from .pem import detect_format

            try:
                key = (PublicKey.from_der(key) if not isinstance(key, str)
                       and detect_format(bytes(key)) == "der" else PublicKey.from_pem(key))
            except DecodeError as exc:
                raise BuildError(f"not a public key: {exc}") from None
        if not isinstance(key, PublicKey):
            raise BuildError(f"not a public key: {type(key).__name__}")
        return replace(self, _public_key=key)

    def possession_statement(self, certificate: Certificate | bytes | str, *,
                             include_certificate: bool = True) -> CertificateRequestBuilder:
        """Return a builder that adds RFC 9883's privateKeyPossessionStatement.

        ``certificate`` (DER, PEM or a Certificate) is the signature
        certificate whose key will sign the request: the statement names it
        (issuer and serial number) and carries it unless
        ``include_certificate`` is False (RFC 9883 3: it MAY be left out when
        the CA issued it).  ``sign()`` then refuses a signer whose key is not
        that certificate's.
        """
        if self._signer_certificate is not None:
            raise BuildError("the possession statement is already set")
        if not isinstance(certificate, Certificate):
            try:
                certificate = Certificate.load(certificate)
            except DecodeError as exc:
                raise BuildError(f"not a certificate: {exc}") from None
        statement = PossessionStatement.of(certificate, include_certificate)
        attribute = Attribute(oids.STATEMENT_OF_POSSESSION, (statement,))
        return replace(self, _signer_certificate=certificate,
                       _attributes=(*self._attributes, (attribute, attribute.to_der())))

    def extensions(self) -> Extensions:
        """Return the extensions as they will be written (defaults resolved)."""
        empty_subject = not self._subject
        return Extensions([Extension(v.oid, _critical(v, c, empty_subject), v, der)
                           for v, c, der, _ in self._extensions])

    def tbs_der(self, signer: Signer | AsyncSigner) -> bytes:
        """Return the DER CertificationRequestInfo this builder makes for ``signer``'s key."""
        return self._tbs(signer)[0]

    def _tbs(self, signer: Signer | AsyncSigner) -> tuple[bytes, bytes, tuple[bool, ...]]:
        """Return the CertificationRequestInfo, its key's DER and each extension's criticality."""
        check_pair(signer.public_key, signer.signature_algorithm)
        key_der = self._request_key(signer.public_key).to_der()
        subject_der = self._subject_der or b"\x30\x00"
        empty_subject = subject_der == b"\x30\x00"
        if empty_subject and not any(
                v.oid == oids.SUBJECT_ALT_NAME for v, _, _, _ in self._extensions):
            raise BuildError("a request with an empty subject needs a subjectAltName "
                             "(RFC 5280 4.2.1.6)")
        attributes = [der for _, der in self._attributes]
        criticals = tuple(bool(_critical(v, c, empty_subject)) for v, c, _, _ in self._extensions)
        if self._extensions:
            # Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE,
            # extnValue OCTET STRING } (RFC 5280 4.1), in an extensionRequest
            # attribute (RFC 2985 5.4.2): each value was encoded when added.
            extensions = b"".join(
                tlv(0x30, tlv(0x06, encode_oid(v.oid)) + (b"\x01\x01\xff" if critical else b"")
                    + tlv(0x04, der))
                for (v, _, der, _), critical in zip(self._extensions, criticals, strict=True))
            attributes.append(tlv(0x30, _EXTENSION_REQUEST_OID
                                  + tlv(0x31, tlv(0x30, extensions))))
        attributes.sort()  # SET OF: DER order (X.690 11.6)
        tbs = tlv(0x30, b"\x02\x01\x00" + subject_der + key_der
                  + tlv(0xA0, b"".join(attributes)))
        return tbs, key_der, criticals

    def _request_key(self, signer_key: PublicKey) -> PublicKey:
        """Return the key the request carries; raise BuildError if ``signer_key`` cannot sign it."""
        cert = self._signer_certificate
        if cert is not None:
            if cert.public_key != signer_key:
                raise BuildError("the signer's key is not the key of the certificate the "
                                 "possession statement names")
            if self._public_key is None or self._public_key == signer_key:
                raise BuildError("a possession statement is for a request carrying another "
                                 "key than the signer's: set it with public_key()")
            return self._public_key
        if self._public_key is not None and self._public_key != signer_key:
            raise BuildError("the signer's key is not the request's key: a request for a key "
                             "that does not sign it needs possession_statement() (RFC 9883)")
        return signer_key

    def sign(self, signer: Signer) -> CertificateRequest:
        """Return the request signed by ``signer``: what the strict decoder reads of its DER.

        A request the decoder would refuse raises BuildError.  The result is
        made from the builder's parts where reading the DER would give those
        same objects (:mod:`csrlib.built_request`); otherwise the DER is read
        back.
        """
        tbs, key_der, criticals = self._tbs(signer)
        return self._assemble(tbs, key_der, criticals, signer, signer.sign(tbs))

    async def sign_async(self, signer: AsyncSigner) -> CertificateRequest:
        """Return the request signed by an :class:`~csrlib.signers.AsyncSigner`."""
        tbs, key_der, criticals = self._tbs(signer)
        return self._assemble(tbs, key_der, criticals, signer, await signer.sign(tbs))

    def _assemble(self, tbs: bytes, key_der: bytes, criticals: tuple[bool, ...],
                  signer: Signer | AsyncSigner, signature: bytes) -> CertificateRequest:
        """Return the signed request as a strict load reads it; BuildError if a load refuses it."""
        if not isinstance(signature, bytes | bytearray):
            raise BuildError(f"the signer returned {type(signature).__name__}, not bytes")
        signature = bytes(signature)
        algorithm_der = signer.signature_algorithm.to_der()
        der = tlv(0x30, tbs + algorithm_der + tlv(0x03, b"\x00" + signature))
        if not self._attributes:
            made = request_of(
                der, tbs, signature, (self._subject or _EMPTY) if self._subject_plain else None,
                key_der, algorithm_der,
                [(read, critical, value_der) for (_, _, value_der, read), critical
                 in zip(self._extensions, criticals, strict=True)])
            if made is not None:
                return made
        try:
            return load_der(der)
        except DecodeError as exc:
            raise BuildError(f"the signed request does not read back: {exc}") from None


#: A builder of its fields, without ``__init__`` (each method checks what it adds).
_builder = maker(CertificateRequestBuilder)


def _critical(value: ExtensionValue, critical: bool | None, empty_subject: bool) -> bool:
    if critical is not None:
        return critical
    if isinstance(value, SubjectAlternativeName):
        return empty_subject  # RFC 5280 4.2.1.6
    if isinstance(value, KeyUsage):
        return True  # RFC 5280 4.2.1.3: SHOULD be critical
    if isinstance(value, BasicConstraints):
        return value.ca  # RFC 5280 4.2.1.9: MUST be critical in CA certificates
    if isinstance(value, SubjectKeyIdentifier | AuthorityKeyIdentifier):
        return False  # RFC 5280 4.2.1.1, 4.2.1.2: MUST NOT be critical
    if isinstance(value, UnrecognizedExtension):
        raise BuildError(f"say whether extension {value.oid} is critical")
    return False


def _one_element(value: bytes) -> bytes:
    ctx = Context()
    try:
        key, c, e = read_header(value, 0, len(value), ctx)
        if e != len(value):
            raise DecodeError("trailing-data", e)
        validate_content(value, key, 0, c, e, ctx, 1)
    except DecodeError as exc:
        raise BuildError(f"attribute value is not one DER element: {exc}") from None
    return value


def create(
    subject: Name | str | Iterable[tuple[str, str]] = (),
    *,
    san: Sequence[str] = (),
    signer: Signer,
    extensions: Iterable[ExtensionValue] = (),
) -> CertificateRequest:
    """Return a signed request: the subject, the ``type:value`` SANs, more extensions.

    ``create("CN=example.com", san=["DNS:example.com"], signer=generate())``.
    """
    builder = CertificateRequestBuilder().subject(subject)
    if san:
        builder = builder.add_extension(SubjectAlternativeName.from_strings(san))
    for value in extensions:
        builder = builder.add_extension(value)
    return builder.sign(signer)

