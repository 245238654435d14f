"""``upgrade --reuse-values`` and ``--reset-then-reuse-values``: chartsafe checks what Helm applies.

Each case runs Helm's own upgrade (client dry run, against the fake API server holding the
``shop`` release) with the flags and values given, and compares the manifest Helm would
apply with the render chartsafe validated and gated, object by object. The new chart
changes a default (``image``) and adds one (``tier``), so taking the old revision's values
as the chart's defaults (``--reuse-values``) renders differently from taking them over the
new defaults (``--reset-then-reuse-values``); nulls and a map over a scalar follow Helm's
coalescing.
"""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from release_fake_api import APP, DATA, SentAction

from chartsafe import ClusterAccess
from chartsafe._helm_release import ClusterTarget
from chartsafe._release import ReleaseSettings, upgrade_release
from chartsafe._render import RenderOptions, RenderResult
from chartsafe.cli import main

pytestmark = pytest.mark.usefixtures("without_openapi")

REVISIONS = yaml.safe_load((DATA / "revisions.yaml").read_text())
DEPLOYED = REVISIONS[1]["values"]  # shop, revision 2


@pytest.fixture
def new_chart(tmp_path: Path) -> Path:
    """The release's chart, one version on: a changed default and a new one in a template."""
    chart = shutil.copytree(APP, tmp_path / "app")
    meta = yaml.safe_load((chart / "Chart.yaml").read_text())
    (chart / "Chart.yaml").write_text(yaml.safe_dump({**meta, "version": "0.3.0"}))
    values = yaml.safe_load((chart / "values.yaml").read_text())
    (chart / "values.yaml").write_text(
        yaml.safe_dump({**values, "image": "nginx:1.29", "tier": "gold"})
    )
    configmap = chart / "templates" / "configmap.yaml"
    configmap.write_text(
        configmap.read_text() + '  tier: {{ .Values.tier | default "none" | quote }}\n'
    )
    return chart


REUSE = {"reuse_values": True}
RESET_THEN_REUSE = {"reset_then_reuse_values": True}


@pytest.mark.parametrize(
    ("flags", "given"),
    [
        (REUSE, {}),
        (REUSE, {"replicas": 4}),
        (RESET_THEN_REUSE, {}),
        (RESET_THEN_REUSE, {"replicas": 4}),
        ({**REUSE, "reset_values": True}, {"replicas": 4}),  # --reset-values wins
        ({**REUSE, **RESET_THEN_REUSE}, {}),  # --reuse-values wins
        (REUSE, {"apiKey": None}),  # a null drops the key: the old default stays
        (RESET_THEN_REUSE, {"apiKey": None}),  # ... and here the new chart's default
        (REUSE, {"webhook": {"shared": None}}),
        (RESET_THEN_REUSE, {"webhook": None, "tier": None}),
        (RESET_THEN_REUSE, {"replicas": {"not": "a number"}}),  # a map over a scalar
        (REUSE, {"image": "nginx:1.30", "extraKey": "extra-key-5b7e"}),
    ],
    ids=[
        "reuse",
        "reuse, a value given",
        "reset then reuse",
        "reset then reuse, a value given",
        "reset wins over reuse",
        "reuse wins over reset then reuse",
        "reuse, a top-level null",
        "reset then reuse, a top-level null",
        "reuse, a nested null",
        "reset then reuse, nulls",
        "reset then reuse, a map over a scalar",
        "reuse, new values",
    ],
)
def test_the_render_checked_is_the_one_helm_applies(
    flags: dict[str, bool], given: dict[str, Any], new_chart: Path, fake_kubeconfig: Path
) -> None:
    gated: list[RenderResult] = []
    outcome = upgrade_release(
        "shop",
        new_chart,
        given,
        target=ClusterTarget(namespace="apps", access=ClusterAccess(kubeconfig=fake_kubeconfig)),
        settings=ReleaseSettings(dry_run="client", **flags),
        render=RenderOptions(kube_version="1.36", validate=False),
        gate=gated.append,
    )
    applied = {(o.kind, o.name): o.body for o in outcome.objects}  # Helm's manifest
    checked = {(o.kind, o.name): o.body for o in gated[0].resources}  # chartsafe's render
    assert checked == applied
    assert outcome.reused_values_from == (None if flags.get("reset_values") else 2)


def _configmap(outcome: Any) -> dict[str, str]:
    (found,) = [o.body["data"] for o in outcome.objects if o.kind == "ConfigMap"]
    return dict(found)


@pytest.mark.parametrize(
    ("flags", "image", "tier"),
    [(REUSE, "nginx:1.27", "none"), (RESET_THEN_REUSE, "nginx:1.29", "gold"), ({}, "", "")],
    ids=["reuse: the old defaults", "reset then reuse: the new defaults", "no flag"],
)
def test_which_defaults_apply(
    flags: dict[str, bool], image: str, tier: str, new_chart: Path, fake_kubeconfig: Path
) -> None:
    """The two flags differ exactly where the chart's defaults changed (the comparison above
    holds for both only if chartsafe tells them apart); without a flag, the value given
    replaces the revision's values and the new defaults apply."""
    outcome = upgrade_release(
        "shop",
        new_chart,
        {"replicas": 4},
        target=ClusterTarget(namespace="apps", access=ClusterAccess(kubeconfig=fake_kubeconfig)),
        settings=ReleaseSettings(dry_run="client", **flags),
        render=RenderOptions(kube_version="1.36"),
    )
    data = _configmap(outcome)
    assert (data["image"], data["tier"]) == ((image, tier) if flags else ("nginx:1.29", "gold"))
    (secret,) = [o.body for o in outcome.objects if o.kind == "Secret"]
    password = base64.b64decode(secret["data"]["password"]).decode()
    assert password == (DEPLOYED["password"] if flags else "")


def _upgrade(chart: Path, kubeconfig: Path, flag: str) -> list[str]:
    """``upgrade shop CHART --set replicas=4 FLAG`` as a client dry run against the fake."""
    return ["upgrade", "shop", str(chart), "--kubeconfig", str(kubeconfig), "--dry-run",
            "client", "--kube-version", "1.36", "--set", "replicas=4", flag]  # fmt: skip


@pytest.mark.parametrize(
    ("flag", "option"),
    [("--reuse-values", "reuse_values"), ("--reset-then-reuse-values", "reset_then_reuse_values")],
)
def test_helm_gets_the_flag_and_the_values_given(
    flag: str,
    option: str,
    new_chart: Path,
    fake_kubeconfig: Path,
    sent_actions: list[SentAction],
) -> None:
    """Helm stores what its own command would: the flag goes to Helm's upgrade with the
    values given (not the coalesced ones chartsafe rendered with)."""
    assert main(_upgrade(new_chart, fake_kubeconfig, flag)) == 0
    (sent,) = sent_actions
    assert sent.values == {"replicas": 4}
    assert sent.options.get(option) is True


@pytest.mark.parametrize(
    ("flag", "note"),
    [
        ("--reuse-values", "--reuse-values: the values given were coalesced over revision 2's, "
         "its values as the chart's defaults"),
        ("--reset-then-reuse-values", "--reset-then-reuse-values: the values given were "
         "coalesced over revision 2's, on the new chart's defaults"),
    ],
)  # fmt: skip
def test_cli_says_so_and_masks_the_reused_secrets(
    flag: str,
    note: str,
    new_chart: Path,
    fake_kubeconfig: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = _upgrade(new_chart, fake_kubeconfig, flag)
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert note in " ".join(err.split())
    for secret in (DEPLOYED["password"], DEPLOYED["apiKey"]):
        assert secret not in out + err
        assert base64.b64encode(secret.encode()).decode() not in out + err
    assert main([*args, "-o", "json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["version"] == 3  # Helm's release object; the note stays on stderr
    assert note in " ".join(err.split())
    for secret in (DEPLOYED["password"], DEPLOYED["apiKey"]):
        assert secret not in out + err


@pytest.mark.parametrize(
    ("flags", "changed", "configmap"),
    [
        (["--reuse-values"], {"Deployment/shop-app", "ConfigMap/shop-app"},
         " image: nginx:1.27\n+  tier: none\n"),
        (["--reset-then-reuse-values"],
         {"Deployment/shop-app", "ConfigMap/shop-app", "Job/shop-migrate"},
         "+  image: nginx:1.29\n+  tier: gold\n"),
    ],
    ids=["reuse: the old defaults", "reset then reuse: the new defaults"],
)  # fmt: skip
def test_diff_upgrade_takes_the_same_values(
    flags: list[str],
    changed: set[str],
    configmap: str,
    new_chart: Path,
    fake_kubeconfig: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["diff", "upgrade", "shop", str(new_chart), "--kubeconfig", str(fake_kubeconfig),
            "--set", "replicas=4", *flags, "-o", "json"]  # fmt: skip
    assert main(args) == 0
    out, err = capsys.readouterr()
    result = json.loads(out)
    changes = {f"{c['kind']}/{c['name']}": c for c in result["changes"]}
    assert set(changes) == changed
    assert configmap in changes["ConfigMap/shop-app"]["diff"]
    assert result["reusedValuesFrom"] == 2
    assert DEPLOYED["password"] not in out + err


@pytest.fixture
def with_subchart(new_chart: Path) -> Path:
    """The new chart with a subchart in charts/: its own defaults, and one of them set by a
    new default of the parent."""
    sub = new_chart / "charts" / "sub"
    (sub / "templates").mkdir(parents=True)
    (sub / "Chart.yaml").write_text("apiVersion: v2\nname: sub\nversion: 0.1.0\n")
    (sub / "values.yaml").write_text("greeting: hello\ncolour: blue\n")
    (sub / "templates" / "configmap.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-sub\n"
        "data:\n  greeting: {{ .Values.greeting | quote }}\n"
        "  colour: {{ .Values.colour | quote }}\n"
    )
    values = yaml.safe_load((new_chart / "values.yaml").read_text())
    (new_chart / "values.yaml").write_text(yaml.safe_dump({**values, "sub": {"colour": "red"}}))
    return new_chart


@pytest.mark.parametrize("flags", [REUSE, RESET_THEN_REUSE], ids=["reuse", "reset then reuse"])
def test_a_subchart_keeps_its_own_defaults(
    flags: dict[str, bool], with_subchart: Path, fake_kubeconfig: Path
) -> None:
    """Only the top chart's defaults are the old revision's: the subchart's come from the
    new chart, as Helm renders them (the parent's new ``sub.colour`` default is gone with
    --reuse-values, kept with --reset-then-reuse-values)."""
    gated: list[RenderResult] = []
    outcome = upgrade_release(
        "shop",
        with_subchart,
        {"sub": {"greeting": "hi"}},
        target=ClusterTarget(namespace="apps", access=ClusterAccess(kubeconfig=fake_kubeconfig)),
        settings=ReleaseSettings(dry_run="client", **flags),
        render=RenderOptions(kube_version="1.36"),
        gate=gated.append,
    )
    applied = {(o.kind, o.name): o.body for o in outcome.objects}
    assert {(o.kind, o.name): o.body for o in gated[0].resources} == applied
    colour = "blue" if flags is REUSE else "red"
    assert applied["ConfigMap", "shop-sub"]["data"] == {"greeting": "hi", "colour": colour}
