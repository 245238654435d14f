"""The ``secrets set`` line each gap prints: copyable, and from a file for document formats."""

from __future__ import annotations

from pathlib import Path

import pytest

from chartsafe.check._fixes import set_command
from chartsafe.cli import main

REPO = Path(__file__).resolve().parents[2]

# (format, store, the line)
LINES = [
    ("text", "$CHARTSAFE_STORE",
     "chartsafe secrets set -n ns app token --store $CHARTSAFE_STORE"),
    ("password:24", "s.yaml", "chartsafe secrets set -n ns app token --store s.yaml"),
    ("dockerconfigjson", "s.yaml",
     "chartsafe secrets set -n ns app token --store s.yaml --from-file FILE"),
    ("pem-private-key", "my store.yaml",
     "chartsafe secrets set -n ns app token --store 'my store.yaml' --from-file FILE"),
    ("htpasswd", "$CHARTSAFE_STORE",
     "chartsafe secrets set -n ns app token --store $CHARTSAFE_STORE --from-file FILE"),
]  # fmt: skip


@pytest.mark.parametrize(("fmt", "store", "line"), LINES, ids=[row[0] for row in LINES])
def test_set_command(fmt: str, store: str, line: str) -> None:
    assert set_command("ns", "app", "token", store, fmt) == line


def test_a_registry_config_is_asked_for_as_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from chartsafe.store import create_identity_file

    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(tmp_path / "keys.txt"))
    recipient = create_identity_file(tmp_path / "keys.txt")
    chart = REPO / "charts" / "incidentfox"
    store = tmp_path / "s.yaml"
    values = str(chart / "values.prod.yaml")
    code = main(["secrets", "init", "ifx", str(chart), "-n", "ifx", "-f", values,
                 "--store", str(store), "--age", recipient])  # fmt: skip
    assert code == 1
    err = capsys.readouterr().err
    wanted = f"chartsafe secrets set -n ifx incidentfox-registry .dockerconfigjson --store {store}"
    assert f"  {wanted} --from-file FILE" in err.splitlines()


@pytest.mark.parametrize(
    ("store", "arg"),
    [(None, "$CHARTSAFE_STORE"), ("s.yaml", "s.yaml"), ("my store.yaml", "'my store.yaml'")],
    ids=["no-store", "plain", "needs-quoting"],
)
def test_every_fix_command_quotes_the_store_alike(store: str | None, arg: str) -> None:
    """up passes its own store: init, set and deliver name it the same copyable way."""
    from chartsafe.check._fixes import Fixes

    fixes = Fixes("r", "chart", "ns", "cluster", store)
    assert f" --store {arg} " in fixes.init()
    assert fixes.set("ns", "app", "token").endswith(f" --store {arg}")
    assert f" --store {arg} --as secret " in fixes.deliver()
