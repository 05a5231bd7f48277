"""The OID registry: dotted strings and their names, in one place.

Every other module names OIDs through the constants here; dotted strings
appear only in this file (and in reprs).
"""

from __future__ import annotations

__all__ = [
    "ATTRIBUTE_NAMES",
    "ATTRIBUTE_SHORT_NAMES",
    "CURVE_NAMES",
    "EXTENDED_KEY_USAGE_NAMES",
    "EXTENSION_NAMES",
    "OPENSSL_SHORT_NAMES",
    "RFC4514_SHORT_NAMES",
    "attribute_oid",
    "name_of",
]

# -- name attribute types (X.520, RFC 4519, PKCS#9, RFC 4524, EV guidelines) --
COMMON_NAME = "2.5.4.3"
SURNAME = "2.5.4.4"
SERIAL_NUMBER = "2.5.4.5"
COUNTRY_NAME = "2.5.4.6"
LOCALITY_NAME = "2.5.4.7"
STATE_OR_PROVINCE_NAME = "2.5.4.8"
STREET_ADDRESS = "2.5.4.9"
ORGANIZATION_NAME = "2.5.4.10"
ORGANIZATIONAL_UNIT_NAME = "2.5.4.11"
TITLE = "2.5.4.12"
BUSINESS_CATEGORY = "2.5.4.15"
POSTAL_ADDRESS = "2.5.4.16"
POSTAL_CODE = "2.5.4.17"
POST_OFFICE_BOX = "2.5.4.18"
TELEPHONE_NUMBER = "2.5.4.20"
NAME = "2.5.4.41"
GIVEN_NAME = "2.5.4.42"
INITIALS = "2.5.4.43"
GENERATION_QUALIFIER = "2.5.4.44"
X500_UNIQUE_IDENTIFIER = "2.5.4.45"
DN_QUALIFIER = "2.5.4.46"
PSEUDONYM = "2.5.4.65"
ORGANIZATION_IDENTIFIER = "2.5.4.97"
USER_ID = "0.9.2342.19200300.100.1.1"
DOMAIN_COMPONENT = "0.9.2342.19200300.100.1.25"
EMAIL_ADDRESS = "1.2.840.113549.1.9.1"
UNSTRUCTURED_NAME = "1.2.840.113549.1.9.2"
CONTENT_TYPE = "1.2.840.113549.1.9.3"
UNSTRUCTURED_ADDRESS = "1.2.840.113549.1.9.8"
JURISDICTION_LOCALITY_NAME = "1.3.6.1.4.1.311.60.2.1.1"
JURISDICTION_STATE_OR_PROVINCE_NAME = "1.3.6.1.4.1.311.60.2.1.2"
JURISDICTION_COUNTRY_NAME = "1.3.6.1.4.1.311.60.2.1.3"

#: Short names of name attribute types, as OpenSSL prints them.
ATTRIBUTE_SHORT_NAMES: dict[str, str] = {
    COMMON_NAME: "CN",
    SURNAME: "SN",
    SERIAL_NUMBER: "serialNumber",
    COUNTRY_NAME: "C",
    LOCALITY_NAME: "L",
    STATE_OR_PROVINCE_NAME: "ST",
    STREET_ADDRESS: "street",
    ORGANIZATION_NAME: "O",
    ORGANIZATIONAL_UNIT_NAME: "OU",
    TITLE: "title",
    BUSINESS_CATEGORY: "businessCategory",
    POSTAL_ADDRESS: "postalAddress",
    POSTAL_CODE: "postalCode",
    POST_OFFICE_BOX: "postOfficeBox",
    TELEPHONE_NUMBER: "telephoneNumber",
    NAME: "name",
    GIVEN_NAME: "GN",
    INITIALS: "initials",
    GENERATION_QUALIFIER: "generationQualifier",
    X500_UNIQUE_IDENTIFIER: "x500UniqueIdentifier",
    DN_QUALIFIER: "dnQualifier",
    PSEUDONYM: "pseudonym",
    ORGANIZATION_IDENTIFIER: "organizationIdentifier",
    USER_ID: "UID",
    DOMAIN_COMPONENT: "DC",
    EMAIL_ADDRESS: "emailAddress",
    UNSTRUCTURED_NAME: "unstructuredName",
    UNSTRUCTURED_ADDRESS: "unstructuredAddress",
    JURISDICTION_LOCALITY_NAME: "jurisdictionL",
    JURISDICTION_STATE_OR_PROVINCE_NAME: "jurisdictionST",
    JURISDICTION_COUNTRY_NAME: "jurisdictionC",
}

#: The short names OpenSSL prints for the other name attribute types it knows
#: (its objects table, as ``openssl req -text`` shows them); display only:
#: parsing takes :data:`ATTRIBUTE_SHORT_NAMES` and the long forms.
OPENSSL_SHORT_NAMES: dict[str, str] = {
    **{f"2.5.4.{arc}": name for arc, name in (
        (13, "description"), (14, "searchGuide"), (19, "physicalDeliveryOfficeName"),
        (21, "telexNumber"), (22, "teletexTerminalIdentifier"),
        (23, "facsimileTelephoneNumber"), (24, "x121Address"),
        (25, "internationaliSDNNumber"), (26, "registeredAddress"),
        (27, "destinationIndicator"), (28, "preferredDeliveryMethod"),
        (29, "presentationAddress"), (30, "supportedApplicationContext"), (31, "member"),
        (32, "owner"), (33, "roleOccupant"), (34, "seeAlso"), (35, "userPassword"),
        (36, "userCertificate"), (37, "cACertificate"), (38, "authorityRevocationList"),
        (39, "certificateRevocationList"), (40, "crossCertificatePair"),
        (47, "enhancedSearchGuide"), (48, "protocolInformation"),
        (49, "distinguishedName"), (50, "uniqueMember"), (51, "houseIdentifier"),
        (52, "supportedAlgorithms"), (53, "deltaRevocationList"), (54, "dmdName"),
        (72, "role"), (98, "c3"), (99, "n3"), (100, "dnsName"))},
    **{f"0.9.2342.19200300.100.1.{arc}": name for arc, name in (
        (2, "textEncodedORAddress"), (3, "mail"), (4, "info"), (5, "favouriteDrink"),
        (6, "roomNumber"), (7, "photo"), (8, "userClass"), (9, "host"), (10, "manager"),
        (11, "documentIdentifier"), (12, "documentTitle"), (13, "documentVersion"),
        (14, "documentAuthor"), (15, "documentLocation"), (20, "homeTelephoneNumber"),
        (21, "secretary"), (22, "otherMailbox"), (26, "aRecord"),
        (27, "pilotAttributeType27"), (28, "mXRecord"), (29, "nSRecord"), (30, "sOARecord"),
        (31, "cNAMERecord"), (37, "associatedDomain"), (38, "associatedName"),
        (39, "homePostalAddress"), (40, "personalTitle"), (41, "mobileTelephoneNumber"),
        (42, "pagerTelephoneNumber"), (43, "friendlyCountryName"), (44, "uid"),
        (45, "organizationalStatus"), (46, "janetMailbox"), (47, "mailPreferenceOption"),
        (48, "buildingName"), (49, "dSAQuality"), (50, "singleLevelQuality"),
        (51, "subtreeMinimumQuality"), (52, "subtreeMaximumQuality"),
        (53, "personalSignature"), (54, "dITRedirect"), (55, "audio"),
        (56, "documentPublisher"))},
    **{f"1.3.6.1.5.5.7.9.{arc}": f"id-pda-{name}" for arc, name in (
        (1, "dateOfBirth"), (2, "placeOfBirth"), (3, "gender"), (4, "countryOfCitizenship"),
        (5, "countryOfResidence"))},
    "1.2.643.3.131.1.1": "INN",
    "1.2.643.100.1": "OGRN",
    "1.2.643.100.3": "SNILS",
    "1.2.643.100.5": "OGRNIP",
    "1.2.643.100.111": "subjectSignTool",
    **ATTRIBUTE_SHORT_NAMES,
}

#: The short names RFC 4514 section 3 defines; other types print as dotted
#: OIDs in RFC 4514 strings (as cryptography prints them).
RFC4514_SHORT_NAMES: dict[str, str] = {
    COMMON_NAME: "CN",
    LOCALITY_NAME: "L",
    STATE_OR_PROVINCE_NAME: "ST",
    ORGANIZATION_NAME: "O",
    ORGANIZATIONAL_UNIT_NAME: "OU",
    COUNTRY_NAME: "C",
    STREET_ADDRESS: "STREET",
    DOMAIN_COMPONENT: "DC",
    USER_ID: "UID",
}

# Names accepted when parsing, case-insensitively: both tables, long forms.
_PARSE_NAMES: dict[str, str] = {
    **{name.lower(): oid for oid, name in OPENSSL_SHORT_NAMES.items()},
    **{name.lower(): oid for oid, name in ATTRIBUTE_SHORT_NAMES.items()},
    **{name.lower(): oid for oid, name in RFC4514_SHORT_NAMES.items()},
    "commonname": COMMON_NAME,
    "countryname": COUNTRY_NAME,
    "localityname": LOCALITY_NAME,
    "stateorprovincename": STATE_OR_PROVINCE_NAME,
    "streetaddress": STREET_ADDRESS,
    "organizationname": ORGANIZATION_NAME,
    "organizationalunitname": ORGANIZATIONAL_UNIT_NAME,
    "givenname": GIVEN_NAME,
    "surname": SURNAME,
    "email": EMAIL_ADDRESS,
    "e": EMAIL_ADDRESS,
    "userid": USER_ID,
    "domaincomponent": DOMAIN_COMPONENT,
    "jurisdictioncountryname": JURISDICTION_COUNTRY_NAME,
    "jurisdictionstateorprovincename": JURISDICTION_STATE_OR_PROVINCE_NAME,
    "jurisdictionlocalityname": JURISDICTION_LOCALITY_NAME,
}


def attribute_oid(name: str) -> str | None:
    """Return the OID of a name attribute type by short or long name, or None."""
    return _PARSE_NAMES.get(name.lower())


# -- PKCS#9 / CSR attributes ------------------------------------------------
CHALLENGE_PASSWORD = "1.2.840.113549.1.9.7"
EXTENSION_REQUEST = "1.2.840.113549.1.9.14"
MS_EXTENSION_REQUEST = "1.3.6.1.4.1.311.2.1.14"
# RFC 9883 (ASN.1 module: id-at-statementOfPossession): the request is signed
# by the key of a certificate the attribute names.
STATEMENT_OF_POSSESSION = "1.3.6.1.4.1.22112.2.1"

ATTRIBUTE_NAMES: dict[str, str] = {
    CHALLENGE_PASSWORD: "challengePassword",
    UNSTRUCTURED_NAME: "unstructuredName",
    UNSTRUCTURED_ADDRESS: "unstructuredAddress",
    EXTENSION_REQUEST: "extensionRequest",
    MS_EXTENSION_REQUEST: "msExtensionRequest",
    STATEMENT_OF_POSSESSION: "privateKeyPossessionStatement",
    "1.3.6.1.4.1.311.13.2.3": "msOsVersion",
    "1.3.6.1.4.1.311.13.2.2": "msEnrollmentCsp",
    "1.3.6.1.4.1.311.21.20": "msRequestClientInfo",
    "1.3.6.1.4.1.311.13.2.1": "msEnrollmentNameValuePair",
}
_ATTRIBUTE_OIDS = {name.lower(): oid for oid, name in ATTRIBUTE_NAMES.items()}


def attribute_type_oid(oid_or_name: str) -> str | None:
    """Return the OID of a request attribute named like ``challengePassword`` or given
    as a dotted OID; None when it is neither."""
    if oid_or_name[:1].isdigit():
        from .der.primitives import oid_arcs
        from .errors import EncodeError

        try:
            return ".".join(map(str, oid_arcs(oid_or_name)))
        except EncodeError:
            return None
    return _ATTRIBUTE_OIDS.get(oid_or_name.lower())

# -- extensions (RFC 5280 4.2) --------------------------------------------------
SUBJECT_KEY_IDENTIFIER = "2.5.29.14"
KEY_USAGE = "2.5.29.15"
SUBJECT_ALT_NAME = "2.5.29.17"
ISSUER_ALT_NAME = "2.5.29.18"
BASIC_CONSTRAINTS = "2.5.29.19"
NAME_CONSTRAINTS = "2.5.29.30"
CERTIFICATE_POLICIES = "2.5.29.32"
AUTHORITY_KEY_IDENTIFIER = "2.5.29.35"
EXTENDED_KEY_USAGE = "2.5.29.37"
TLS_FEATURE = "1.3.6.1.5.5.7.1.24"
AUTHORITY_INFO_ACCESS = "1.3.6.1.5.5.7.1.1"
CRL_DISTRIBUTION_POINTS = "2.5.29.31"
MS_CERTIFICATE_TEMPLATE_NAME = "1.3.6.1.4.1.311.20.2"
MS_CERTIFICATE_TEMPLATE = "1.3.6.1.4.1.311.21.7"
ANY_POLICY = "2.5.29.32.0"
CPS_QUALIFIER = "1.3.6.1.5.5.7.2.1"
USER_NOTICE_QUALIFIER = "1.3.6.1.5.5.7.2.2"

EXTENSION_NAMES: dict[str, str] = {
    SUBJECT_KEY_IDENTIFIER: "subjectKeyIdentifier",
    KEY_USAGE: "keyUsage",
    SUBJECT_ALT_NAME: "subjectAltName",
    ISSUER_ALT_NAME: "issuerAltName",
    BASIC_CONSTRAINTS: "basicConstraints",
    NAME_CONSTRAINTS: "nameConstraints",
    CERTIFICATE_POLICIES: "certificatePolicies",
    AUTHORITY_KEY_IDENTIFIER: "authorityKeyIdentifier",
    EXTENDED_KEY_USAGE: "extendedKeyUsage",
    TLS_FEATURE: "tlsFeature",
    "1.3.6.1.5.5.7.1.1": "authorityInfoAccess",
    "2.5.29.31": "cRLDistributionPoints",
    "1.3.6.1.4.1.311.20.2": "msCertificateTemplateName",
    "1.3.6.1.4.1.311.21.7": "msCertificateTemplate",
    "1.3.6.1.4.1.311.21.10": "msApplicationPolicies",
    "2.16.840.1.113730.1.1": "netscapeCertType",
    "2.16.840.1.113730.1.13": "netscapeComment",
}

# -- extended key usages (RFC 5280 4.2.1.12 and others) --------------------------
EXTENDED_KEY_USAGE_NAMES: dict[str, str] = {
    "2.5.29.37.0": "anyExtendedKeyUsage",
    "1.3.6.1.5.5.7.3.1": "serverAuth",
    "1.3.6.1.5.5.7.3.2": "clientAuth",
    "1.3.6.1.5.5.7.3.3": "codeSigning",
    "1.3.6.1.5.5.7.3.4": "emailProtection",
    "1.3.6.1.5.5.7.3.8": "timeStamping",
    "1.3.6.1.5.5.7.3.9": "OCSPSigning",
    "1.3.6.1.5.5.7.3.17": "ipsecIKE",
    "1.3.6.1.4.1.311.20.2.2": "msSmartcardLogin",
    "1.3.6.1.5.2.3.5": "kerberosKdc",
}

# -- public key and signature algorithms ----------------------------------------
RSA_ENCRYPTION = "1.2.840.113549.1.1.1"
RSASSA_PSS = "1.2.840.113549.1.1.10"
MGF1 = "1.2.840.113549.1.1.8"
EC_PUBLIC_KEY = "1.2.840.10045.2.1"
ED25519 = "1.3.101.112"
ED448 = "1.3.101.113"
SECP256R1 = "1.2.840.10045.3.1.7"
SECP384R1 = "1.3.132.0.34"
SECP521R1 = "1.3.132.0.35"
SECP256K1 = "1.3.132.0.10"
# Curves csrlib reads keys on (and checks their points) but does not verify on yet.
SECP192R1 = "1.2.840.10045.3.1.1"
SECP224R1 = "1.3.132.0.33"
BRAINPOOLP256R1 = "1.3.36.3.3.2.8.1.1.7"
BRAINPOOLP384R1 = "1.3.36.3.3.2.8.1.1.11"
BRAINPOOLP512R1 = "1.3.36.3.3.2.8.1.1.13"
# Field types of explicit EC parameters (RFC 3279 2.3.5).
PRIME_FIELD = "1.2.840.10045.1.1"
CHARACTERISTIC_TWO_FIELD = "1.2.840.10045.1.2"
# DSA keys (RFC 3279 2.3.2) and signatures (RFC 3279 2.2.2, RFC 5758 3.1).
DSA = "1.2.840.10040.4.1"
DSA_WITH_SHA1 = "1.2.840.10040.4.3"
DSA_WITH_SHA224 = "2.16.840.1.101.3.4.3.1"
DSA_WITH_SHA256 = "2.16.840.1.101.3.4.3.2"
DSA_WITH_SHA384 = "2.16.840.1.101.3.4.3.3"
DSA_WITH_SHA512 = "2.16.840.1.101.3.4.3.4"
# ML-DSA (FIPS 204, RFC 9881 2): the same OID names the key and the signature.
ML_DSA_44 = "2.16.840.1.101.3.4.3.17"
ML_DSA_65 = "2.16.840.1.101.3.4.3.18"
ML_DSA_87 = "2.16.840.1.101.3.4.3.19"
# HashML-DSA with SHA-512 (NIST CSOR); RFC 9881 forbids it in certificates.
HASH_ML_DSA_44 = "2.16.840.1.101.3.4.3.32"
HASH_ML_DSA_65 = "2.16.840.1.101.3.4.3.33"
HASH_ML_DSA_87 = "2.16.840.1.101.3.4.3.34"
# ML-KEM public keys (FIPS 203; RFC 9935 3: id-alg-ml-kem-512/768/1024, NIST CSOR kems).
ML_KEM_512 = "2.16.840.1.101.3.4.4.1"
ML_KEM_768 = "2.16.840.1.101.3.4.4.2"
ML_KEM_1024 = "2.16.840.1.101.3.4.4.3"

#: Named elliptic curves (RFC 5480 2.1.1.1, SEC 2, X9.62, RFC 5639, GB/T
#: 32918.5), by the names cryptography and OpenSSL use.
CURVE_NAMES: dict[str, str] = {
    SECP256R1: "secp256r1",
    SECP384R1: "secp384r1",
    SECP521R1: "secp521r1",
    SECP256K1: "secp256k1",
    SECP192R1: "secp192r1",
    SECP224R1: "secp224r1",
    BRAINPOOLP256R1: "brainpoolP256r1",
    BRAINPOOLP384R1: "brainpoolP384r1",
    BRAINPOOLP512R1: "brainpoolP512r1",
    "1.2.840.10045.3.1.2": "prime192v2",
    "1.2.840.10045.3.1.3": "prime192v3",
    "1.2.840.10045.3.1.4": "prime239v1",
    "1.2.840.10045.3.1.5": "prime239v2",
    "1.2.840.10045.3.1.6": "prime239v3",
    "1.3.132.0.8": "secp160r1",
    "1.3.132.0.9": "secp160k1",
    "1.3.132.0.30": "secp160r2",
    "1.3.132.0.31": "secp192k1",
    "1.3.132.0.32": "secp224k1",
    "1.3.36.3.3.2.8.1.1.1": "brainpoolP160r1",
    "1.3.36.3.3.2.8.1.1.2": "brainpoolP160t1",
    "1.3.36.3.3.2.8.1.1.3": "brainpoolP192r1",
    "1.3.36.3.3.2.8.1.1.4": "brainpoolP192t1",
    "1.3.36.3.3.2.8.1.1.5": "brainpoolP224r1",
    "1.3.36.3.3.2.8.1.1.6": "brainpoolP224t1",
    "1.3.36.3.3.2.8.1.1.8": "brainpoolP256t1",
    "1.3.36.3.3.2.8.1.1.9": "brainpoolP320r1",
    "1.3.36.3.3.2.8.1.1.10": "brainpoolP320t1",
    "1.3.36.3.3.2.8.1.1.12": "brainpoolP384t1",
    "1.3.36.3.3.2.8.1.1.14": "brainpoolP512t1",
    "1.2.156.10197.1.301": "SM2",
    "1.3.132.0.1": "sect163k1",
    "1.3.132.0.15": "sect163r2",
    "1.3.132.0.26": "sect233k1",
    "1.3.132.0.27": "sect233r1",
    "1.3.132.0.16": "sect283k1",
    "1.3.132.0.17": "sect283r1",
    "1.3.132.0.36": "sect409k1",
    "1.3.132.0.37": "sect409r1",
    "1.3.132.0.38": "sect571k1",
    "1.3.132.0.39": "sect571r1",
}

MD5_WITH_RSA = "1.2.840.113549.1.1.4"
SHA1_WITH_RSA = "1.2.840.113549.1.1.5"
SHA224_WITH_RSA = "1.2.840.113549.1.1.14"
SHA256_WITH_RSA = "1.2.840.113549.1.1.11"
SHA384_WITH_RSA = "1.2.840.113549.1.1.12"
SHA512_WITH_RSA = "1.2.840.113549.1.1.13"
ECDSA_WITH_SHA1 = "1.2.840.10045.4.1"
ECDSA_WITH_SHA224 = "1.2.840.10045.4.3.1"
ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2"
ECDSA_WITH_SHA384 = "1.2.840.10045.4.3.3"
ECDSA_WITH_SHA512 = "1.2.840.10045.4.3.4"
# NIST CSOR sigAlgs (RFC 9688): id-ecdsa-with-sha3-*, id-rsassa-pkcs1-v1_5-with-sha3-*.
ECDSA_WITH_SHA3_224 = "2.16.840.1.101.3.4.3.9"
ECDSA_WITH_SHA3_256 = "2.16.840.1.101.3.4.3.10"
ECDSA_WITH_SHA3_384 = "2.16.840.1.101.3.4.3.11"
ECDSA_WITH_SHA3_512 = "2.16.840.1.101.3.4.3.12"
SHA3_224_WITH_RSA = "2.16.840.1.101.3.4.3.13"
SHA3_256_WITH_RSA = "2.16.840.1.101.3.4.3.14"
SHA3_384_WITH_RSA = "2.16.840.1.101.3.4.3.15"
SHA3_512_WITH_RSA = "2.16.840.1.101.3.4.3.16"

MD5 = "1.2.840.113549.2.5"
SHA1 = "1.3.14.3.2.26"
SHA224 = "2.16.840.1.101.3.4.2.4"
SHA256 = "2.16.840.1.101.3.4.2.1"
SHA384 = "2.16.840.1.101.3.4.2.2"
SHA512 = "2.16.840.1.101.3.4.2.3"
SHA3_224 = "2.16.840.1.101.3.4.2.7"
SHA3_256 = "2.16.840.1.101.3.4.2.8"
SHA3_384 = "2.16.840.1.101.3.4.2.9"
SHA3_512 = "2.16.840.1.101.3.4.2.10"

_ALL_NAMES: dict[str, str] = {
    **ATTRIBUTE_SHORT_NAMES,
    **ATTRIBUTE_NAMES,
    **EXTENSION_NAMES,
    **EXTENDED_KEY_USAGE_NAMES,
    RSA_ENCRYPTION: "rsaEncryption",
    RSASSA_PSS: "RSASSA-PSS",
    MGF1: "mgf1",
    EC_PUBLIC_KEY: "id-ecPublicKey",
    ED25519: "Ed25519",
    ED448: "Ed448",
    **CURVE_NAMES,
    PRIME_FIELD: "prime-field",
    CHARACTERISTIC_TWO_FIELD: "characteristic-two-field",
    DSA: "id-dsa",
    DSA_WITH_SHA1: "dsa-with-SHA1",
    DSA_WITH_SHA224: "dsa-with-SHA224",
    DSA_WITH_SHA256: "dsa-with-SHA256",
    DSA_WITH_SHA384: "dsa-with-SHA384",
    DSA_WITH_SHA512: "dsa-with-SHA512",
    MD5_WITH_RSA: "md5WithRSAEncryption",
    SHA1_WITH_RSA: "sha1WithRSAEncryption",
    SHA224_WITH_RSA: "sha224WithRSAEncryption",
    SHA256_WITH_RSA: "sha256WithRSAEncryption",
    SHA384_WITH_RSA: "sha384WithRSAEncryption",
    SHA512_WITH_RSA: "sha512WithRSAEncryption",
    ECDSA_WITH_SHA1: "ecdsa-with-SHA1",
    ECDSA_WITH_SHA224: "ecdsa-with-SHA224",
    ECDSA_WITH_SHA256: "ecdsa-with-SHA256",
    ECDSA_WITH_SHA384: "ecdsa-with-SHA384",
    ECDSA_WITH_SHA512: "ecdsa-with-SHA512",
    MD5: "md5",
    SHA1: "sha1",
    SHA224: "sha224",
    SHA256: "sha256",
    SHA384: "sha384",
    SHA512: "sha512",
    ECDSA_WITH_SHA3_224: "id-ecdsa-with-sha3-224",
    ECDSA_WITH_SHA3_256: "id-ecdsa-with-sha3-256",
    ECDSA_WITH_SHA3_384: "id-ecdsa-with-sha3-384",
    ECDSA_WITH_SHA3_512: "id-ecdsa-with-sha3-512",
    SHA3_224_WITH_RSA: "id-rsassa-pkcs1-v1_5-with-sha3-224",
    SHA3_256_WITH_RSA: "id-rsassa-pkcs1-v1_5-with-sha3-256",
    SHA3_384_WITH_RSA: "id-rsassa-pkcs1-v1_5-with-sha3-384",
    SHA3_512_WITH_RSA: "id-rsassa-pkcs1-v1_5-with-sha3-512",
    SHA3_224: "sha3-224",
    SHA3_256: "sha3-256",
    SHA3_384: "sha3-384",
    SHA3_512: "sha3-512",
    ML_DSA_44: "ML-DSA-44",
    ML_DSA_65: "ML-DSA-65",
    ML_DSA_87: "ML-DSA-87",
    HASH_ML_DSA_44: "id-hash-ml-dsa-44-with-sha512",
    HASH_ML_DSA_65: "id-hash-ml-dsa-65-with-sha512",
    HASH_ML_DSA_87: "id-hash-ml-dsa-87-with-sha512",
    ML_KEM_512: "ML-KEM-512",
    ML_KEM_768: "ML-KEM-768",
    ML_KEM_1024: "ML-KEM-1024",
}


def name_of(oid: str) -> str:
    """Return the registered name of ``oid``, or the dotted string itself."""
    return _ALL_NAMES.get(oid, oid)
