"""A run imports only the module of the command it invokes, and still finds every command.

``chartsafe template`` is measured against a bare Helm render (bench/), so the
CLI must not build twenty commands to run one. Each case runs in a fresh
interpreter: imports cannot be undone inside the test process.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from chartsafe.cli._app import COMMAND_HOMES, _registered, load_commands

PROBE = """
import json, sys
from chartsafe.cli._app import _registered, load_commands
load_commands(sys.argv[1:])
print(json.dumps(sorted(_registered())))
"""


def _registered_after(args: list[str]) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True
    )
    return set(json.loads(out.stdout))


def _all_commands() -> list[str]:
    load_commands()
    return sorted(_registered())


ALL = _all_commands()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["template", "charts/tracecat", "-n", "x"], {"template"}),
        (["lint", "--strict", "charts/tracecat"], {"lint"}),
        # their preflight report is shared with check, not the check command itself
        (["install", "r", "charts/tracecat"], {"install"}),
        (["upgrade", "r", "charts/tracecat"], {"upgrade"}),
    ],
)
def test_a_command_named_like_its_module_imports_only_that_module(
    args: list[str], expected: set[str]
) -> None:
    assert _registered_after(args) == expected


@pytest.mark.parametrize(("command", "home"), sorted(COMMAND_HOMES.items()))
def test_a_command_in_another_module_imports_only_its_home(command: str, home: str) -> None:
    code = (
        f"import json, chartsafe.cli.{home}\n"
        "from chartsafe.cli._app import _registered\n"
        "print(json.dumps(sorted(_registered())))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    by_itself = set(json.loads(done.stdout))  # what importing the home module registers
    assert command in by_itself
    assert _registered_after([command, "x"]) == by_itself != set(ALL)


def test_version_needs_no_command() -> None:
    assert _registered_after(["--version"]) == set()


@pytest.mark.parametrize("args", [[], ["--help"], ["no-such-command"]])
def test_without_a_known_command_every_command_is_registered(args: list[str]) -> None:
    assert _registered_after(args) == set(ALL)


@pytest.mark.slow
@pytest.mark.parametrize("command", ALL)
def test_every_command_is_found_when_invoked(command: str) -> None:
    assert command in _registered_after([command, "--help"])


UNUSED_BY_A_LOCAL_TEMPLATE = """
import json, sys
from chartsafe.cli import main
code = main(sys.argv[1:])
print(json.dumps(sorted(m for m in sys.modules if m.startswith("chartsafe."))))
sys.exit(code)
"""


@pytest.mark.parametrize(
    ("unused", "why"),
    [
        ("chartsafe._helm_oci", "a local chart is pulled from no registry"),
        ("chartsafe.audit", "Helm said nothing that needs masking with audit's key rules"),
    ],
)
def test_template_of_a_local_chart_imports_only_what_it_uses(unused: str, why: str) -> None:
    # Each module here cost template's timed start-up milliseconds before it was made lazy.
    chart = Path(__file__).resolve().parents[2] / "charts" / "tracecat"
    args = ["template", str(chart), "-f", str(chart / "examples" / "values-aws.yaml")]
    done = subprocess.run(
        [sys.executable, "-c", UNUSED_BY_A_LOCAL_TEMPLATE, *args],
        capture_output=True,
        text=True,
        check=True,
    )
    imported = json.loads(done.stdout.strip().splitlines()[-1])
    assert not [m for m in imported if m == unused or m.startswith(unused + ".")], why
