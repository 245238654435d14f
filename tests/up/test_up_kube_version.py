"""``up`` and Chart.yaml's ``kubeVersion``: a bundle is held to the version it is rendered for.

A bundle is applied as chartsafe rendered it, with no Helm install to check the range
against the cluster's version, so ``up --out`` checks it against the default (or the given
``--kube-version``) before anything is written.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from chart_files import write_chart
from up_helpers import Keys

from chartsafe.cli import main

PLAIN = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n"


def _chart(root: Path, constraint: str) -> Path:
    return write_chart(root, {"cm.yaml": PLAIN}, metadata=f"kubeVersion: '{constraint}'\n")


@pytest.mark.parametrize(
    ("constraint", "flags", "code"),
    [
        ("<1.30.0-0", [], 2),  # the default, v1.36.0, is outside
        ("<1.30.0-0", ["--kube-version", "1.29.0"], 0),
        (">=1.25.0-0", [], 0),
    ],
)
def test_a_bundle_is_held_to_the_version_it_is_rendered_for(
    tmp_path: Path,
    age_keys: Keys,
    capsys: pytest.CaptureFixture[str],
    constraint: str,
    flags: list[str],
    code: int,
) -> None:
    chart = _chart(tmp_path / "ranged", constraint)
    store = tmp_path / "s.sops.yaml"
    args = ["up", "r", str(chart), "-n", "ns", "--out", str(tmp_path / "out"),
            "--store", str(store), "--age", age_keys.recipient, *flags]  # fmt: skip
    assert main(args) == code
    if code == 2:
        err = capsys.readouterr().err
        assert "requires kubeVersion: <1.30.0-0" in err and "--kube-version" in err
        assert not store.exists() and not (tmp_path / "out").exists()  # nothing written
    else:
        assert (tmp_path / "out" / "manifests.yaml").is_file()
