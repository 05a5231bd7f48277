"""``lint()``: run a profile's rules on a request."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .blocklist import Blocklist
from .context import Context
from .extensions import check_extensions, check_structure
from .keys import check_key
from .names import check_names
from .profiles import Profile, get_profile
from .signature import check_signature

if TYPE_CHECKING:
    from ..request import CertificateRequest
    from .findings import Finding

__all__ = ["lint"]


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
    chosen = get_profile(profile)
    if blocklist is not None and not isinstance(blocklist, Blocklist):
        blocklist = Blocklist.from_entries(blocklist)
    ctx = Context(req, chosen)
    check_structure(ctx)
    check_key(ctx, blocklist)
    check_signature(ctx)
    check_names(ctx, expect_names)
    check_extensions(ctx)
    return ctx.findings
