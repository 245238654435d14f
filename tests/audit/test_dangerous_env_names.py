"""``dangerous-flag`` on a rendered pod's env names, in any case: the rule asks one quick
search of all a container's names first (``_any_dangerous_name``), and that search must
never miss a name the rule's own pattern, which ignores case, matches."""

from __future__ import annotations

from pathlib import Path

import pytest

from chartsafe.audit import audit_files

POD = """apiVersion: v1
kind: Pod
metadata: {{name: p}}
spec:
  containers:
    - name: c
      image: busybox:1.36
      env:
        - {{name: LOG_LEVEL, value: info}}
        - {{name: "{name}", value: "{value}"}}
"""

# (id, env name, its value, whether the rule reports it)
CASES = [
    ("upper case", "CLAUDE_DANGEROUSLY_SKIP_PERMISSIONS", "true", True),
    ("lower case", "claude_dangerously_skip_permissions", "1", True),
    ("mixed case", "Insecure_Skip_Verify", "yes", True),
    ("Kelvin sign for k, beyond ASCII", "INSECURE_S\u212aIP", "true", True),
    ("beyond ASCII, no such word", "\u00dcBER_DANGER", "true", False),
    ("turned off", "skip_permissions", "false", False),
    ("no such word", "SKIP_TESTS", "true", False),
]


@pytest.mark.parametrize(("name", "value", "fires"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_dangerous_env_name_in_any_case(name: str, value: str, fires: bool, tmp_path: Path) -> None:
    manifest = tmp_path / "pod.yaml"
    manifest.write_text(POD.format(name=name, value=value), encoding="utf-8")
    found = [f for f in audit_files([manifest]).findings if f.rule == "dangerous-flag"]
    assert [f.message for f in found] == (
        [f"container c runs with --dangerously-{name}"] if fires else []
    )
