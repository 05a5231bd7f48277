"""The lint API: profiles nest and adjust, findings print and serialize, names.expected."""

from __future__ import annotations

import json

import pytest

import csrlib
from csrlib.lint import PROFILES, RULES, Finding, Profile, ProfileError
from tests.lint.lintkit import request


def test_profiles_nest_rfc_in_cabf_in_letsencrypt() -> None:
    rfc, cabf, le = (set(PROFILES[n].severities) for n in ("rfc", "cabf", "letsencrypt"))
    assert rfc < cabf < le == set(RULES)
    assert PROFILES["rfc"].severity("der.deviation") == "warning"
    assert PROFILES["cabf"].severity("der.deviation") == "error"


def test_lint_is_exported_and_defaults_to_rfc() -> None:
    req = request("CN=other.example.com")
    assert csrlib.lint(req) == []                       # cn.not-in-san is not an rfc rule
    assert [f.rule for f in csrlib.lint(req, "cabf")] == ["cn.not-in-san"]
    with pytest.raises(ProfileError, match="unknown profile"):
        csrlib.lint(req, "nope")


def test_with_changes_disables_and_sets_severities() -> None:
    req = request("CN=other.example.com", san=("DNS:shop.example.com", "DNS:shop.example.com"))
    profile = PROFILES["cabf"].with_changes(disabled=["cn.not-in-san"],
                                            severities={"names.duplicate": "error"})
    assert [(f.rule, f.severity) for f in csrlib.lint(req, profile)] == [
        ("names.duplicate", "error")]
    with pytest.raises(ProfileError, match="unknown rule"):
        PROFILES["cabf"].with_changes(disabled=["no.such"])
    with pytest.raises(ProfileError, match="severity"):
        PROFILES["cabf"].with_changes(severities={"version": "fatal"})


def test_profile_from_json() -> None:
    profile = Profile.from_json(json.dumps({"base": "letsencrypt", "name": "ours",
                                            "disabled": ["cn.ip"],
                                            "severities": {"names.duplicate": "notice"}}))
    assert (profile.name, profile.base) == ("ours", "letsencrypt")
    assert profile.severity("cn.ip") is None and profile.severity("names.duplicate") == "notice"
    for bad in ("[]", "{", '{"base": "x"}', '{"disabled": "cn.ip"}', '{"other": 1}'):
        with pytest.raises(ProfileError):
            Profile.from_json(bad)


def test_finding_text_and_json() -> None:
    finding = Finding("key.rsa.fermat", "error", "modulus factors by Fermat's method in 3 rounds",
                      "CA/B BR 6.1.1.3", "certificationRequestInfo.subjectPKInfo", 37)
    assert str(finding) == ("error key.rsa.fermat: modulus factors by Fermat's method in 3 "
                            "rounds (CA/B BR 6.1.1.3)")
    assert finding.to_json()["offset"] == 37 and set(finding.to_json()) == {
        "rule", "severity", "message", "citation", "path", "offset"}


def test_names_expected_case_insensitive_a_labels() -> None:
    # RFC 8555 7.4: the finalize request's identifiers must be the order's.
    req = request("CN=xn--bcher-kva.example", san=("DNS:xn--bcher-kva.example",
                                                   "DNS:WWW.example.com", "IP:192.0.2.7"))
    ok = ["bücher.example", "www.EXAMPLE.com", "192.0.2.7"]
    assert "names.expected" not in {f.rule for f in csrlib.lint(req, expect_names=ok)}
    found = [f for f in csrlib.lint(req, expect_names=[*ok[:2], "extra.example"])
             if f.rule == "names.expected"]
    assert len(found) == 1 and "extra.example" in found[0].message
    assert "192.0.2.7" in found[0].message


def test_findings_carry_offsets_into_the_request() -> None:
    req = request(spec="ed25519")
    finding = next(f for f in csrlib.lint(req, "cabf") if f.rule == "key.type")
    assert finding.offset is not None
    assert req.der[finding.offset:].startswith(req.public_key.der)


def test_lenient_deviations_become_findings() -> None:
    from tests.lint.test_rules import _version_1

    req = _version_1()
    found = [f for f in csrlib.lint(req, "rfc") if f.rule == "der.deviation"]
    assert found and found[0].severity == "warning"
    assert (found[0].offset, found[0].path) == (req.deviations[0].offset, req.deviations[0].path)
