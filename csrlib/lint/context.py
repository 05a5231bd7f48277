"""The state of one lint: the request, the profile, and the findings so far."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .findings import Finding, Severity, milder
from .rules import RULES

if TYPE_CHECKING:
    from ..request import CertificateRequest
    from .profiles import Profile

__all__ = ["SPKI_PATH", "Context"]

SPKI_PATH = "certificationRequestInfo.subjectPKInfo"


class Context:
    """What the checks share: ``req``, ``profile``, ``findings``; ``on(rule)``, ``report()``."""

    __slots__ = ("findings", "letsencrypt", "profile", "req")

    def __init__(self, req: CertificateRequest, profile: Profile) -> None:
        self.req = req
        self.profile = profile
        self.findings: list[Finding] = []
        #: Whether the checks use boulder's narrower parameters.
        self.letsencrypt = profile.base == "letsencrypt"

    def on(self, rule: str) -> bool:
        """Return whether ``rule`` runs in this profile."""
        return rule in self.profile.severities

    def report(self, rule: str, message: str, path: str = "", offset: int | None = None,
               severity: Severity | None = None, citation: str | None = None) -> None:
        """Record a finding of ``rule`` at the profile's severity (or ``severity``, if milder).

        ``citation``: the source of this finding when narrower than the rule's
        (one of the sources the rule's citation lists).
        """
        rated = self.profile.severities.get(rule)
        if rated is None:
            return
        if severity is not None:
            rated = milder(rated, severity)
        self.findings.append(Finding(rule, rated, message, citation or RULES[rule].citation,
                                     path, offset))

    def offset_of(self, part: bytes) -> int | None:
        """Return the offset of the exact octets ``part`` in the request's DER, or None."""
        found = self.req.der.find(part) if part else -1
        return found if found >= 0 else None
