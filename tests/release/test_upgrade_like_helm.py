"""Upgrade decisions Helm makes that chartsafe must make the same way.

An upgrade given no values: Helm reuses the current revision's, so chartsafe checks those.

Helm's upgrade copies the user values of the current revision when the merged ``-f``/``--set``
values are empty (and ``--reset-values`` is not given); any value given replaces them all.
chartsafe validated and gated a render of the chart's defaults while Helm applied the old
values. These run Helm's own upgrade (client dry run) against the fake API server, so the
manifest Helm would apply is compared with the render chartsafe checked.

Helm's client-side OpenAPI validation is off here: the fake serves no OpenAPI documents.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from release_fake_api import APP, DATA, SentAction, release_record

from chartsafe import ClusterAccess
from chartsafe._helm_release import ClusterTarget
from chartsafe._release import ReleaseSettings, upgrade_release
from chartsafe._render import RenderOptions, RenderResult
from chartsafe.cli import main

REVISIONS = yaml.safe_load((DATA / "revisions.yaml").read_text())
DEPLOYED = REVISIONS[1]["values"]  # shop, revision 2


pytestmark = pytest.mark.usefixtures("without_openapi")


def _password(objects: list[Any]) -> str:
    (secret,) = [o for o in objects if o.kind == "Secret"]
    return base64.b64decode(secret.body["data"]["password"]).decode()


@pytest.mark.parametrize(
    ("values", "reset", "password", "reused"),
    [
        ({}, False, DEPLOYED["password"], 2),  # nothing given: revision 2's values
        ({"replicas": 3}, False, "", None),  # one value given replaces them all
        ({}, True, "", None),  # --reset-values: the chart's defaults
    ],
    ids=["no values", "a value given", "reset values"],
)
def test_the_render_checked_is_the_one_helm_applies(
    values: dict[str, Any],
    reset: bool,
    password: str,
    reused: int | None,
    fake_kubeconfig: Path,
) -> None:
    gated: list[RenderResult] = []
    outcome = upgrade_release(
        "shop",
        APP,
        values,
        target=ClusterTarget(namespace="apps", access=ClusterAccess(kubeconfig=fake_kubeconfig)),
        settings=ReleaseSettings(dry_run="client", reset_values=reset),
        render=RenderOptions(kube_version="1.36"),
        gate=gated.append,
    )
    assert _password(outcome.objects) == password  # what Helm's upgrade would apply
    assert _password(gated[0].objects) == password  # what validation and the gate saw
    assert outcome.reused_values_from == reused


def test_cli_says_which_revision_values_it_reused_and_masks_them(
    fake_kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["upgrade", "shop", str(APP), "--kubeconfig", str(fake_kubeconfig), "-n", "apps",
            "--dry-run", "client", "--kube-version", "1.36"]  # fmt: skip
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert "revision 2's values were used again (--reset-values" in err
    assert DEPLOYED["password"] not in out + err
    assert base64.b64encode(DEPLOYED["password"].encode()).decode() not in out + err
    assert main([*args, "-o", "json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["version"] == 3  # Helm's release object; the note stays on stderr
    assert "revision 2's values were used again (--reset-values" in err


@pytest.mark.parametrize(
    ("flags", "changed", "reused"),
    [([], False, 2), (["--reset-values"], True, None)],
    ids=["reused: nothing changes", "reset: the defaults differ"],
)
def test_diff_upgrade_compares_with_the_values_helm_would_use(
    flags: list[str],
    changed: bool,
    reused: int | None,
    fake_kubeconfig: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["diff", "upgrade", "shop", str(APP), "--kubeconfig", str(fake_kubeconfig), *flags]
    assert main([*args, "-o", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert bool(result["changes"]) is changed
    assert result["reusedValuesFrom"] == reused


@pytest.mark.parametrize(
    ("status", "replace"), [("uninstalled", True), (None, None)], ids=["uninstalled", "none"]
)
def test_upgrade_install_installs_where_helm_would(
    status: str | None,
    replace: bool | None,
    fake_api: Any,
    fake_kubeconfig: Path,
    sent_actions: list[SentAction],
) -> None:
    """helm upgrade --install installs when there is no release, and also over one
    uninstalled with --keep-history (as install --replace); Helm's upgrade would refuse
    that one ("has no deployed releases")."""
    if status:
        entry = {**REVISIONS[2], "name": "gone", "namespace": "apps", "status": status}
        fake_api.records.append(release_record(entry))
        sent_actions.clear()  # the record's manifest came from Helm's install (dry run)
    outcome = upgrade_release(
        "gone",
        APP,
        {"password": "new-password-1a2b"},
        target=ClusterTarget(namespace="apps", access=ClusterAccess(kubeconfig=fake_kubeconfig)),
        settings=ReleaseSettings(dry_run="client", install=True),
    )
    assert outcome.action == "install"
    (sent,) = sent_actions
    assert sent.function == "helm_install" and sent.options.get("replace") == replace


def test_diff_upgrade_starts_from_the_revision_helm_changes(
    fake_api: Any, fake_kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A failed revision after the deployed one: Helm's upgrade starts from the deployed one
    (its values, its objects), and so does the diff."""
    failed = {**REVISIONS[1], "version": 3, "status": "failed", "description": "Upgrade failed",
              "values": {**DEPLOYED, "replicas": 9}}  # fmt: skip
    fake_api.records.append(release_record(failed))
    args = ["diff", "upgrade", "shop", str(APP), "--kubeconfig", str(fake_kubeconfig), "-o", "json"]
    assert main(args) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["fromRevision"], result["reusedValuesFrom"]) == (2, 2)
    assert result["changes"] == []  # revision 2's values over revision 2's objects
