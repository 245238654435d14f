"""The commands that read a chart without installing it, with what each needs to run.

Shared by the tests of flags every such command takes (render flags, the namespace default).
"""

from __future__ import annotations

from pathlib import Path

from chartsafe.cli import main


def reader_args(command: str, chart: Path, tmp_path: Path, *flags: str) -> list[str]:
    """``command`` on ``chart`` with ``flags`` and what it needs besides: a store and key, a
    folder. ``secrets render`` reads a store that ``secrets init`` fills with the same flags."""
    from chartsafe.store.secret_ops import init_keys

    keys = init_keys(tmp_path / "age-key.txt")
    store = ["--store", str(tmp_path / "s.sops.yaml"), "--age-key-file", str(keys.path)]
    if command == "secrets render":  # a store to read: made by init
        init = ["secrets", "init", "r", str(chart), *store, "--age", keys.recipient, *flags]
        assert main(init) == 0
    return [*{
        "contract": ["contract", "r", str(chart)],
        "check": ["check", "r", str(chart), "--against", str(tmp_path)],
        "audit": ["audit", "r", str(chart)],
        "secrets init": ["secrets", "init", "r", str(chart), *store, "--age", keys.recipient],
        "secrets render": ["secrets", "render", "r", str(chart), *store, "--as", "secret",
                           "--out", str(tmp_path / "out.yaml")],
    }[command], *flags]  # fmt: skip


#: The commands that read a chart without installing it; each renders it with Helm's engine.
#: (``secrets push`` needs an AWS emulator: tests/deliver/test_external_cli.py.)
READERS = ["contract", "check", "audit", "secrets init", "secrets render"]
