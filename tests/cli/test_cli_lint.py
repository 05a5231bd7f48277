"""``csrlib lint``: text and JSON Lines, profiles by name or file, exit statuses 0, 1, 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from csrlib.cli import main
from tests.lint.lintkit import next_prime, request, rsa_request
from tests.lint.test_rules import _P1024, _version_1


def _write(path: Path, pem: str) -> str:
    path.write_text(pem)
    return str(path)


def test_lint_text_json_and_exit_statuses(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                          ) -> None:
    good = _write(tmp_path / "good.csr", request().to_pem())
    fermat = rsa_request(_P1024 * next_prime(_P1024 + 2 ** 20))
    bad = _write(tmp_path / "bad.csr", fermat.to_pem())
    assert main(["lint", "--profile", "cabf", good]) == 0
    assert capsys.readouterr().out == ""
    assert main(["lint", "--profile", "cabf", bad]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert "error key.rsa.fermat: modulus factors by Fermat's method in 1 round " \
           "(CA/B BR 6.1.1.3)" in lines
    assert main(["lint", "--json", "--profile", "letsencrypt", str(tmp_path)]) == 1
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {r["file"] for r in records} == {bad}
    assert {"rule", "severity", "message", "citation", "path", "offset", "request"} <= set(
        records[0])
    assert "key.rsa.fermat" in {r["rule"] for r in records}
    (tmp_path / "junk.csr").write_bytes(b"not a request")
    assert main(["lint", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert "junk.csr: cannot parse" in captured.err


def test_lint_expect_names_blocklist_and_profile_file(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    req = request()
    path = _write(tmp_path / "r.csr", req.to_pem())
    assert main(["lint", "--expect-names", "shop.example.com,www.shop.example.com", path]) == 0
    assert main(["lint", "--expect-names", "shop.example.com", path]) == 1
    assert "names.expected" in capsys.readouterr().out
    blocklist = tmp_path / "blocked.txt"
    blocklist.write_text(f"# SPKI SHA-256\n{req.public_key.fingerprint().hex()}\n")
    assert main(["lint", "--blocklist", str(blocklist), path]) == 1
    assert "key.blocklist" in capsys.readouterr().out
    profile = tmp_path / "mine.json"
    profile.write_text(json.dumps({"base": "cabf", "severities": {"cn.not-in-san": "notice"}}))
    other = _write(tmp_path / "o.csr", request("CN=other.example.com").to_pem())
    assert main(["lint", "--profile", "cabf", other]) == 1
    capsys.readouterr()
    assert main(["lint", "--profile", str(profile), other]) == 0
    assert "notice cn.not-in-san" in capsys.readouterr().out
    assert main(["lint", "--profile", "nope", other]) == 2


def test_lint_loads_leniently_and_reports_deviations(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "v1.der"
    path.write_bytes(_version_1().der)
    assert main(["lint", str(path)]) == 1          # version 1 is an error in every profile
    out = capsys.readouterr().out
    assert "warning der.deviation" in out and "error version" in out
