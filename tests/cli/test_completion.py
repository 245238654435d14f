"""``chartsafe completion SHELL`` and the answers to a completion script's requests: commands,
subcommands, flags, a flag's choices, and file names where chartsafe has no candidates."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from chartsafe.cli import main

# (id, the words typed, the word being completed's index, candidates that must be offered,
#  candidates that must not)
CASES = [
    ("a command", "chartsafe temp", 1, ["plain,template"], ["plain,lint"]),
    ("a group's commands", "chartsafe secrets r", 2,
     ["plain,render", "plain,rekey", "plain,rotate"], ["plain,set"]),
    ("a flag", "chartsafe template --kube-v", 2, ["plain,--kube-version"], []),
    ("a flag of the value group", "chartsafe install --set-j", 2, ["plain,--set-json"], []),
    ("a flag's choices", "chartsafe template x -o ", 4,
     ["plain,json", "plain,yaml"], ["file,", "plain,table"]),
    ("a table's choices", "chartsafe list -o ", 3,
     ["plain,json", "plain,yaml", "plain,table"], ["file,"]),
    ("audit's profiles", "chartsafe audit x --profile ", 4,
     ["plain,dev", "plain,production"], ["file,"]),
    ("audit's rule ids", "chartsafe audit x --disable credential-in-c", 4,
     ["plain,credential-in-configmap", "plain,credential-in-chart"], ["plain,privileged"]),
    ("audit's severities", "chartsafe audit x --fail-on m", 4, ["plain,medium"], ["plain,high"]),
    ("CHART: file names", "chartsafe template charts/tr", 2, ["file,charts/tr"], []),
    ("a values file: file names", "chartsafe lint charts/tracecat -f ex", 4, ["file,ex"], []),
    ("an unknown flag: nothing", "chartsafe template --no-such", 2, [], ["file,"]),
    # flags click reads as text whose value is one of a fixed set: that set, no file names
    ("--deliver", "chartsafe up x y --deliver ", 5,
     ["plain,secret", "plain,sealed", "plain,external", "plain,aws"], ["file,"]),
    ("--as", "chartsafe secrets render x y --as se", 6,
     ["plain,secret", "plain,sealed"], ["file,", "plain,aws"]),
    ("--dry-run", "chartsafe install x y --dry-run ", 5, ["plain,client", "plain,server"],
     ["file,"]),
    ("--dry-run of rollback", "chartsafe rollback x --dry-run s", 4, ["plain,server"],
     ["file,", "plain,client"]),
    ("--server-side of upgrade", "chartsafe upgrade x y --server-side ", 5,
     ["plain,true", "plain,false", "plain,auto"], ["file,"]),
    ("--server-side of install: no auto", "chartsafe install x y --server-side ", 5,
     ["plain,true", "plain,false"], ["file,", "plain,auto"]),
    ("--scope", "chartsafe up x y --scope ", 5,
     ["plain,strict", "plain,namespace-wide", "plain,cluster-wide"], ["file,"]),
    ("--provider", "chartsafe secrets render x y --provider ", 6,
     ["plain,aws", "plain,gcp", "plain,azure", "plain,vault"], ["file,"]),
    ("--store-kind", "chartsafe up x y --store-kind ", 5,
     ["plain,SecretStore", "plain,ClusterSecretStore"], ["file,"]),
    ("--creation-policy", "chartsafe up x y --creation-policy O", 5,
     ["plain,Owner", "plain,Orphan"], ["file,", "plain,Merge"]),
    ("--deletion-policy", "chartsafe secrets render x y --deletion-policy ", 6,
     ["plain,Retain", "plain,Delete", "plain,Merge"], ["file,"]),
    ("--cascade", "chartsafe uninstall x --cascade ", 4,
     ["plain,background", "plain,foreground", "plain,orphan"], ["file,"]),
    ("--to", "chartsafe secrets push x y --to ", 6, ["plain,aws"], ["file,"]),
    ("secrets render -o", "chartsafe secrets render x y -o ", 6, ["plain,yaml", "plain,json"],
     ["file,", "plain,table"]),
    ("secrets push -o", "chartsafe secrets push x y -o ", 6, ["plain,yaml", "plain,json"],
     ["file,", "plain,table"]),
    ("sealed verify -o", "chartsafe sealed verify x -o ", 5, ["plain,text", "plain,json"],
     ["file,"]),
    ("--store-setting: the names", "chartsafe up x y --store-setting vault", 5,
     ["plain,vault-url=", "plain,vault-role="], ["file,", "plain,project="]),
    ("secrets set --format", "chartsafe secrets set db password --format he", 6,
     ["plain,hex"], ["file,", "plain,base64"]),
    ("secrets rotate --generator", "chartsafe secrets rotate db password --generator ", 6,
     ["plain,hex", "plain,password", "plain,tls-cert"], ["file,"]),
    ("a fixed value nothing starts: nothing", "chartsafe up x y --deliver zz", 5, [], ["file,"]),
    ("a choice nothing starts: nothing", "chartsafe template x -o zz", 4, [], ["file,"]),
    ("--against: cluster or a file", "chartsafe check x y --against c", 5,
     ["plain,cluster", "file,c"], []),
    ("--check-against: cluster or a file", "chartsafe install x y --check-against ", 5,
     ["plain,cluster", "file,"], []),
]  # fmt: skip


@pytest.mark.parametrize(
    ("words", "cword", "offered", "absent"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_a_request_gets_its_candidates(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    words: str,
    cword: int,
    offered: list[str],
    absent: list[str],
) -> None:
    monkeypatch.setenv("_CHARTSAFE_COMPLETE", "bash_complete")
    monkeypatch.setenv("COMP_WORDS", words)
    monkeypatch.setenv("COMP_CWORD", str(cword))
    assert main([]) == 0
    candidates = capsys.readouterr().out.splitlines()
    for candidate in offered:
        assert candidate in candidates, candidates
    for candidate in absent:
        assert not any(c.startswith(candidate) for c in candidates), candidates


def test_every_fixed_value_flag_is_a_flag_of_the_cli() -> None:
    """No entry of the table names a flag (or a command's flag) the CLI does not have: a
    renamed flag would otherwise lose its completion without a word."""
    import click
    import typer

    from chartsafe.cli._app import app, load_commands
    from chartsafe.cli._completion import fixed_values

    load_commands()
    flags: set[str] = set()

    def walk(command: click.Command, path: str) -> None:
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(sub, f"{path} {name}".strip())
            return
        for param in command.params:
            if isinstance(param, click.Option) and not param.is_flag:
                flags.update(param.opts)
                flags.update(f"{path} {o}" for o in param.opts)

    walk(typer.main.get_command(app), "")
    assert sorted(set(fixed_values()) - flags) == []
    assert all(fixed_values().values())


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_script_asks_chartsafe_for_its_shell(
    capsys: pytest.CaptureFixture[str], shell: str
) -> None:
    assert main(["completion", shell]) == 0
    assert f"_CHARTSAFE_COMPLETE={shell}_complete" in capsys.readouterr().out


@pytest.mark.parametrize("instruction", ["tcsh_complete", "bash_explode", "nonsense"])
def test_an_unknown_instruction_exits_1_quietly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], instruction: str
) -> None:
    monkeypatch.setenv("_CHARTSAFE_COMPLETE", instruction)
    assert main(["template"]) == 1
    assert capsys.readouterr().out == ""


def test_an_unknown_shell_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", "tcsh"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "'tcsh' is not one of" in err


BASH = shutil.which("bash")


@pytest.mark.skipif(BASH is None, reason="bash is not installed")
@pytest.mark.parametrize(
    ("words", "wanted"),
    [("chartsafe sec", ["secrets"]), ("chartsafe sops d", ["decrypt"]),
     ("chartsafe get values x -o ", ["json", "yaml", "table"]),
     ("chartsafe up x y --deliver ", ["secret", "sealed", "external", "aws"])],
    ids=["a command", "a group's command", "a flag's choices", "a text flag's fixed values"],
)  # fmt: skip
def test_bash_completes_through_the_printed_script(
    tmp_path: Path, words: str, wanted: list[str]
) -> None:
    """The printed script, sourced in a real bash, asks the installed chartsafe and fills
    COMPREPLY (bash's completion array) with the candidates."""
    command = Path(sys.executable).with_name("chartsafe")
    script = subprocess.run(
        [command, "completion", "bash"], capture_output=True, text=True, check=True
    ).stdout
    (tmp_path / "completion.bash").write_text(script)
    split = words.split(" ")
    probe = (
        f"source {tmp_path / 'completion.bash'}\n"
        f"COMP_WORDS=({' '.join(repr(w) for w in split)})\n"
        f"COMP_CWORD={len(split) - 1}\n"
        "_chartsafe_completion chartsafe\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    env = {"PATH": f"{command.parent}:/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run(
        [str(BASH), "--norc", "--noprofile", "-c", probe],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert sorted(done.stdout.split()) == sorted(wanted)
