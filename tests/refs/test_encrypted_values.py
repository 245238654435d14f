"""SOPS-encrypted ``-f`` files: decrypted in memory, rendered like their plaintext twin, secret."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from inotify_watch import DirectoryWatch
from refs_helpers import CHART, DATA, AgeKey

from chartsafe._errors import DecryptionError
from chartsafe._output import MASK
from chartsafe._refs.secrets import TEXT_MASK
from chartsafe._render import RenderOptions, render_chart
from chartsafe._values import UserValues, ValuesInput, load_values
from chartsafe.cli import main

PASSWORD = "correct-horse-battery-staple"
TOKEN = "tok-0123456789abcdef"

# (id, plaintext twin, extra sops flags, paths that must be secret, paths that must not)
TWINS = [
    ("yaml default selector", "twin.yaml", (),
     [("db", "password"), ("db", "port"), ("app", "hosts", 1), ("app", "nested", "apiToken")],
     [("db", "user_unencrypted"), ("app", "nested", "empty"), ("app", "nested", "nothing")]),
    ("json default selector", "twin.json", (),
     [("db", "password"), ("app", "enabled"), ("app", "nested", "apiToken")],
     [("db", "user_unencrypted")]),
    ("yaml encrypted_regex", "twin.yaml", ("--encrypted-regex", "^(password|apiToken)$"),
     [("db", "password"), ("app", "nested", "apiToken")],
     [("db", "port"), ("app", "hosts", 0), ("db", "user_unencrypted")]),
]  # fmt: skip


def _bodies(files: list[Path], **more: object) -> list[dict[str, object]]:
    result = render_chart(CHART, ValuesInput(files=files, **more), RenderOptions())  # type: ignore[arg-type]
    assert result.ok, result.problems
    return [obj.body for obj in result.objects]


@pytest.mark.parametrize(
    ("twin", "flags", "secret", "clear"), [t[1:] for t in TWINS], ids=[t[0] for t in TWINS]
)
def test_encrypted_file_renders_like_its_plaintext_twin(
    encrypted_twin: Callable[..., Path],
    age_key: AgeKey,
    monkeypatch: pytest.MonkeyPatch,
    twin: str,
    flags: tuple[str, ...],
    secret: list[tuple[object, ...]],
    clear: list[tuple[object, ...]],
) -> None:
    encrypted = encrypted_twin(DATA / twin, *flags)
    assert PASSWORD not in encrypted.read_text()
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(age_key.path))

    plain_objects = _bodies([DATA / twin])
    assert _bodies([encrypted]) == plain_objects
    secret_data = next(b for b in plain_objects if b["kind"] == "Secret")["stringData"]
    assert secret_data == {"password": PASSWORD}  # the comparison saw the real value

    values = load_values(ValuesInput(files=[encrypted]))
    assert isinstance(values, UserValues)
    for path in secret:
        assert path in values.secrets.paths, path
    for path in clear:
        assert path not in values.secrets.paths, path


def test_age_key_file_replaces_the_usual_lookup(
    encrypted_twin: Callable[..., Path], age_key: AgeKey
) -> None:
    encrypted = encrypted_twin(DATA / "twin.yaml")
    values = load_values(ValuesInput(files=[encrypted], age_key_file=age_key.path))
    assert values["db"]["password"] == PASSWORD


@pytest.mark.parametrize("which", ["no key anywhere", "another key"])
def test_wrong_or_missing_key_is_one_line_saying_where_it_looked(
    encrypted_twin: Callable[..., Path],
    new_key: Callable[[str], AgeKey],
    monkeypatch: pytest.MonkeyPatch,
    which: str,
) -> None:
    encrypted = encrypted_twin(DATA / "twin.yaml")
    if which == "another key":
        monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(new_key("other").path))
    with pytest.raises(DecryptionError) as caught:
        load_values(ValuesInput(files=[encrypted]))
    message = str(caught.value)
    assert "\n" not in message
    assert str(encrypted) in message
    assert "looked in: SOPS_AGE_KEY (not set), SOPS_AGE_KEY_FILE" in message
    expected = "1 identity" if which == "another key" else "SOPS_AGE_KEY_FILE (not set)"
    assert expected in message


def test_a_later_plain_value_is_no_longer_secret(
    encrypted_twin: Callable[..., Path], age_key: AgeKey, tmp_path: Path
) -> None:
    encrypted = encrypted_twin(DATA / "twin.yaml")
    override = tmp_path / "override.yaml"
    override.write_text("db:\n  password: public-on-purpose\n")
    values = load_values(
        ValuesInput(files=[encrypted, override], set=["app.ratio=1"], age_key_file=age_key.path)
    )
    assert values["db"]["password"] == "public-on-purpose"
    assert ("db", "password") not in values.secrets.paths
    assert ("app", "ratio") not in values.secrets.paths
    assert ("app", "nested", "apiToken") in values.secrets.paths
    masked = values.masked()
    assert masked["app"]["nested"]["apiToken"] == MASK
    assert masked["db"]["password"] == "public-on-purpose"


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "command",
    [
        ["template", str(CHART)],
        ["template", str(CHART), "-o", "json"],
        ["lint", str(CHART)],
        ["lint", str(CHART), "-o", "json"],
    ],
    ids=["template", "template -o json", "lint", "lint -o json"],
)
def test_no_decrypted_value_in_any_output_without_reveal(
    encrypted_twin: Callable[..., Path],
    age_key: AgeKey,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
) -> None:
    encrypted = encrypted_twin(DATA / "twin.yaml")
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(age_key.path))
    code, out, err = _run([*command, "-f", str(encrypted)], capsys)
    assert code == 0, err
    for secret in (PASSWORD, TOKEN, "a.example.com", "6543"):  # db.port: a number
        assert secret not in out + err
    if command[0] != "template":
        return
    parsed = json.loads(out) if "json" in command else list(yaml.safe_load_all(out))
    assert TEXT_MASK in out and parsed  # masked text still parses
    code, revealed, _ = _run([*command, "-f", str(encrypted), "--reveal"], capsys)
    assert code == 0 and PASSWORD in revealed and TOKEN in revealed


def _chartsafe(args: list[str], *, cwd: Path, tmpdir: Path, key: Path) -> str:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(cwd),
        "TMPDIR": str(tmpdir),
        "SOPS_AGE_KEY_FILE": str(key),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    result = subprocess.run(
        [sys.executable, "-m", "chartsafe", *args],
        capture_output=True, text=True, cwd=cwd, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_no_plaintext_file_appears_on_disk(
    encrypted_twin: Callable[..., Path], age_key: AgeKey, tmp_path: Path
) -> None:
    """Watch TMPDIR and the working directory (inotify) while a separate process renders."""
    encrypted = encrypted_twin(DATA / "twin.yaml")
    cwd, tmpdir = tmp_path / "run-cwd", tmp_path / "run-tmp"
    cwd.mkdir()
    tmpdir.mkdir()
    with DirectoryWatch([cwd, tmpdir]) as watch:
        out = _chartsafe(["template", str(CHART), "-f", str(encrypted)], cwd=cwd, tmpdir=tmpdir,
                         key=age_key.path)  # fmt: skip
    assert list(yaml.safe_load_all(out)) and PASSWORD not in out and TEXT_MASK in out
    assert watch.events == []
    assert list(cwd.iterdir()) == [] and list(tmpdir.iterdir()) == []

    # The watch does see writes: decrypting in place in the same folders is reported.
    copy = cwd / "copy.yaml"
    copy.write_text(encrypted.read_text())
    with DirectoryWatch([cwd, tmpdir]) as control:
        _chartsafe(["sops", "decrypt", "--in-place", "copy.yaml"], cwd=cwd, tmpdir=tmpdir,
                   key=age_key.path)  # fmt: skip
    assert any(name == "copy.yaml" for _, name in control.events)
