"""Key rules: ``key.type``, ``key.rsa.*``, ``key.ec.*``, ``key.ml-kem``, ``key.blocklist``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import int_text
from ..model.curves import curve_by_name
from ..model.keys import EcPublicKey, RsaPublicKey
from ..model.ml_kem_keys import MlKemPublicKey
from .context import SPKI_PATH, Context
from .rsa_checks import FERMAT_ROUNDS, fermat_round, roca_fingerprint, small_factor

if TYPE_CHECKING:
    from .blocklist import Blocklist

__all__ = ["check_key"]

_TYPES = ("rsa", "ec")
_LE_RSA_SIZES = (2048, 3072, 4096)
# BR 6.1.5; boulder's LetsEncryptCPS() leaves P-521 out.
_CABF_CURVES = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}
_LE_CURVES = {"secp256r1": "P-256", "secp384r1": "P-384"}


def check_key(ctx: Context, blocklist: Blocklist | None) -> None:
    """Run the key rules on ``ctx.req.public_key``."""
    key = ctx.req.public_key
    offset = ctx.offset_of(key.der)
    if ctx.on("key.type") and key.key_type not in _TYPES:
        ctx.report("key.type", f"{key.key_type} keys are not allowed (RSA and ECDSA only)",
                   SPKI_PATH, offset)
    if isinstance(key, RsaPublicKey):
        _rsa(ctx, key, offset)
    elif isinstance(key, EcPublicKey):
        _ec(ctx, key, offset)
    elif isinstance(key, MlKemPublicKey) and ctx.on("key.ml-kem"):
        # A lenient load keeps such a key, as an EC point off its curve.
        problem = key.problem()
        if problem is not None:
            ctx.report("key.ml-kem", f"{key.key_type} public key is not valid: {problem}",
                       SPKI_PATH, offset)
    if blocklist is not None and ctx.on("key.blocklist"):
        found = blocklist.match(key)
        if found is not None:
            ctx.report("key.blocklist", f"key is in the blocklist ({found})", SPKI_PATH, offset)


def _rsa(ctx: Context, key: RsaPublicKey, offset: int | None) -> None:
    n, e, bits = key.n, key.e, key.n.bit_length()
    if ctx.on("key.rsa.size"):
        if ctx.letsencrypt and bits not in _LE_RSA_SIZES:
            ctx.report("key.rsa.size", f"RSA modulus of {bits} bits (2048, 3072 or 4096 only)",
                       SPKI_PATH, offset)
        elif bits < 2048 or bits % 8:
            ctx.report("key.rsa.size", f"RSA modulus of {bits} bits (at least 2048, "
                       "a multiple of 8)", SPKI_PATH, offset)
    if ctx.on("key.rsa.exponent"):
        _exponent(ctx, e, offset)
    if ctx.on("key.rsa.small-factor"):
        factor = small_factor(n)
        if factor is not None:
            ctx.report("key.rsa.small-factor", f"modulus is divisible by {factor}",
                       SPKI_PATH, offset)
    if ctx.on("key.rsa.fermat"):
        found = fermat_round(n, FERMAT_ROUNDS)
        if found is not None:
            rounds = found[0]
            ctx.report("key.rsa.fermat", f"modulus factors by Fermat's method in {rounds} "
                       f"round{'s' if rounds > 1 else ''}", SPKI_PATH, offset)
    if ctx.on("key.rsa.roca") and roca_fingerprint(n):
        ctx.report("key.rsa.roca", "modulus has the ROCA fingerprint (Infineon RSALib, "
                   "CVE-2017-15361)", SPKI_PATH, offset)


def _exponent(ctx: Context, e: int, offset: int | None) -> None:
    text = int_text(e)
    if e < 3 or not e & 1:
        # BR 6.1.6: "an odd number equal to 3 or more" (MUST).
        ctx.report("key.rsa.exponent", f"RSA public exponent {text} is not odd and at least 3",
                   SPKI_PATH, offset)
    elif ctx.letsencrypt and e != 65537:
        ctx.report("key.rsa.exponent", f"RSA public exponent {text} is not 65537",
                   SPKI_PATH, offset)
    elif not 2 ** 16 + 1 <= e <= 2 ** 256 - 1:
        # BR 6.1.6: "SHOULD be in the range between 2^16 + 1 and 2^256 - 1".
        ctx.report("key.rsa.exponent", f"RSA public exponent {text} is outside "
                   "2^16+1..2^256-1", SPKI_PATH, offset, severity="warning")


def _ec(ctx: Context, key: EcPublicKey, offset: int | None) -> None:
    allowed = _LE_CURVES if ctx.letsencrypt else _CABF_CURVES
    if ctx.on("key.ec.curve") and key.curve_name not in allowed:
        ctx.report("key.ec.curve", f"curve {key.curve_name} is not allowed "
                   f"({', '.join(allowed.values())} only)", SPKI_PATH, offset)
    if ctx.on("key.ec.point"):
        problem = point_problem(key)
        if problem is not None:
            ctx.report("key.ec.point", f"EC public key fails validation: {problem}",
                       SPKI_PATH, offset)


def point_problem(key: EcPublicKey) -> str | None:
    """Return why ``key`` fails full public-key validation (SP 800-56A 5.6.2.3.3), or None.

    Keys on curves csrlib has no parameters for (unknown or explicit) are
    not judged.  Every curve csrlib holds has cofactor 1, so a point on the
    curve other than the point at infinity has order n and step 4
    (n·Q = O) holds without the multiplication.
    """
    curve = curve_by_name(key.curve_name)
    if curve is None:
        return None
    x, y, p = key.x, key.y, curve.p
    if x == 0 and y == 0:
        return "the point at infinity"  # as Go and boulder represent it
    if not (0 <= x < p and 0 <= y < p):
        return "a coordinate is outside 0..p-1"
    if (y * y - (x * x * x + curve.a * x + curve.b)) % p:
        return "the point is not on the curve"
    return None
