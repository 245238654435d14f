"""``-o json|yaml`` of ``get values``, ``list``, ``history`` and ``status`` in Helm's shapes
(fake API server): helm's field names and types, so what a script reads from helm's output
it reads from chartsafe's, secret values masked unless ``--reveal``."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from release_fake_api import APP, DATA, FakeApi, release_record

from chartsafe._helm_release import HelmReleases
from chartsafe._output import MASK
from chartsafe.cli import main

REVISIONS = yaml.safe_load((DATA / "revisions.yaml").read_text())
SHOP = {r["version"]: r["values"] for r in REVISIONS if r["name"] == "shop"}
DEFAULTS = yaml.safe_load((APP / "values.yaml").read_text())
SECRETS = sorted({v for r in REVISIONS for v in (r["values"]["password"], r["values"]["apiKey"])}
                 | {SHOP[2]["webhook"]["shared"]})  # fmt: skip
#: shop's revision 2 values as get values masks them
MASKED = {"password": MASK, "apiKey": MASK, "webhook": {"shared": MASK}, "replicas": 2}
MASKED_LINE = (
    "chartsafe: 3 secret-like value(s) masked (apiKey, password, webhook.shared); "
    "pass --reveal to print them"
)
PARSE: dict[str, Callable[[str], Any]] = {"json": json.loads, "yaml": yaml.safe_load}


def _run(capsys: pytest.CaptureFixture[str], kubeconfig: Path, *args: str) -> tuple[str, str]:
    code = main([*args, "--kubeconfig", str(kubeconfig)])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out, err


def _no_leak(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text and base64.b64encode(secret.encode()).decode() not in text


# (flags, the values printed, the masked-paths line on stderr or None)
VALUES: list[tuple[list[str], dict[str, Any], str | None]] = [
    ([], MASKED, MASKED_LINE),
    (["--reveal"], SHOP[2], None),
    (["--revision", "1", "--reveal"], SHOP[1], None),
    (["--all"], {**DEFAULTS, **MASKED}, MASKED_LINE),
    (["-a", "--reveal"], {**DEFAULTS, **SHOP[2]}, None),
]


@pytest.mark.parametrize("fmt", ["json", "yaml"])
@pytest.mark.parametrize(
    ("flags", "expected", "line"), VALUES, ids=[" ".join(v[0]) or "user" for v in VALUES]
)
def test_get_values_prints_the_values_map_alone(
    fmt: str,
    flags: list[str],
    expected: dict[str, Any],
    line: str | None,
    fake_kubeconfig: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """As helm get values -o json|yaml: the map itself, no name/values/masked wrapper; the
    masked paths are one line on stderr."""
    out, err = _run(capsys, fake_kubeconfig, "get", "values", "shop", "-o", fmt, *flags)
    assert PARSE[fmt](out) == expected
    assert err.splitlines() == ([line] if line else [])
    if line:
        _no_leak(out + err)


def test_revealed_yaml_goes_back_in_with_f(
    fake_kubeconfig: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``get values NAME -o yaml --reveal > v.yaml`` then ``-f v.yaml``: the same release."""
    out, _ = _run(capsys, fake_kubeconfig, "get", "values", "shop", "-o", "yaml", "--reveal")
    saved = tmp_path / "v.yaml"
    saved.write_text(out)
    out, _ = _run(capsys, fake_kubeconfig, "template", "shop", str(APP), "-f", str(saved),
                  "--reveal", "--no-validate")  # fmt: skip
    rendered = {d["kind"]: d for d in yaml.safe_load_all(out) if d}
    secret = rendered["Secret"]["data"]
    assert base64.b64decode(secret["password"]).decode() == SHOP[2]["password"]
    assert base64.b64decode(secret["token"]).decode() == SHOP[2]["webhook"]["shared"]
    assert rendered["Deployment"]["spec"]["replicas"] == 2


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [(None, "USER-SUPPLIED VALUES:\nnull\n"), ("json", "null\n"), ("yaml", "null\n")],
)
def test_a_release_without_values_prints_null(
    fmt: str | None,
    expected: str,
    fake_api: FakeApi,
    fake_kubeconfig: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bare = {"name": "bare", "namespace": "apps", "version": 1, "status": "deployed",
            "description": "Install complete", "values": {}}  # fmt: skip
    fake_api.records.append(release_record(bare))
    out, err = _run(capsys, fake_kubeconfig, "get", "values", "bare",
                    *(["-o", fmt] if fmt else []))  # fmt: skip
    assert (out, err) == (expected, "")


#: helm list -o json's element for shop, then chartsafe's description and labels
SHOP_LISTED = {
    "name": "shop", "namespace": "apps", "revision": "2",
    "updated": "2026-01-02 10:00:00 +0000 UTC", "status": "deployed", "chart": "app-0.2.0",
    "app_version": "2.0", "description": "Upgrade complete", "labels": {},
}  # fmt: skip
BLOG_LISTED = {
    "name": "blog", "namespace": "web", "revision": "1",
    "updated": "2026-01-01 10:00:00 +0000 UTC", "status": "deployed", "chart": "app-0.2.0",
    "app_version": "2.0", "description": "Install complete", "labels": {},
}  # fmt: skip
LISTS: list[tuple[list[str], list[dict[str, Any]]]] = [
    ([], [SHOP_LISTED]),
    (["-A"], [BLOG_LISTED, SHOP_LISTED]),
    (["--time-format", "2006-01-02"], [{**SHOP_LISTED, "updated": "2026-01-02"}]),
]


@pytest.mark.parametrize("fmt", ["json", "yaml"])
@pytest.mark.parametrize(("flags", "expected"), LISTS, ids=[" ".join(c[0]) or "-" for c in LISTS])
def test_list_prints_helms_fields(
    fmt: str,
    flags: list[str],
    expected: list[dict[str, Any]],
    fake_kubeconfig: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out, _ = _run(capsys, fake_kubeconfig, "list", "-o", fmt, *flags)
    found = PARSE[fmt](out)
    assert found == expected
    assert list(found[0])[:7] == ["name", "namespace", "revision", "updated", "status", "chart",
                                  "app_version"]  # fmt: skip


def test_list_table_shows_the_time_as_helm(
    fake_kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """helm list prints Go's time.Time.String() in the table, as in -o json."""
    out, _ = _run(capsys, fake_kubeconfig, "list", "--no-headers")
    assert "  2026-01-02 10:00:00 +0000 UTC  deployed  " in out


#: helm history -o json's entries for shop, then chartsafe's name, namespace and labels
HISTORY = [
    {"revision": revision, "updated": f"2026-01-0{revision}T10:00:00Z", "status": status,
     "chart": "app-0.2.0", "app_version": "2.0", "description": description, "name": "shop",
     "namespace": "apps", "labels": {}}
    for revision, status, description in [(1, "superseded", "Install complete"),
                                          (2, "deployed", "Upgrade complete")]
]  # fmt: skip


@pytest.mark.parametrize(("flags", "expected"), [([], HISTORY), (["--max", "1"], HISTORY[1:])])
@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_history_prints_helms_fields(
    fmt: str,
    flags: list[str],
    expected: list[dict[str, Any]],
    fake_kubeconfig: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out, _ = _run(capsys, fake_kubeconfig, "history", "shop", "-o", fmt, *flags)
    assert PARSE[fmt](out) == expected


#: A revision as Helm writes it: its time with a fraction of a second, in a zone not UTC
#: (Go's RFC 3339 with nanoseconds; the SDK's summary of it keeps whole seconds only).
PRECISE = {"name": "shop", "namespace": "apps", "version": 3, "status": "deployed",
           "description": "Upgrade complete", "values": {},
           "last_deployed": "2026-03-05T09:07:01.120000000+02:00"}  # fmt: skip


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_history_prints_the_time_as_helm_marshals_it(
    fmt: str, fake_api: FakeApi, fake_kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """helm history -o json: ``updated`` is Go's time.Time JSON (RFC 3339, nanoseconds with
    their trailing zeros cut), in the zone the record has."""
    fake_api.records.append(release_record(PRECISE))
    out, _ = _run(capsys, fake_kubeconfig, "history", "shop", "-o", fmt)
    found = PARSE[fmt](out)
    assert [e["updated"] for e in found] == [
        "2026-01-01T10:00:00Z", "2026-01-02T10:00:00Z", "2026-03-05T09:07:01.12+02:00"
    ]  # fmt: skip


def test_list_json_prints_the_fraction_of_a_second_as_helm(
    fake_api: FakeApi, fake_kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """helm list -o json: Go's time.Time.String() of the record's time, its fraction kept
    (an offset without a zone name printed twice, as Go prints it)."""
    fake_api.records.append(release_record({**PRECISE, "name": "cart"}))
    out, _ = _run(capsys, fake_kubeconfig, "list", "-o", "json")
    (cart,) = [r for r in json.loads(out) if r["name"] == "cart"]
    assert cart["updated"] == "2026-03-05 09:07:01.12 +0200 +0200"


def test_history_table_shows_the_time_as_helm(
    fake_api: FakeApi, fake_kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """helm history's table prints UPDATED in Go's time.ANSIC (the day padded with a space),
    in the record's own zone."""
    fake_api.records.append(release_record(PRECISE))
    out, _ = _run(capsys, fake_kubeconfig, "history", "shop")
    header, *rows = out.splitlines()
    assert header.split()[:2] == ["REVISION", "UPDATED"]
    expected = [("1", "Thu Jan  1 10:00:00 2026", "superseded"),
                ("2", "Fri Jan  2 10:00:00 2026", "deployed"),
                ("3", "Thu Mar  5 09:07:01 2026", "deployed")]  # fmt: skip
    for row, (revision, updated, status) in zip(rows, expected, strict=True):
        assert re.match(rf"{revision} +{re.escape(updated)} +{status} ", row), row


@pytest.mark.parametrize(
    ("command", "deployed"),
    [(["status", "shop"], "Thu Mar  5 09:07:01 2026"),
     (["get", "all", "shop"], "Thu Mar 5 09:07:01 2026")],
    ids=["status", "get all"],
)  # fmt: skip
def test_tables_print_last_deployed_as_helm(
    command: list[str], deployed: str, fake_api: FakeApi, fake_kubeconfig: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """helm status prints LAST DEPLOYED second, in Go's time.ANSIC (the day padded); helm
    get all's template prints it unpadded. Both in the record's own zone."""
    fake_api.records.append(release_record(PRECISE))
    out, _ = _run(capsys, fake_kubeconfig, *command)
    assert out.splitlines()[:3] == ["NAME: shop", f"LAST DEPLOYED: {deployed}", "NAMESPACE: apps"]


#: (revision, helm status's info, its config as masked)
STATUSES: list[tuple[int, dict[str, str], dict[str, Any]]] = [
    (1, {"first_deployed": "2026-01-01T10:00:00Z", "last_deployed": "2026-01-01T10:00:00Z",
         "description": "Install complete", "status": "superseded",
         "notes": "shop is running nginx:1.27.\n"},
     {"password": MASK, "apiKey": MASK, "webhook": {"shared": MASK}}),
    (2, {"first_deployed": "2026-01-01T10:00:00Z", "last_deployed": "2026-01-02T10:00:00Z",
         "description": "Upgrade complete", "status": "deployed",
         "notes": "shop is running nginx:1.27.\n"},
     MASKED),
]  # fmt: skip


@pytest.mark.parametrize("fmt", ["json", "yaml"])
@pytest.mark.parametrize(("revision", "info", "config"), STATUSES, ids=["1", "2"])
def test_status_prints_helms_release_object(
    fmt: str,
    revision: int,
    info: dict[str, str],
    config: dict[str, Any],
    fake_kubeconfig: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """As helm status -o json: the release (its chart left out), every secret masked."""
    args = ["status", "shop", "--revision", str(revision), "-o", fmt]
    out, err = _run(capsys, fake_kubeconfig, *args)
    _no_leak(out + err)
    found = PARSE[fmt](out)
    assert list(found)[:7] == ["name", "info", "config", "manifest", "hooks", "version",
                               "namespace"]  # fmt: skip
    assert "chart" not in found and "revision" not in found
    assert (found["name"], found["version"], found["namespace"]) == ("shop", revision, "apps")
    assert found["info"] == info
    assert found["config"] == config
    manifest = [d for d in yaml.safe_load_all(found["manifest"]) if d]
    assert [d["kind"] for d in manifest] == ["Secret", "ConfigMap", "Deployment"]
    assert set(manifest[0]["data"].values()) == {MASK}
    (hook,) = found["hooks"]
    assert (hook["name"], hook["kind"], hook["path"], hook["events"]) == (
        "shop-migrate", "Job", "app/templates/migrate.yaml", ["pre-upgrade"])  # fmt: skip
    assert yaml.safe_load(hook["manifest"])["metadata"]["name"] == "shop-migrate"
    assert [o["kind"] for o in found["objects"]] == ["Secret", "ConfigMap", "Deployment"]


def test_status_prints_the_deletion_time_of_a_release_uninstalled_with_its_history(
    fake_api: FakeApi, fake_kubeconfig: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``deleted`` is in the info once Helm set it (``uninstall --keep-history``), and only
    then: a record with none (Helm 4 leaves it out, Helm 3 wrote ``""``) prints none."""
    gone = {"name": "gone", "namespace": "apps", "version": 1, "status": "uninstalled",
            "description": "Uninstallation complete", "values": SHOP[1],
            "deleted": "2026-01-03T10:00:00.5Z"}  # fmt: skip
    fake_api.records.append(release_record(gone))
    out, _ = _run(capsys, fake_kubeconfig, "status", "gone", "-o", "json")
    info = json.loads(out)["info"]
    assert (info["status"], info["deleted"]) == ("uninstalled", "2026-01-03T10:00:00.5Z")
    out, _ = _run(capsys, fake_kubeconfig, "status", "shop", "-o", "json")
    assert "deleted" not in json.loads(out)["info"]


def test_status_masks_a_secret_hook_and_keeps_its_record(
    fake_kubeconfig: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hook that is a Secret: its values masked in ``hooks[].manifest``, the rest of
    Helm's hook record (weight, delete policies) as stored."""
    seed = {
        "name": "shop-seed", "kind": "Secret", "path": "app/templates/seed.yaml",
        "manifest": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: shop-seed\n"
                    "  annotations:\n    helm.sh/hook: pre-install\n"
                    "stringData:\n  seed: seed-secret-41f7\n",
        "events": ["pre-install"], "weight": 5, "delete_policies": ["before-hook-creation"],
        "last_run": {"phase": ""},
    }  # fmt: skip
    read = HelmReleases.get_all

    def with_seed(self: HelmReleases, *args: Any, **kwargs: Any) -> dict[str, Any]:
        stored = read(self, *args, **kwargs)
        return {**stored, "hooks": [*stored.get("hooks", []), seed]}

    monkeypatch.setattr(HelmReleases, "get_all", with_seed)
    out, err = _run(capsys, fake_kubeconfig, "status", "shop", "-o", "json")
    assert "seed-secret-41f7" not in out + err
    shown = next(h for h in json.loads(out)["hooks"] if h["name"] == "shop-seed")
    assert yaml.safe_load(shown.pop("manifest"))["stringData"] == {"seed": MASK}
    assert shown == {k: v for k, v in seed.items() if k != "manifest"}
