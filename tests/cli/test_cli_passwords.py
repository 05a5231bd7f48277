"""Command line key passwords: --key-password-file, --key-password-env, the getpass
prompt on a terminal, keygen --encrypt and new --key-out ... --encrypt."""

from __future__ import annotations

from pathlib import Path

import pytest

from csrlib import InvalidKey, load, signers
from csrlib.cli import main
from csrlib.cli import passwords as cli_passwords

PASSWORD = "pw-\u00e9t\u00e9"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pw.txt").write_text(PASSWORD + "\n", encoding="utf-8")
    return tmp_path


def _encrypted_key(workdir: Path) -> Path:
    assert main(["keygen", "ec:P-256", "--out", "k.pem", "--encrypt", "--key-password-file",
                 "pw.txt", "--kdf-iterations", "1000"]) == 0
    path = workdir / "k.pem"
    assert path.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    signers.load_private_key(path.read_bytes(), password=PASSWORD)
    return path


def test_keygen_encrypt_and_sign_with_password_file_or_env(
        workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _encrypted_key(workdir)
    assert main(["new", "-s", "CN=a", "--key", "k.pem", "--key-password-file", "pw.txt",
                 "--out", "a.csr"]) == 0
    load((workdir / "a.csr").read_bytes()).verify()
    monkeypatch.setenv("KEYPW", PASSWORD)
    assert main(["new", "-s", "CN=b", "--key", "k.pem", "--key-password-env", "KEYPW",
                 "--out", "b.csr"]) == 0
    monkeypatch.setenv("KEYPW", "wrong")
    capsys.readouterr()
    assert main(["new", "-s", "CN=c", "--key", "k.pem", "--key-password-env", "KEYPW",
                 "--out", "c.csr"]) == 2
    err = capsys.readouterr().err
    assert "wrong password or corrupted key" in err and "wrong" not in err.replace(
        "wrong password", "")
    assert main(["new", "-s", "CN=d", "--key", "k.pem", "--out", "d.csr"]) == 2
    assert "--key-password-file" in capsys.readouterr().err
    monkeypatch.delenv("KEYPW")
    assert main(["new", "-s", "CN=e", "--key", "k.pem", "--key-password-env", "KEYPW",
                 "--out", "e.csr"]) == 2
    assert "KEYPW is not set" in capsys.readouterr().err


def test_new_key_out_encrypt(workdir: Path) -> None:
    assert main(["new", "-s", "CN=a", "--new-key", "ec:P-384", "--key-out", "k.pem",
                 "--encrypt", "--key-password-file", "pw.txt", "--kdf-iterations", "1000",
                 "--out", "a.csr"]) == 0
    signer = signers.load_private_key((workdir / "k.pem").read_bytes(), password=PASSWORD)
    assert load((workdir / "a.csr").read_bytes()).public_key == signer.public_key
    with pytest.raises(InvalidKey):
        signers.load_private_key((workdir / "k.pem").read_bytes())


def test_prompt_on_a_terminal(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def prompt(text: str) -> bytes:
        asked.append(text)
        return PASSWORD.encode()

    monkeypatch.setattr(cli_passwords, "_terminal", lambda: True)
    monkeypatch.setattr(cli_passwords, "_prompt", prompt)
    assert main(["keygen", "--out", "k.pem", "--encrypt", "--kdf-iterations", "1000"]) == 0
    assert len(asked) == 2  # the password, then again
    assert main(["new", "-s", "CN=a", "--key", "k.pem", "--out", "a.csr"]) == 0
    assert len(asked) == 3
    # A key in the clear asks nothing.
    assert main(["keygen", "--out", "plain.pem"]) == 0
    assert main(["new", "-s", "CN=a", "--key", "plain.pem", "--out", "b.csr"]) == 0
    assert len(asked) == 3
    answers = iter([b"one", b"two"])
    monkeypatch.setattr(cli_passwords, "_prompt", lambda text: next(answers))
    assert main(["keygen", "--out", "k2.pem", "--encrypt"]) == 2
    assert not (workdir / "k2.pem").exists()


@pytest.mark.parametrize("argv, message", [
    (["keygen", "--out", "k.pem", "--encrypt"], "a terminal"),
    (["keygen", "--out", "k.pem", "--key-password-file", "pw.txt"], "needs --encrypt"),
    (["keygen", "--out", "k.pem", "--kdf-iterations", "5000"], "needs --encrypt"),
    (["keygen", "--out", "k.pem", "--encrypt", "--key-password-file", "empty.txt"], "empty"),
    (["keygen", "--out", "k.pem", "--encrypt", "--key-password-file", "pw.txt",
      "--kdf-iterations", "10"], "1,000 to 10,000,000"),
])
def test_password_mistakes(argv: list[str], message: str, workdir: Path,
                           capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "empty.txt").write_text("\n")
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and PASSWORD not in err
    assert not (workdir / "k.pem").exists()


def test_no_password_option_takes_a_value_on_the_command_line(
        capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("keygen", "new"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        text = capsys.readouterr().out
        assert "--key-password-file" in text and "--key-password-env" in text
        assert "--key-password " not in text and "--password" not in text
