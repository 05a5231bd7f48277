"""Linting certificate requests: should this request be accepted?

``csrlib.lint(req, profile="cabf")`` returns a list of :class:`Finding`
(rule id, severity, message, citation, path, offset).  Profiles: ``rfc``
(RFC 2986/5280/2985 structure; the default), ``cabf`` (CA/Browser Forum TLS
Baseline Requirements 2.x, includes ``rfc``) and ``letsencrypt`` (boulder's
rules, includes ``cabf``); :meth:`Profile.with_changes` adjusts one.  The
rules are in :data:`RULES`, one module per concern: ``keys.py`` (with the
arithmetic in ``rsa_checks.py``), ``signature.py``, ``names.py`` (reserved
addresses in ``reserved.py``), ``extensions.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..request import CertificateRequest
    from .blocklist import Blocklist, BlocklistError
    from .findings import SEVERITIES, Finding, Severity
    from .profiles import PROFILES, Profile, ProfileError, get_profile
    from .rules import RULES, Rule

# ``import csrlib`` imports this package (for ``csrlib.lint``, the function
# below): everything else is imported on first use (PEP 562), so that reading
# requests does not pay for the rules and their tables.
_LAZY = {"Blocklist": "blocklist", "BlocklistError": "blocklist", "SEVERITIES": "findings",
         "Finding": "findings", "Severity": "findings", "PROFILES": "profiles",
         "Profile": "profiles", "ProfileError": "profiles", "get_profile": "profiles",
         "RULES": "rules", "Rule": "rules"}


def __getattr__(name: str) -> Any:
    try:
        module_name = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{module_name}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))

__all__ = ["PROFILES", "RULES", "SEVERITIES", "Blocklist", "BlocklistError", "Finding", "Profile",
           "ProfileError", "Rule", "Severity", "get_profile", "lint"]


def lint(
    req: CertificateRequest, profile: str | Profile = "rfc", *,
    expect_names: Iterable[str] | None = None,
    blocklist: Blocklist | Iterable[str] | None = None,
) -> list[Finding]:
    """Return the findings of ``profile``'s rules on ``req`` (empty: nothing found).

    ``profile``: ``"rfc"`` (the default), ``"cabf"``, ``"letsencrypt"`` or a
    :class:`Profile`.  ``expect_names``: the identifiers the request must
    hold, exactly (``names.expected``).  ``blocklist``: a :class:`Blocklist`
    or its entries (``key.blocklist``).  Raises ProfileError for an unknown
    profile and BlocklistError for a malformed entry; a request that loaded
    never makes it raise.
    """
    # The rules (and their tables: primes, reserved networks) are imported by
    # the first lint, not by ``import csrlib``.
    from .engine import run_rules

    return run_rules(req, profile, expect_names, blocklist)
