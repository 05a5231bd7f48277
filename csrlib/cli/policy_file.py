"""``--policy default|legacy|FILE``: the verification policy of ``show`` and ``verify``.

FILE is a JSON object of :class:`csrlib.Policy` fields, each changing the
default (``{"min_rsa_bits": 3072, "hashes": ["sha256", "sha384"]}``); sets
are JSON lists.  A field csrlib does not know, a value of the wrong type or
out of range is an error naming it.
"""

from __future__ import annotations

from ..crypto.verify import Policy
from ..errors import CSRError
from ..jsontext import JsonInputError, loads
from .inputs import read_file

__all__ = ["PolicyFileError", "load_policy"]


class PolicyFileError(CSRError):
    """A ``--policy`` file that cannot be used: not JSON, or not Policy fields."""


def load_policy(spec: str) -> Policy:
    """Return the policy ``spec`` names: ``default``, ``legacy`` or a JSON file.

    Raises OSError when the file cannot be read, PolicyFileError when it
    is not a JSON object of valid Policy fields.
    """
    if spec == "default":
        return Policy()
    if spec == "legacy":
        return Policy.legacy()
    data = read_file(spec)
    try:
        settings = loads(data)
    except JsonInputError as exc:
        raise PolicyFileError(f"--policy {spec}: not a JSON file ({exc})") from None
    if not isinstance(settings, dict):
        raise PolicyFileError(f"--policy {spec}: expected a JSON object of Policy fields")
    try:
        return Policy.from_dict(settings)
    except (TypeError, ValueError) as exc:
        raise PolicyFileError(f"--policy {spec}: {exc}") from None
