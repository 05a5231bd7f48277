"""Run a profile's rules on a request (for :func:`csrlib.lint.lint`)."""

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

__all__ = ["run_rules"]


def run_rules(
    req: CertificateRequest, profile: str | Profile,
    expect_names: Iterable[str] | None, blocklist: Blocklist | Iterable[str] | None,
) -> list[Finding]:
    """Return the findings of ``profile``'s rules on ``req``: see :func:`csrlib.lint.lint`."""
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
