"""Profiles: which rules run, at which severity, with which parameters.

``PROFILES["rfc"]``, ``["cabf"]`` and ``["letsencrypt"]`` are the built-in
ones (each includes the one before; see :mod:`csrlib.lint.rules`).  A
profile is adjusted with :meth:`Profile.with_changes`, or read from JSON
with :meth:`Profile.from_json`::

    {"base": "cabf", "disabled": ["names.duplicate"], "severities": {"san.dns.internal": "warning"}}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from ..errors import CSRError
from ..jsontext import JsonInputError, loads
from .findings import SEVERITIES, Severity
from .rules import PROFILE_NAMES, RULES

__all__ = ["PROFILES", "Profile", "ProfileError", "get_profile"]


class ProfileError(CSRError):
    """A profile, or a change to one, names an unknown rule, severity or base."""


@dataclass(frozen=True, slots=True)
class Profile:
    """A lint profile.

    ``name``: how it is called; ``base``: the built-in profile whose
    parameters the checks use (``rfc``, ``cabf`` or ``letsencrypt``: the
    allowed RSA sizes and exponents, curves and algorithms of
    ``letsencrypt`` are narrower than those of ``cabf``; ``rfc`` uses
    those of ``cabf`` for rules enabled in it); ``severities``: every rule
    that runs, with its severity.
    """

    name: str
    base: str
    severities: Mapping[str, Severity] = field(repr=False)

    def severity(self, rule: str) -> Severity | None:
        """Return the severity of ``rule`` in this profile, or None when it does not run."""
        return self.severities.get(rule)

    def with_changes(
        self, *, disabled: Iterable[str] = (), severities: Mapping[str, str] | None = None,
        name: str | None = None,
    ) -> Profile:
        """Return a copy with rules turned off (``disabled``) or set to a severity.

        A rule given a severity runs, even if this profile left it out.
        Raises ProfileError for an unknown rule id or severity.
        """
        changed = dict(self.severities)
        for rule in disabled:
            _check_rule(rule)
            changed.pop(rule, None)
        for rule, severity in (severities or {}).items():
            _check_rule(rule)
            if severity not in SEVERITIES:
                raise ProfileError(f"unknown severity {severity!r} for {rule} "
                                   f"(one of {', '.join(SEVERITIES)})")
            changed[rule] = severity
        return Profile(name or f"{self.name}*", self.base, MappingProxyType(changed))

    @classmethod
    def from_json(cls, text: str | bytes) -> Profile:
        """Return the profile a JSON object describes; raise ProfileError if it is not one.

        Keys: ``base`` (a built-in profile, default ``rfc``), ``name``,
        ``disabled`` (a list of rule ids), ``severities`` (rule id: severity).
        """
        try:
            data = loads(text)
        except JsonInputError as exc:
            raise ProfileError(f"profile is not JSON: {exc}") from None
        if not isinstance(data, dict) or set(data) - {"base", "name", "disabled", "severities"}:
            raise ProfileError("a profile is a JSON object with the keys base, name, disabled "
                               "and severities")
        base = get_profile(str(data.get("base", "rfc")))
        disabled = data.get("disabled", [])
        severities = data.get("severities", {})
        if not (isinstance(disabled, list) and all(isinstance(r, str) for r in disabled)):
            raise ProfileError("disabled: a list of rule ids")
        if not (isinstance(severities, dict)
                and all(isinstance(v, str) for v in severities.values())):
            raise ProfileError("severities: an object of rule id: severity")
        return base.with_changes(disabled=disabled, severities=severities,
                                 name=str(data.get("name", f"{base.name}*")))


def _check_rule(rule: str) -> None:
    if rule not in RULES:
        raise ProfileError(f"unknown rule {rule!r}")


def _builtin(name: str) -> Profile:
    severities = {}
    for rule in RULES.values():
        severity = rule.severity_in(name)
        if severity is not None:
            severities[rule.id] = severity
    return Profile(name, name, MappingProxyType(severities))


#: The built-in profiles by name.
PROFILES: Mapping[str, Profile] = MappingProxyType({n: _builtin(n) for n in PROFILE_NAMES})


def get_profile(profile: str | Profile) -> Profile:
    """Return ``profile`` itself, or the built-in profile of that name; raise ProfileError."""
    if isinstance(profile, Profile):
        return profile
    found = PROFILES.get(profile)
    if found is None:
        raise ProfileError(f"unknown profile {profile!r} (one of {', '.join(PROFILE_NAMES)})")
    return found
