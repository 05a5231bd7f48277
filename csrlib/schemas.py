"""csrlib's own pyasn1 schemas for reading requests.

They follow RFC 2986, RFC 5280, RFC 4055 and RFC 5480, with four changes
for the model layer:

* types whose exact encoding the model keeps (the TBS, the SPKI, algorithm
  identifiers, ANY values, extension values) are *spanned*: ``decode_plain``
  returns them as ``(value, start, end)`` so the model can slice the input
  and decode inside them with absolute offsets;
* ``attributes`` is OPTIONAL so lenient mode can accept requests without it
  (strict mode still requires it);
* RSASSA-PSS-params has real DEFAULT values (pyasn1-modules makes the first
  two OPTIONAL), so an encoded default is caught as in any other type;
* collections that can hold many small elements (the attributes and each
  attribute's values, a name's RDNs and an RDN's attributes, GeneralNames,
  extensions, purposes, policies and their qualifiers) are *counted*
  (``csrlib_items_unchecked``): the decoder checks each element's header
  and returns the count, and the model reads the elements one at a time,
  so that memory does not grow by a Python object per element (see
  :mod:`csrlib.model.lazy`).  One of at most
  :data:`~csrlib.asn1.plan.WHOLE_OCTETS` octets is decoded whole, the fast
  path (``csrlib_whole``: its value is then the list of elements).
"""

from __future__ import annotations

from typing import Any

from pyasn1.type import char, constraint, namedtype, namedval, opentype, tag, univ

from . import oids

__all__ = [
    "AlgorithmIdentifier",
    "CertificationRequest",
    "Extensions",
    "GeneralNames",
    "SubjectPublicKeyInfo",
]

MAX = float("inf")


def _ctx(number: int, constructed: bool = True) -> tag.Tag:
    return tag.Tag(tag.tagClassContext,
                   tag.tagFormatConstructed if constructed else tag.tagFormatSimple, number)


class SpannedAny(univ.Any):
    """An ANY whose element span the plain decoder reports."""

    csrlib_span = True


class UncheckedAny(univ.Any):
    """An ANY kept with its span and not checked by the decoder: the model
    checks each such value itself, with the schema its type calls for."""

    csrlib_span = True
    csrlib_unchecked = True


class RawAny(univ.Any):
    """An ANY kept as its encoding only, not checked by the decoder.

    The item type of :class:`AttributeValues`, whose plain decoder counts
    the values rather than keeping them (see ``csrlib_items_unchecked``).
    """

    csrlib_unchecked = True


class SpannedOctetString(univ.OctetString):
    """An OCTET STRING whose element span the plain decoder reports."""

    csrlib_span = True


class AlgorithmIdentifier(univ.Sequence):
    """AlgorithmIdentifier, spanned (RFC 5280 4.1.1.2)."""

    csrlib_span = True
    componentType = namedtype.NamedTypes(
        namedtype.NamedType("algorithm", univ.ObjectIdentifier()),
        namedtype.OptionalNamedType("parameters", univ.Any()),
    )


class SubjectPublicKeyInfo(univ.Sequence):
    """SubjectPublicKeyInfo, spanned (RFC 5280 4.1.2.7)."""

    csrlib_span = True
    componentType = namedtype.NamedTypes(
        namedtype.NamedType("algorithm", AlgorithmIdentifier()),
        namedtype.NamedType("subjectPublicKey", univ.BitString()),
    )


class AttributeTypeAndValue(univ.Sequence):
    """One name attribute; the value is any element, checked by the model."""

    componentType = namedtype.NamedTypes(
        namedtype.NamedType("type", univ.ObjectIdentifier()),
        namedtype.NamedType("value", UncheckedAny()),
    )


class AttributeTypeAndValueList(univ.SetOf):
    """An RDN decoded whole: the list of its attributes."""

    componentType = AttributeTypeAndValue()


class RelativeDistinguishedName(univ.SetOf):
    """SET SIZE (1..MAX) OF AttributeTypeAndValue, counted.

    The plain decoder returns the list of attributes for an RDN of at most
    :data:`csrlib.asn1.plan.WHOLE_OCTETS` octets, else their count (see
    :func:`csrlib.model.names.read_name`).
    """

    csrlib_items_unchecked = True
    csrlib_whole = AttributeTypeAndValueList
    componentType = AttributeTypeAndValue()
    subtypeSpec = constraint.ConstraintsIntersection(constraint.ValueSizeConstraint(1, MAX))


class RDNList(univ.SequenceOf):
    """A Name decoded whole: the list of its RDNs."""

    componentType = RelativeDistinguishedName()


class RDNSequence(univ.SequenceOf):
    """A Name: SEQUENCE OF RelativeDistinguishedName, spanned, the RDNs counted.

    The plain decoder returns ``(rdns, start, end)``: ``rdns`` is the list
    of RDNs for a name of at most :data:`csrlib.asn1.plan.WHOLE_OCTETS`
    octets (decoded whole, as :class:`RDNList`), else their count, each
    RDN's header checked; the model then reads the RDNs one at a time (see
    :func:`csrlib.model.names.read_name`), so that a name of many RDNs is
    never held as a Python object per RDN and per attribute at once.
    """

    csrlib_span = True
    csrlib_items_unchecked = True
    csrlib_whole = RDNList
    componentType = RelativeDistinguishedName()


#: Attribute types whose values the decoder reads through their schema
#: (an open type); the model checks the others' values itself.
ATTRIBUTE_VALUE_TYPES: dict[Any, Any] = {}
#: Extension types whose extnValue the decoder reads through their schema.
EXTENSION_VALUE_TYPES: dict[Any, Any] = {}


class AttributeValues(univ.SetOf):
    """SET SIZE (1..MAX) OF AttributeValue (RFC 2986 4.1), counted.

    Values of a type the schema maps (extension requests) are read through
    the open type; for the others the plain decoder checks each value's
    header and the SET OF order and returns the count, and the model reads
    the values from the input (see :mod:`csrlib.model.attributes`).
    """

    csrlib_items_unchecked = True
    componentType = RawAny()
    subtypeSpec = constraint.ConstraintsIntersection(constraint.ValueSizeConstraint(1, MAX))


class Attribute(univ.Sequence):
    """A request attribute, spanned: type and a SET OF values, each kept as its encoding."""

    csrlib_span = True
    componentType = namedtype.NamedTypes(
        namedtype.NamedType("type", univ.ObjectIdentifier()),
        namedtype.NamedType("values", AttributeValues(),
                            openType=opentype.OpenType("type", ATTRIBUTE_VALUE_TYPES)),
    )


class AttributeList(univ.SetOf):
    """Attributes decoded whole: the list of them."""

    componentType = Attribute()


class Attributes(univ.SetOf):
    """[0] IMPLICIT SET OF Attribute, spanned, counted: ``(attributes or count, start, end)``."""

    csrlib_span = True
    csrlib_items_unchecked = True
    csrlib_whole = AttributeList
    componentType = Attribute()
    tagSet = univ.SetOf.tagSet.tagImplicitly(_ctx(0))


class CertificationRequestInfo(univ.Sequence):
    """The TBS part, spanned (RFC 2986 4.1); attributes OPTIONAL for lenient mode."""

    csrlib_span = True
    componentType = namedtype.NamedTypes(
        namedtype.NamedType("version", univ.Integer()),
        namedtype.NamedType("subject", RDNSequence()),
        namedtype.NamedType("subjectPKInfo", SubjectPublicKeyInfo()),
        namedtype.OptionalNamedType("attributes", Attributes()),
    )


class CertificationRequest(univ.Sequence):
    """RFC 2986 4.2 CertificationRequest."""

    componentType = namedtype.NamedTypes(
        namedtype.NamedType("certificationRequestInfo", CertificationRequestInfo()),
        namedtype.NamedType("signatureAlgorithm", AlgorithmIdentifier()),
        namedtype.NamedType("signature", univ.BitString()),
    )


class Extension(univ.Sequence):
    """Extension; the value OCTET STRING is spanned, and read by type (RFC 5280 4.1)."""

    componentType = namedtype.NamedTypes(
        namedtype.NamedType("extnID", univ.ObjectIdentifier()),
        namedtype.DefaultedNamedType("critical", univ.Boolean(False)),
        namedtype.NamedType("extnValue", SpannedOctetString(),
                            openType=opentype.OpenType("extnID", EXTENSION_VALUE_TYPES)),
    )


class ExtensionList(univ.SequenceOf):
    """Extensions decoded whole: the list of them."""

    componentType = Extension()


class Extensions(univ.SequenceOf):
    """SEQUENCE SIZE (1..MAX) OF Extension, spanned, counted; the size checked by the model.

    An empty extension request is what older OpenSSL wrote for an empty
    ``req_extensions`` section: a lenient-mode deviation, so not a schema error.
    """

    csrlib_span = True
    csrlib_items_unchecked = True
    csrlib_whole = ExtensionList
    componentType = Extension()


class AnotherName(univ.Sequence):
    """otherName: type-id and an explicitly tagged value kept whole."""

    componentType = namedtype.NamedTypes(
        namedtype.NamedType("type-id", univ.ObjectIdentifier()),
        namedtype.NamedType("value", SpannedAny().subtype(explicitTag=_ctx(0))),
    )


class GeneralName(univ.Choice):
    """GeneralName (RFC 5280 4.2.1.6); x400Address and ediPartyName kept whole."""

    componentType = namedtype.NamedTypes(
        namedtype.NamedType("otherName", AnotherName().subtype(implicitTag=_ctx(0))),
        namedtype.NamedType("rfc822Name", char.IA5String().subtype(implicitTag=_ctx(1, False))),
        namedtype.NamedType("dNSName", char.IA5String().subtype(implicitTag=_ctx(2, False))),
        namedtype.NamedType("x400Address", SpannedAny().subtype(implicitTag=_ctx(3))),
        namedtype.NamedType("directoryName", RDNSequence().subtype(explicitTag=_ctx(4))),
        namedtype.NamedType("ediPartyName", SpannedAny().subtype(implicitTag=_ctx(5))),
        namedtype.NamedType("uniformResourceIdentifier",
                            char.IA5String().subtype(implicitTag=_ctx(6, False))),
        namedtype.NamedType("iPAddress", univ.OctetString().subtype(implicitTag=_ctx(7, False))),
        namedtype.NamedType("registeredID",
                            univ.ObjectIdentifier().subtype(implicitTag=_ctx(8, False))),
    )


class GeneralNameList(univ.SequenceOf):
    """GeneralNames decoded whole: the list of its names."""

    componentType = GeneralName()


class GeneralNames(univ.SequenceOf):
    """SEQUENCE SIZE (1..MAX) OF GeneralName, spanned, the names counted.

    The plain decoder returns ``(names, start, end)``: the list of names
    for at most :data:`csrlib.asn1.plan.WHOLE_OCTETS` octets (decoded
    whole), else their count, and the model reads the names one at a time
    (:func:`csrlib.model.general_names.read_general_names`).
    """

    csrlib_span = True
    csrlib_items_unchecked = True
    csrlib_whole = GeneralNameList
    componentType = GeneralName()
    subtypeSpec = constraint.ConstraintsIntersection(constraint.ValueSizeConstraint(1, MAX))


class AuthorityKeyIdentifier(univ.Sequence):
    """AuthorityKeyIdentifier (RFC 5280 4.2.1.1) with csrlib's GeneralNames."""

    componentType = namedtype.NamedTypes(
        namedtype.OptionalNamedType("keyIdentifier", univ.OctetString().subtype(
            implicitTag=_ctx(0, False))),
        namedtype.OptionalNamedType("authorityCertIssuer", GeneralNames().subtype(
            implicitTag=_ctx(1))),
        namedtype.OptionalNamedType("authorityCertSerialNumber", univ.Integer().subtype(
            implicitTag=_ctx(2, False))),
    )


class DisplayText(univ.Choice):
    """DisplayText (RFC 5280 4.2.1.4) without the 200-character cap.

    RFC 5280 notes that non-conforming CAs exceed it and tells users to
    handle longer texts gracefully, so csrlib accepts them in both modes.
    """

    componentType = namedtype.NamedTypes(*(
        namedtype.NamedType(name, cls().subtype(
            subtypeSpec=constraint.ValueSizeConstraint(1, MAX)))
        for name, cls in (("ia5String", char.IA5String), ("visibleString", char.VisibleString),
                          ("bmpString", char.BMPString), ("utf8String", char.UTF8String))))


class NoticeNumbers(univ.SequenceOf):
    """noticeNumbers: SEQUENCE OF INTEGER."""

    componentType = univ.Integer()


class NoticeReference(univ.Sequence):
    """NoticeReference (RFC 5280 4.2.1.4)."""

    componentType = namedtype.NamedTypes(
        namedtype.NamedType("organization", DisplayText()),
        namedtype.NamedType("noticeNumbers", NoticeNumbers()),
    )


class UserNotice(univ.Sequence):
    """UserNotice (RFC 5280 4.2.1.4)."""

    componentType = namedtype.NamedTypes(
        namedtype.OptionalNamedType("noticeRef", NoticeReference()),
        namedtype.OptionalNamedType("explicitText", DisplayText()),
    )


#: Policy qualifier types whose value the decoder reads through its schema.
POLICY_QUALIFIER_TYPES: dict[Any, Any] = {
    univ.ObjectIdentifier(oids.CPS_QUALIFIER): char.IA5String(),
    univ.ObjectIdentifier(oids.USER_NOTICE_QUALIFIER): UserNotice(),
}


class PolicyQualifierInfo(univ.Sequence):
    """PolicyQualifierInfo; the qualifier is spanned and read by type when known."""

    componentType = namedtype.NamedTypes(
        namedtype.NamedType("policyQualifierId", univ.ObjectIdentifier()),
        namedtype.NamedType("qualifier", SpannedAny(),
                            openType=opentype.OpenType("policyQualifierId",
                                                       POLICY_QUALIFIER_TYPES)),
    )


class PolicyQualifierList(univ.SequenceOf):
    """Policy qualifiers decoded whole: the list of them."""

    componentType = PolicyQualifierInfo()


class PolicyQualifiers(univ.SequenceOf):
    """SEQUENCE SIZE (1..MAX) OF PolicyQualifierInfo, spanned, counted."""

    csrlib_span = True
    csrlib_items_unchecked = True
    csrlib_whole = PolicyQualifierList
    componentType = PolicyQualifierInfo()
    subtypeSpec = constraint.ConstraintsIntersection(constraint.ValueSizeConstraint(1, MAX))


class PolicyInformation(univ.Sequence):
    """PolicyInformation (RFC 5280 4.2.1.4)."""

    componentType = namedtype.NamedTypes(
        namedtype.NamedType("policyIdentifier", univ.ObjectIdentifier()),
        namedtype.OptionalNamedType("policyQualifiers", PolicyQualifiers()),
    )


class PolicyList(univ.SequenceOf):
    """certificatePolicies decoded whole: the list of policies."""

    componentType = PolicyInformation()


class CertificatePolicies(univ.SequenceOf):
    """certificatePolicies: SEQUENCE SIZE (1..MAX) OF PolicyInformation, spanned, counted."""

    csrlib_span = True
    csrlib_items_unchecked = True
    csrlib_whole = PolicyList
    componentType = PolicyInformation()
    subtypeSpec = constraint.ConstraintsIntersection(constraint.ValueSizeConstraint(1, MAX))


class KeyPurposeId(univ.ObjectIdentifier):
    """KeyPurposeId (RFC 5280 4.2.1.12): an OBJECT IDENTIFIER."""


class PurposeList(univ.SequenceOf):
    """extendedKeyUsage decoded whole: the list of purposes."""

    componentType = KeyPurposeId()


class ExtKeyUsageSyntax(univ.SequenceOf):
    """extendedKeyUsage: SEQUENCE SIZE (1..MAX) OF KeyPurposeId, spanned, counted."""

    csrlib_span = True
    csrlib_items_unchecked = True
    csrlib_whole = PurposeList
    componentType = KeyPurposeId()
    subtypeSpec = constraint.ConstraintsIntersection(constraint.ValueSizeConstraint(1, MAX))


# The three below are RFC 5280's (section 4.2.1.2, 4.2.1.3, 4.2.1.9), written
# here rather than taken from pyasn1_modules.rfc5280: that module defines
# hundreds of types and importing it was the largest single cost of
# ``import csrlib`` (12-16 ms of it).


class KeyUsage(univ.BitString):
    """keyUsage: BIT STRING with the nine named bits of RFC 5280 4.2.1.3."""

    namedValues = namedval.NamedValues(
        ("digitalSignature", 0), ("nonRepudiation", 1), ("keyEncipherment", 2),
        ("dataEncipherment", 3), ("keyAgreement", 4), ("keyCertSign", 5), ("cRLSign", 6),
        ("encipherOnly", 7), ("decipherOnly", 8))


class BasicConstraints(univ.Sequence):
    """basicConstraints: SEQUENCE { cA BOOLEAN DEFAULT FALSE,
    pathLenConstraint INTEGER (0..MAX) OPTIONAL } (RFC 5280 4.2.1.9)."""

    componentType = namedtype.NamedTypes(
        namedtype.DefaultedNamedType("cA", univ.Boolean(False)),
        namedtype.OptionalNamedType("pathLenConstraint", univ.Integer().subtype(
            subtypeSpec=constraint.ValueRangeConstraint(0, MAX))))


class SubjectKeyIdentifier(univ.OctetString):
    """subjectKeyIdentifier: KeyIdentifier ::= OCTET STRING (RFC 5280 4.2.1.2)."""


ATTRIBUTE_VALUE_TYPES.update({
    univ.ObjectIdentifier(oids.EXTENSION_REQUEST): Extensions(),
    univ.ObjectIdentifier(oids.MS_EXTENSION_REQUEST): Extensions(),
})
EXTENSION_VALUE_TYPES.update({
    univ.ObjectIdentifier(oid): schema
    for oid, schema in (
        (oids.SUBJECT_ALT_NAME, GeneralNames()),
        (oids.KEY_USAGE, KeyUsage()),
        (oids.EXTENDED_KEY_USAGE, ExtKeyUsageSyntax()),
        (oids.BASIC_CONSTRAINTS, BasicConstraints()),
        (oids.SUBJECT_KEY_IDENTIFIER, SubjectKeyIdentifier()),
        (oids.AUTHORITY_KEY_IDENTIFIER, AuthorityKeyIdentifier()),
        (oids.CERTIFICATE_POLICIES, CertificatePolicies()),
        (oids.ISSUER_ALT_NAME, GeneralNames()),
    )
})
