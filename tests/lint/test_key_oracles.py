"""Key checks against boulder's goodkey test cases and the ROCA and Debian vectors.

The data (``tests/lint/data/``) was ported from letsencrypt/boulder
``goodkey/good_key_test.go`` and ``weak_test.go``, crocs-muni/roca's test
moduli (including crafted moduli that fool the per-prime bitmask test) and
titanous/rocacheck's, and a Debian weak key (CVE-2008-0166) from HARICA's
regenerated set; each case names its source file and line.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import csrlib
from csrlib.lint import Blocklist
from csrlib.lint.context import Context
from csrlib.lint.keys import check_key
from csrlib.lint.profiles import get_profile
from csrlib.lint.rsa_checks import fermat_round, roca_fingerprint

DATA = Path(__file__).parent / "data"
BOULDER = json.loads((DATA / "boulder_goodkey_cases.json").read_text())["cases"]
ROCA = json.loads((DATA / "roca_vectors.json").read_text())["vectors"]
DEBIAN = json.loads((DATA / "debian_weak_key_vectors.json").read_text())["vectors"]
_CURVES = {"P-224": "secp224r1", "P-256": "secp256r1", "P-384": "secp384r1",
           "P-521": "secp521r1"}


def _int(text: str) -> int:
    return -int(text[1:], 16) if text.startswith("-") else int(text, 16)


def key_rules(key: csrlib.PublicKey, profile: str,
              blocklist: Blocklist | None = None) -> set[str]:
    """Return the error rules of the key checks on ``key`` (built by hand: no SPKI needed)."""
    ctx = Context(SimpleNamespace(public_key=key, der=b""), get_profile(profile))  # type: ignore[arg-type]
    check_key(ctx, blocklist)
    return {f.rule for f in ctx.findings if f.severity == "error"}


def _key(case: dict[str, Any]) -> csrlib.PublicKey:
    params = case["params"]
    if case["type"] == "ec":
        return csrlib.EcPublicKey(_CURVES[params["curve"]], _int(params["x"]), _int(params["y"]),
                                  b"")
    return csrlib.RsaPublicKey(_int(params["n"]), _int(params.get("e", "10001")), b"")


@pytest.mark.parametrize("case", [c for c in BOULDER if c["type"] in ("rsa", "ec")
                                  and c["rule"] != "key.blocklist"],
                         ids=lambda c: c["name"])
def test_boulder_goodkey_cases(case: dict[str, Any]) -> None:
    key = _key(case)
    # boulder's test policy allows P-521, which its production policy (ours) does not.
    profile = "cabf" if case["params"].get("curve") == "P-521" else "letsencrypt"
    found = key_rules(key, profile)
    if case["expected"] == "good":
        assert found == set(), case["source"]
    else:
        assert case["rule"] in found, (case["source"], case.get("boulder_error"), found)


@pytest.mark.parametrize("case", [c for c in BOULDER if c["type"] == "rsa-fermat"],
                         ids=lambda c: c["name"])
def test_boulder_fermat_cases_in_the_same_round(case: dict[str, Any]) -> None:
    params = case["params"]
    n, p, q = _int(params["n"]), _int(params["p"]), _int(params["q"])
    found = fermat_round(n)
    if case["expected"] == "good":
        assert found is None
        assert fermat_round(n, 10 ** 6) is not None or abs(p - q) > 2 ** 900
    else:
        assert found is not None and found[0] == params["expect_rounds"], (found, case["source"])
        assert sorted(found[1:]) == sorted((p, q))


def test_boulder_debian_weak_key_suffix() -> None:
    bad, good = [c for c in BOULDER if c["rule"] == "key.blocklist"]
    listed = Blocklist.from_text(f"# boulder weak_test.go\n{bad['params']['blocklist_suffix']}\n")
    assert "key.blocklist" in key_rules(csrlib.RsaPublicKey(_int(bad["params"]["n"]), 65537,
                                                            b""), "rfc", listed)
    assert "key.blocklist" not in key_rules(
        csrlib.RsaPublicKey(_int(good["params"]["n"]), 65537, b""), "rfc", listed)


@pytest.mark.parametrize("form", ["openssl_blacklist_entry", "sha1_of_line",
                                  "sha256_of_modulus_bytes"])
def test_debian_weak_key_list_formats(form: str) -> None:
    vector = DEBIAN[0]
    key = csrlib.RsaPublicKey.from_numbers(_int(vector["n"]), 65537)
    listed = Blocklist.from_entries([vector[form].upper()])
    assert "key.blocklist" in key_rules(key, "rfc", listed)
    other = csrlib.RsaPublicKey.from_numbers(_int(DEBIAN[1]["n"]), 65537)
    assert "key.blocklist" not in key_rules(other, "rfc", listed)


def test_spki_sha256_blocklist_as_a_json_array() -> None:
    key = csrlib.RsaPublicKey.from_numbers(_int(DEBIAN[0]["n"]), 65537)
    listed = Blocklist.from_text(json.dumps([key.fingerprint().hex()]))
    assert "key.blocklist" in key_rules(key, "letsencrypt", listed)
    assert "key.blocklist" not in key_rules(key, "letsencrypt", Blocklist())
    with pytest.raises(csrlib.CSRError, match="entry 1"):
        Blocklist.from_entries(["abc"])


@pytest.mark.parametrize("vector", ROCA, ids=lambda v: v["name"])
def test_roca_vectors(vector: dict[str, Any]) -> None:
    assert roca_fingerprint(_int(vector["n"])) == (vector["expected"]["verdict"] == "bad")
