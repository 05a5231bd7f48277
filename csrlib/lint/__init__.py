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

from .blocklist import Blocklist, BlocklistError
from .engine import lint
from .findings import SEVERITIES, Finding, Severity
from .profiles import PROFILES, Profile, ProfileError, get_profile
from .rules import RULES, Rule

__all__ = ["PROFILES", "RULES", "SEVERITIES", "Blocklist", "BlocklistError", "Finding", "Profile",
           "ProfileError", "Rule", "Severity", "get_profile", "lint"]
