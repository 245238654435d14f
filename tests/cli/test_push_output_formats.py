"""``secrets push -o``: the help offers the formats the command prints, and only those.

Its plain output is a line per pushed Secret and then the values overrides, which have no
rows: ``-o table`` used to be listed by the help and refused by the command. AWS is not
reached here: the push itself is replaced by one that pushed nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
import typer
import yaml

from chartsafe.cli import main
from chartsafe.deliver.aws import AwsPush
from chartsafe.store import create_identity_file

#: A chart that reads no Secret: nothing to push, whatever the store holds.
READER = str(Path(__file__).resolve().parents[1] / "data" / "check" / "configmap-reader")
FORMATS = ("table", "yaml", "json", "markdown")


def output_choices(*command: str) -> list[str]:
    """The -o choices of ``command``, as its help and completion list them."""
    from chartsafe.cli._app import app, load_commands

    load_commands()
    found: click.Command = typer.main.get_command(app)
    for name in command:
        assert isinstance(found, click.Group)
        found = found.commands[name]
    (option,) = [p for p in found.params if "--output" in getattr(p, "opts", ())]
    assert isinstance(option.type, click.Choice)
    return [str(c) for c in option.type.choices]


@pytest.mark.parametrize("fmt", FORMATS)
def test_push_takes_exactly_the_formats_it_offers(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(
        "chartsafe.deliver.aws.push_to_aws", lambda *a, **k: AwsPush("us-east-1", [])
    )
    recipient = create_identity_file(tmp_path / "age.txt", exist_ok=True)
    store = str(tmp_path / "store.yaml")
    assert main(["secrets", "set", "-n", "x", "s", "k", "--from-literal", "v", "--store", store,
                 "--age", recipient]) == 0  # fmt: skip
    offered = fmt in output_choices("secrets", "push")
    assert offered == (fmt in ("yaml", "json"))
    capsys.readouterr()
    code = main(["secrets", "push", "rel", READER, "--store", store, "--age-key-file",
                 str(tmp_path / "age.txt"), "--to", "aws", "-o", fmt])  # fmt: skip
    out, err = capsys.readouterr()
    if not offered:
        assert code == 2 and out == ""
        assert len(err.strip().splitlines()) == 1 and "'-o' / '--output'" in err
        return
    assert code == 0, err
    printed = json.loads(out) if fmt == "json" else yaml.safe_load(out)
    assert (printed["backend"], printed["secrets"]) == ("aws", [])
