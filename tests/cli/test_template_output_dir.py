"""``template --output-dir``, ``--release-name`` and ``--no-hooks``, with helm's meanings.

The files hold exactly the documents ``template`` prints, each in the file of its template,
in output order; masked as on stdout, and 0600 when ``--reveal`` puts values in them.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest
import yaml

from chartsafe.cli import main

DATA = Path(__file__).resolve().parents[1] / "data"
PASSWORD = "pa55-word-xyz"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def _documents(text: str) -> list[tuple[str, str]]:
    """(source, document) as ``template`` prints them."""
    found = re.findall(r"---\n# Source: (\S+)\n(.*?)(?=\n---\n# Source: |\Z)", text, re.S)
    return [(source, body.rstrip("\n")) for source, body in found]


@pytest.mark.parametrize("chart", ["hooks", "minimal"])
def test_files_hold_what_stdout_shows_each_in_its_template_file(
    chart: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, printed, _ = run(["template", "r", str(DATA / chart)], capsys)
    assert code == 0
    expected = _documents(printed)
    code, out, _ = run(["template", "r", str(DATA / chart), "--output-dir", str(tmp_path)], capsys)
    assert code == 0
    # one "wrote" line per document, in output order, as helm prints them
    assert out.splitlines() == [f"wrote {tmp_path / source}" for source, _ in expected]
    files = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    assert files == sorted({tmp_path / source for source, _ in expected})
    for path in files:
        source = path.relative_to(tmp_path).as_posix()
        assert _documents(path.read_text()) == [d for d in expected if d[0] == source]
        assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_release_name_puts_the_files_under_the_release(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["template", "shop", str(DATA / "minimal"), "--output-dir", str(tmp_path)]
    code, out, _ = run([*args, "--release-name"], capsys)
    assert code == 0
    assert (tmp_path / "shop" / "minimal" / "templates" / "deployment.yaml").is_file()
    assert f"wrote {tmp_path / 'shop' / 'minimal'}" in out


def test_values_masked_in_files_unless_reveal_and_then_private(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["template", str(DATA / "minimal"), "--set", f"password={PASSWORD}"]
    code, out, err = run([*args, "--output-dir", str(tmp_path / "masked")], capsys)
    secret = tmp_path / "masked" / "minimal" / "templates" / "secret.yaml"
    assert code == 0 and "masked" in err
    assert PASSWORD not in out + err + secret.read_text()
    assert "password" in secret.read_text()

    code, _, _ = run([*args, "--output-dir", str(tmp_path / "revealed"), "--reveal"], capsys)
    revealed = tmp_path / "revealed" / "minimal" / "templates"
    assert code == 0 and PASSWORD in (revealed / "secret.yaml").read_text()
    assert {stat.S_IMODE(p.stat().st_mode) for p in revealed.iterdir()} == {0o600}


def test_no_hooks_leaves_out_every_hook(capsys: pytest.CaptureFixture[str]) -> None:
    code, with_hooks, _ = run(["template", "r", str(DATA / "hooks")], capsys)
    assert code == 0 and "helm.sh/hook" in with_hooks
    code, out, _ = run(["template", "r", str(DATA / "hooks"), "--no-hooks"], capsys)
    assert code == 0
    docs = [d for d in yaml.safe_load_all(out) if d]
    assert docs and not [d for d in docs if "helm.sh/hook" in str(d["metadata"])]
    regular = [d for d in yaml.safe_load_all(with_hooks) if d and "helm.sh/hook" not in str(d)]
    assert docs == regular


def test_output_dir_with_json_is_refused_before_rendering(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "new"
    args = ["template", str(DATA / "minimal"), "--output-dir", str(target), "-o", "json"]
    code, out, err = run(args, capsys)
    assert (code, out) == (2, "")
    assert err.startswith("chartsafe: error: --output-dir writes YAML files; -o json prints")
    assert not target.exists()


@pytest.mark.parametrize("taken", ["dir", "inside"], ids=["a file", "a file on the way"])
def test_output_dir_onto_a_file_is_one_line(
    taken: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "f").write_text("")
    target = tmp_path / "f" if taken == "dir" else tmp_path / "f" / "deeper"
    code, out, err = run(["template", str(DATA / "minimal"), "--output-dir", str(target)], capsys)
    assert (code, out) == (2, "")
    assert "--output-dir" in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert (tmp_path / "f").read_text() == ""
