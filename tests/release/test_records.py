"""Reading Helm's release records: list, history, status, get values (fake API server)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
import yaml
from release_fake_api import DATA, FakeApi

from chartsafe.cli import main

REVISIONS = yaml.safe_load((DATA / "revisions.yaml").read_text())
#: Every secret value in the records, raw and base64, as an output could leak it.
SECRETS = sorted(
    {v for r in REVISIONS for v in (r["values"]["password"], r["values"]["apiKey"])}
    | {r["values"]["webhook"]["shared"] for r in REVISIONS if "webhook" in r["values"]}
)
LEAKS = SECRETS + [base64.b64encode(s.encode()).decode() for s in SECRETS]


def run(capsys: pytest.CaptureFixture[str], kubeconfig: Path, *args: str) -> tuple[int, str, str]:
    code = main([*args, "--kubeconfig", str(kubeconfig)])
    out, err = capsys.readouterr()
    return code, out, err


def assert_no_leak(*texts: str) -> None:
    for text in texts:
        for secret in LEAKS:
            assert secret not in text


def test_list_reads_helms_records_in_the_context_namespace(
    capsys: pytest.CaptureFixture[str], fake_kubeconfig: Path, fake_api: FakeApi
) -> None:
    code, out, _ = run(capsys, fake_kubeconfig, "list", "-o", "json")
    assert code == 0
    listed = json.loads(out)
    assert [(r["name"], r["namespace"], r["revision"], r["status"]) for r in listed] == [
        ("shop", "apps", "2", "deployed")  # helm list: the revision a string
    ]
    assert listed[0]["chart"] == "app-0.2.0"
    assert "GET /api/v1/namespaces/apps/secrets" in fake_api.requests


def test_list_all_namespaces(capsys: pytest.CaptureFixture[str], fake_kubeconfig: Path) -> None:
    code, out, _ = run(capsys, fake_kubeconfig, "list", "-A")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["NAME", "NAMESPACE", "REVISION"]
    assert sorted(line.split()[0] for line in lines[1:]) == ["blog", "shop"]


def test_history_oldest_first(capsys: pytest.CaptureFixture[str], fake_kubeconfig: Path) -> None:
    code, out, _ = run(capsys, fake_kubeconfig, "history", "shop", "-o", "json")
    assert code == 0
    assert [(r["revision"], r["status"]) for r in json.loads(out)] == [
        (1, "superseded"),
        (2, "deployed"),
    ]


def test_status_lists_objects_and_hooks_never_values(
    capsys: pytest.CaptureFixture[str], fake_kubeconfig: Path
) -> None:
    code, out, err = run(capsys, fake_kubeconfig, "status", "shop")
    assert code == 0
    assert "REVISION: 2" in out and "STATUS: deployed" in out
    assert "Secret/shop-app" in out and "Deployment/shop-app" in out
    assert "Job/shop-migrate (pre-upgrade)" in out
    assert "shop is running nginx:1.27." in out
    assert_no_leak(out, err)
    code, out, err = run(capsys, fake_kubeconfig, "status", "shop", "-o", "json", "--revision", "1")
    assert json.loads(out)["version"] == 1  # helm status: the release object's version
    assert_no_leak(out, err)


def test_missing_release_is_one_line(
    capsys: pytest.CaptureFixture[str], fake_kubeconfig: Path
) -> None:
    code, out, err = run(capsys, fake_kubeconfig, "history", "nope")
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "no release 'nope' in namespace apps" in err


@pytest.mark.parametrize("extra", [[], ["--all"], ["-o", "json"], ["--revision", "1"]])
def test_get_values_masks_secret_like_values(
    capsys: pytest.CaptureFixture[str], fake_kubeconfig: Path, extra: list[str]
) -> None:
    code, out, err = run(capsys, fake_kubeconfig, "get", "values", "shop", *extra)
    assert code == 0
    assert_no_leak(out, err)
    assert "<masked: pass --reveal to print>" in out
    # webhook.shared has an innocent name; it is masked because the release's Secret holds it.
    assert "webhook.shared" in err or '"webhook.shared"' in out
    assert "apiKey" in out and "password" in out


def test_get_values_keeps_plain_values(
    capsys: pytest.CaptureFixture[str], fake_kubeconfig: Path
) -> None:
    code, out, err = run(capsys, fake_kubeconfig, "get", "values", "shop", "-o", "json")
    assert code == 0
    values = json.loads(out)  # the values alone, as helm get values -o json
    assert values["replicas"] == 2
    assert "(apiKey, password, webhook.shared); pass --reveal" in err


def test_get_values_reveal(capsys: pytest.CaptureFixture[str], fake_kubeconfig: Path) -> None:
    code, out, err = run(capsys, fake_kubeconfig, "get", "values", "shop", "--reveal")
    assert code == 0
    assert yaml.safe_load(out.split("\n", 1)[1])["password"] == REVISIONS[1]["values"]["password"]
    assert "masked" not in err


# (command, the (revision, description) pairs its JSON must hold)
DESCRIBED: list[tuple[list[str], list[tuple[int, str]]]] = [
    (["history", "shop", "-o", "json"], [(1, "Install complete"), (2, "Upgrade complete")]),
    (["list", "-o", "json"], [(2, "Upgrade complete")]),
    (["list", "-A", "-o", "json"], [(1, "Install complete"), (2, "Upgrade complete")]),
    (["rollback", "shop", "1", "--dry-run", "client", "-o", "json"], [(2, "Upgrade complete")]),
    (["uninstall", "shop", "--dry-run", "-o", "json"], [(2, "Upgrade complete")]),
]


@pytest.mark.parametrize(("args", "expected"), DESCRIBED, ids=[" ".join(c[0]) for c in DESCRIBED])
def test_every_listing_carries_the_revision_description(
    capsys: pytest.CaptureFixture[str],
    fake_kubeconfig: Path,
    args: list[str],
    expected: list[tuple[int, str]],
) -> None:
    # Helm's summaries (list, history, rollback's, uninstall's) leave the description out.
    code, out, err = run(capsys, fake_kubeconfig, *args)
    assert code == 0, err
    found = json.loads(out)
    rows = found if isinstance(found, list) else [found]
    # list's revision is a string, as helm list's; the others' an integer
    assert sorted((int(r["revision"]), r["description"]) for r in rows) == expected
    assert_no_leak(out, err)


def test_history_table_shows_the_description(
    capsys: pytest.CaptureFixture[str], fake_kubeconfig: Path
) -> None:
    code, out, _ = run(capsys, fake_kubeconfig, "history", "shop")
    assert code == 0
    assert out.splitlines()[2].split()[-2:] == ["Upgrade", "complete"]


@pytest.mark.parametrize(
    "args",
    [
        ["status", "shop", "--revision", "9"],
        ["get", "values", "shop", "--revision", "9"],
        ["get", "values", "shop", "--revision", "9", "--reveal"],
        *(
            ["get", part, "shop", "--revision", "9"]
            for part in ("manifest", "hooks", "notes", "metadata", "all")
        ),
        ["rollback", "shop", "9", "--dry-run", "client"],
        ["rollback", "shop", "9"],
    ],
    ids=lambda a: " ".join(a),
)
def test_missing_revision_names_the_revisions_there_are(
    capsys: pytest.CaptureFixture[str], fake_kubeconfig: Path, args: list[str]
) -> None:
    code, out, err = run(capsys, fake_kubeconfig, *args)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "no revision 9 of release shop in namespace apps (revisions: 1, 2)" in err
    assert "no release" not in err and "has no 9 version" not in err


@pytest.mark.parametrize("dry_run", [["--dry-run"], []], ids=["dry run", "real"])
def test_uninstall_ignore_not_found_says_there_was_nothing(
    capsys: pytest.CaptureFixture[str], fake_kubeconfig: Path, dry_run: list[str]
) -> None:
    code, out, err = run(capsys, fake_kubeconfig, "uninstall", "nope", "--ignore-not-found",
                         *dry_run)  # fmt: skip
    assert code == 0, err
    assert out == 'release "nope" does not exist in namespace apps; nothing to do\n'
