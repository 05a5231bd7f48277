"""What a lint reports: :class:`Finding`, and the severities."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["SEVERITIES", "Finding", "Severity", "milder"]

Severity = Literal["error", "warning", "notice"]
#: The severities, gravest first.
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "notice")


def milder(a: Severity, b: Severity) -> Severity:
    """Return the milder of two severities."""
    return a if SEVERITIES.index(a) >= SEVERITIES.index(b) else b


@dataclass(frozen=True, slots=True)
class Finding:
    """One way a request breaks a rule.

    ``rule``: the rule id (``key.rsa.fermat``); ``severity``: ``error``,
    ``warning`` or ``notice``, as the profile rates the rule; ``message``:
    what was found; ``citation``: the rule's source (``CA/B BR 6.1.1.3``);
    ``path``: the field (``certificationRequestInfo.subjectPKInfo``);
    ``offset``: the byte offset of that field in the request's DER, or None
    where no single element holds what was found.
    """

    rule: str
    severity: Severity
    message: str
    citation: str
    path: str = ""
    offset: int | None = None

    def __str__(self) -> str:
        return f"{self.severity} {self.rule}: {self.message} ({self.citation})"

    def to_json(self) -> dict[str, str | int | None]:
        """Return the finding as a JSON object (the keys of the dataclass)."""
        return {"rule": self.rule, "severity": self.severity, "message": self.message,
                "citation": self.citation, "path": self.path, "offset": self.offset}
