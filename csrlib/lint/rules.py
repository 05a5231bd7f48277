"""The rules: each id, its source and its severity in each built-in profile.

Profiles nest: ``rfc`` (RFC 2986, 5280, 2985 structure) is inside ``cabf``
(the CA/Browser Forum TLS Baseline Requirements 2.x), which is inside
``letsencrypt`` (boulder's ``csr``, ``goodkey`` and ``policy`` packages).
A rule missing from a profile's column is not checked there.
"""

from __future__ import annotations

from dataclasses import dataclass

from .findings import Severity

__all__ = ["PROFILE_NAMES", "RULES", "Rule"]

#: The built-in profiles, each including the one before.
PROFILE_NAMES = ("rfc", "cabf", "letsencrypt")


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule: its id, its source, and its severity per built-in profile (absent: off)."""

    id: str
    citation: str
    summary: str
    rfc: Severity | None = None
    cabf: Severity | None = None
    letsencrypt: Severity | None = None

    def severity_in(self, profile: str) -> Severity | None:
        """Return the rule's severity in the built-in profile ``profile``, None when off."""
        value: Severity | None = getattr(self, profile)
        return value


E: Severity = "error"
W: Severity = "warning"
N: Severity = "notice"


def _rule(id_: str, citation: str, summary: str, rfc: Severity | None = None,
          cabf: Severity | None = None, letsencrypt: Severity | None = None) -> Rule:
    # Inclusion: a rule of a profile is in every wider one, at its severity
    # there unless given (rfc -> cabf -> letsencrypt).
    cabf = cabf or rfc
    return Rule(id_, citation, summary, rfc, cabf, letsencrypt or cabf)


_ALL = [
    # Keys
    _rule("key.type", "CA/B BR 6.1.5", "a key type the profile does not allow "
          "(RSA and ECDSA only)", cabf=E),
    _rule("key.rsa.size", "CA/B BR 6.1.5; boulder goodkey", "RSA modulus under 2048 bits or "
          "not a multiple of 8 (letsencrypt: not 2048, 3072 or 4096)", cabf=E),
    _rule("key.rsa.exponent", "CA/B BR 6.1.6; boulder goodkey", "RSA exponent even or under 3 "
          "(error), outside 2^16+1..2^256-1 (warning); letsencrypt: not 65537", cabf=E),
    _rule("key.rsa.small-factor", "CA/B BR 6.1.6; boulder goodkey", "RSA modulus divisible by a "
          "prime below 752", cabf=E),
    _rule("key.rsa.fermat", "CA/B BR 6.1.1.3", "RSA modulus factored by Fermat's method within "
          "100 rounds", cabf=E),
    _rule("key.rsa.roca", "CA/B BR 6.1.1.3; CVE-2017-15361", "RSA modulus with the ROCA "
          "fingerprint (Infineon RSALib)", cabf=E),
    _rule("key.ec.curve", "CA/B BR 6.1.5; boulder goodkey", "EC curve other than P-256, P-384, "
          "P-521 (letsencrypt: P-256, P-384)", cabf=E),
    _rule("key.ec.point", "NIST SP 800-56A 5.6.2.3.3; CA/B BR 6.1.6", "EC public key fails full "
          "public-key validation", rfc=E),
    _rule("key.ml-kem", "FIPS 203 7.2; RFC 9935 3", "ML-KEM public key fails the modulus "
          "check or has algorithm parameters", rfc=E),
    _rule("key.blocklist", "CA/B BR 6.1.1.3", "key found in the blocklist given (SPKI SHA-256, "
          "or Debian weak-key modulus SHA-1)", rfc=E),
    # Signature
    _rule("sig.invalid", "RFC 2986 3", "the self-signature does not verify", rfc=E),
    _rule("sig.algorithm", "CA/B BR 7.1.3.2; boulder csr", "signature algorithm not allowed "
          "(letsencrypt: RSA PKCS#1 v1.5 or ECDSA with SHA-256/384/512)", cabf=E),
    _rule("sig.encoding", "CA/B BR 7.1.3.1, 7.1.3.2", "key or signature AlgorithmIdentifier "
          "not one of the exact encodings", cabf=E),
    # Names
    _rule("names.none", "CA/B BR 7.1.2.7.12; boulder csr", "no identifier in CN or "
          "subjectAltName", cabf=E),
    _rule("names.too-many", "boulder csr (maxNames 100)", "more than 100 identifiers",
          letsencrypt=E),
    _rule("names.duplicate", "RFC 5280 4.2.1.6", "an identifier given twice", cabf=W),
    _rule("names.expected", "RFC 8555 7.4", "identifiers differ from the expected set", rfc=E),
    _rule("san.dns.syntax", "RFC 5280 4.2.1.6; RFC 1034 3.5", "DNS name not in preferred name "
          "syntax", rfc=E),
    _rule("san.dns.idna", "RFC 5890 2.3.2.1; RFC 5891 5.4", "xn-- label not a valid IDNA 2008 "
          "A-label", rfc=E),
    _rule("san.dns.wildcard", "RFC 9525 6.3; CA/B BR 7.1.2.7.12", "wildcard other than a whole "
          "leftmost label over two or more labels", rfc=W, cabf=E),
    _rule("san.dns.internal", "CA/B BR 7.1.2.7.12, 4.2.2; RFC 6761", "single-label name or "
          "reserved TLD", cabf=E),
    _rule("san.ip.reserved", "CA/B BR 7.1.2.7.12; IANA special-purpose registries",
          "IP address not globally routable", cabf=E),
    _rule("san.email", "CA/B BR 7.1.2.7.12; boulder csr", "rfc822Name in a TLS server request",
          cabf=E),
    _rule("san.uri", "CA/B BR 7.1.2.7.12; boulder csr", "URI in a TLS server request", cabf=E),
    _rule("san.other", "CA/B BR 7.1.2.7.12", "otherName, directoryName, registeredID, "
          "x400Address or ediPartyName in a TLS server request", cabf=E),
    _rule("san.critical", "RFC 5280 4.2.1.6", "empty subject with a non-critical "
          "subjectAltName", rfc=E),
    _rule("cn.not-in-san", "CA/B BR 7.1.4.3", "a CN that is not one of the SAN values", cabf=E),
    _rule("cn.too-long", "RFC 5280 A.1 (ub-common-name 64)", "CN over 64 characters", rfc=E),
    _rule("cn.ip", "boulder csr", "an IP address in CN", letsencrypt=E),
    # Extensions and structure
    _rule("ext.ca", "CA/B BR 7.1.2.7.8", "basicConstraints cA TRUE", cabf=E),
    _rule("ext.must-staple", "boulder csr (must-staple not allowed)", "TLS feature "
          "status_request (OCSP must-staple)", letsencrypt=E),
    _rule("ext.unknown-critical", "RFC 5280 4.2", "an unknown extension marked critical", rfc=W),
    _rule("ext.not-der", "X.690 10; RFC 5280 4.1", "an unrecognized extension value that is "
          "not one DER element", rfc=N),
    _rule("ext.key-usage", "RFC 5480 3; RFC 8017 / RFC 4055 1.2; RFC 8410 5; RFC 9881 5; "
          "RFC 9935 3", "key usage bits the key type cannot have", rfc=W),
    _rule("version", "RFC 2986 4.1", "version is not 0", rfc=E),
    _rule("der.deviation", "X.690 10; RFC 2986 4", "a departure from DER tolerated by lenient "
          "loading", rfc=W, cabf=E),
]

#: Every rule by id, in the order of the README's table.
RULES: dict[str, Rule] = {rule.id: rule for rule in _ALL}
