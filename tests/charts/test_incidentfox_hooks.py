"""incidentfox: the migration Jobs and the order of the pre-install/pre-upgrade hooks.

The migrations are hooks, so they run before the release's regular objects exist. The Secrets
they read are either delivered by ESO in the same release, or must exist beforehand. For the
ESO case the chart makes the ExternalSecrets hooks of a lower weight and puts a Job between
them and the migrations that waits until every ExternalSecret is Ready (an ExternalSecret hook
alone is "ready" for Helm as soon as it is created, not when its Secret is synced).
The proof below replays Helm's hook order (weight, then name) on the rendered objects.
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from chart_render import CHARTS, REPO, Rendered, render

CHART = "incidentfox"
PILOT = CHARTS / CHART / "values.pilot.yaml"
PROD = CHARTS / CHART / "values.prod.yaml"
DATA = Path(__file__).resolve().parents[1] / "data" / "incidentfox"
ES_KIND = "externalsecrets.external-secrets.io/"
HOOK_EVENTS = ("pre-install", "pre-upgrade")

# Every documented setup: profiles, the seed's blocks, Secrets delivered without ESO.
SETUPS = {
    "default": (),
    "pilot": (PILOT,),
    "prod": (PROD,),
    "preexisting": (DATA / "secrets-preexisting.yaml",),
    "ai-pipeline": (DATA / "ai-pipeline.yaml",),
    "static-team-token": (DATA / "seed-static-team-token.yaml",),
    "web-ui-oidc": (DATA / "seed-admin-rbac.yaml", DATA / "seed-web-ui-oidc.yaml"),
    "prod-ai-pipeline": (PROD, DATA / "ai-pipeline.yaml"),
}


@functools.cache
def rel(*values: Path, upgrade: bool = False) -> Rendered:
    return render(CHART, *values, name="incidentfox", namespace="incidentfox", is_upgrade=upgrade)


def annotations(obj: dict[str, Any]) -> dict[str, str]:
    return dict(obj["metadata"].get("annotations") or {})


def events(obj: dict[str, Any]) -> set[str]:
    return {e.strip() for e in annotations(obj).get("helm.sh/hook", "").split(",") if e.strip()}


def weight(obj: dict[str, Any]) -> int:
    return int(annotations(obj).get("helm.sh/hook-weight", "0"))


def delete_policy(obj: dict[str, Any]) -> set[str]:
    text = annotations(obj).get("helm.sh/hook-delete-policy", "before-hook-creation")
    return {p.strip() for p in text.split(",")}


def hook_sequence(r: Rendered, event: str) -> list[dict[str, Any]]:
    """The hooks of ``event`` in the order Helm runs them: by weight, ties by name."""
    hooks = [o for o in r.objects if event in events(o)]
    return sorted(hooks, key=lambda o: (weight(o), o["metadata"]["name"]))


def containers(obj: dict[str, Any]) -> list[dict[str, Any]]:
    spec = obj["spec"]["template"]["spec"]
    return list(spec.get("initContainers", [])) + list(spec["containers"])


def secrets_read(obj: dict[str, Any]) -> set[str]:
    """Secrets a pod template reads: env, envFrom, volumes, image pull secrets."""
    spec = obj["spec"]["template"]["spec"]
    names = {p["name"] for p in spec.get("imagePullSecrets", [])}
    for c in containers(obj):
        for e in c.get("env", []):
            if ref := e.get("valueFrom", {}).get("secretKeyRef"):
                names.add(ref["name"])
        names |= {f["secretRef"]["name"] for f in c.get("envFrom", []) if "secretRef" in f}
    for v in spec.get("volumes", []):
        if "secret" in v:
            names.add(v["secret"]["secretName"])
        for src in v.get("projected", {}).get("sources", []):
            if "secret" in src:
                names.add(src["secret"]["name"])
    return names


def waits_for_ready(job: dict[str, Any]) -> set[str]:
    """ExternalSecrets a Job waits for with `kubectl wait --for=condition=Ready`."""
    found: set[str] = set()
    if job["kind"] != "Job":
        return found
    for c in containers(job):
        args = list(c.get("command", [])) + list(c.get("args", []))
        if "wait" in args and "--for=condition=Ready" in args:
            found |= {a.removeprefix(ES_KIND) for a in args if a.startswith(ES_KIND)}
    return found


def created_as_regular(r: Rendered) -> set[str]:
    """Secrets the release creates as regular (non-hook) objects, directly or through ESO."""
    regular = [o for o in r.objects if not events(o)]
    return {o["metadata"]["name"] for o in regular if o["kind"] == "Secret"} | {
        o["spec"]["target"]["name"] for o in regular if o["kind"] == "ExternalSecret"
    }


# --- the migration Jobs ----------------------------------------------------------------------

MIGRATIONS = [  # (Job, weight, command, Secret keys read as env)
    (
        "incidentfox-config-service-migrate",
        0,
        ["alembic", "upgrade", "head"],
        {
            "DATABASE_URL": ("incidentfox-database-url", "DATABASE_URL"),
            "ADMIN_TOKEN": ("incidentfox-config-service", "ADMIN_TOKEN"),
            "TOKEN_PEPPER": ("incidentfox-config-service", "TOKEN_PEPPER"),
        },
    ),
    (
        "incidentfox-orchestrator-migrate",
        10,
        ["python3", "-m", "incidentfox_orchestrator.db_migrate"],
        {"DATABASE_URL": ("incidentfox-database-url", "DATABASE_URL")},
    ),
    (
        "incidentfox-ai-pipeline-migrate",
        20,
        ["python3", "scripts/db_migrate.py"],
        {"DATABASE_URL": ("incidentfox-database-url", "DATABASE_URL")},
    ),
]


@pytest.mark.parametrize(("name", "hook_weight", "command", "secret_env"), MIGRATIONS)
def test_migration_job(
    name: str, hook_weight: int, command: list[str], secret_env: dict[str, Any]
) -> None:
    job = rel(DATA / "ai-pipeline.yaml").get("Job", name)
    assert events(job) == set(HOOK_EVENTS)
    assert weight(job) == hook_weight
    # Re-runs replace the previous Job; a succeeded one is cleaned up.
    assert delete_policy(job) == {"before-hook-creation", "hook-succeeded"}
    assert annotations(job)["helm.sh/hook-output-log-policy"] == "hook-failed"
    (c,) = containers(job)
    assert c["command"] == command
    refs = {
        e["name"]: (e["valueFrom"]["secretKeyRef"]["name"], e["valueFrom"]["secretKeyRef"]["key"])
        for e in c["env"]
        if "secretKeyRef" in e.get("valueFrom", {})
    }
    assert refs == secret_env
    assert job["spec"]["backoffLimit"] == 3
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"


def test_orchestrator_migration_gets_real_service_urls() -> None:
    (c,) = containers(rel().get("Job", "incidentfox-orchestrator-migrate"))
    urls = {e["name"]: e["value"] for e in c["env"] if "value" in e}
    assert urls == {
        "CONFIG_SERVICE_URL": "http://incidentfox-config-service.incidentfox.svc.cluster.local:8080",
        "AI_PIPELINE_API_URL": "http://incidentfox-ai-pipeline.incidentfox.svc.cluster.local:8090",
        "AGENT_API_URL": "http://incidentfox-agent.incidentfox.svc.cluster.local:8080",
    }


@pytest.mark.parametrize(
    ("values", "sets", "jobs"),
    [
        ((), (), ["incidentfox-config-service-migrate", "incidentfox-orchestrator-migrate"]),
        (
            (DATA / "ai-pipeline.yaml",),
            (),
            [
                "incidentfox-config-service-migrate",
                "incidentfox-orchestrator-migrate",
                "incidentfox-ai-pipeline-migrate",
            ],
        ),
        ((), ("migrations.enabled=false",), []),
    ],
    ids=["default", "ai-pipeline", "disabled"],
)
def test_migrations_run_in_weight_order(
    values: tuple[Path, ...], sets: tuple[str, ...], jobs: list[str]
) -> None:
    r = render(CHART, *values, set=sets, name="incidentfox", namespace="incidentfox")
    for event in HOOK_EVENTS:
        order = [o["metadata"]["name"] for o in hook_sequence(r, event)]
        assert [n for n in order if n.endswith("-migrate")] == jobs
    weights = [weight(r.get("Job", j)) for j in jobs]
    assert weights == sorted(set(weights)), "distinct, ascending weights"


# --- the Secrets the hooks read exist before they run -----------------------------------------


def made_by_external_secret(r: Rendered, secret: str) -> bool:
    return any(es["spec"]["target"]["name"] == secret for es in r.all("ExternalSecret"))


def makes(obj: dict[str, Any], secret: str) -> bool:
    return obj["kind"] == "ExternalSecret" and obj["spec"]["target"]["name"] == secret


@pytest.mark.parametrize("event", HOOK_EVENTS)
@pytest.mark.parametrize("setup", SETUPS)
def test_every_secret_a_hook_reads_exists_when_it_runs(setup: str, event: str) -> None:
    """For each hook Job reading a Secret the release creates: an ExternalSecret hook of a
    lower weight creates it, and a Job of a weight in between waits until it is Ready."""
    r = rel(*SETUPS[setup], upgrade=event == "pre-upgrade")
    seq = hook_sequence(r, event)
    readers = [(i, o) for i, o in enumerate(seq) if o["kind"] == "Job" and secrets_read(o)]
    assert readers, "the migrations are hooks that read Secrets"
    for i, job in readers:
        assert not secrets_read(job) & created_as_regular(r)
        for secret in secrets_read(job):
            if not made_by_external_secret(r, secret):
                continue  # not created by the release: must exist before install (check)
            maker = next((j for j in range(i) if makes(seq[j], secret)), None)
            assert maker is not None, f"{secret} is made after {job['metadata']['name']} runs"
            waiter = next(
                (j for j in range(maker + 1, i) if secret in waits_for_ready(seq[j])), None
            )
            assert waiter is not None, f"nothing waits for {secret} to sync"
            assert weight(seq[maker]) < weight(seq[waiter]) < weight(job)


@pytest.mark.parametrize("setup", SETUPS)
def test_wait_job_waits_for_every_external_secret_with_the_rights_it_needs(setup: str) -> None:
    r = rel(*SETUPS[setup])
    targets = {es["metadata"]["name"] for es in r.all("ExternalSecret")}
    name = "incidentfox-wait-for-secrets"
    if not targets:
        assert name not in r.names("Job") + r.names("Role") + r.names("ServiceAccount")
        return
    job = r.get("Job", name)
    assert waits_for_ready(job) == targets
    assert delete_policy(job) == {"before-hook-creation", "hook-succeeded"}
    role, binding = r.get("Role", name), r.get("RoleBinding", name)
    sa = r.get("ServiceAccount", name)
    get_rule = next(rule for rule in role["rules"] if "get" in rule["verbs"])
    assert get_rule["apiGroups"] == ["external-secrets.io"]
    assert set(get_rule["resourceNames"]) == targets
    assert binding["roleRef"]["name"] == name
    assert binding["subjects"] == [
        {"kind": "ServiceAccount", "name": name, "namespace": "incidentfox"}
    ]
    assert job["spec"]["template"]["spec"]["serviceAccountName"] == name
    for event in HOOK_EVENTS:
        for rbac in (sa, role, binding):
            assert event in events(rbac)
            assert weight(rbac) < weight(job)
            assert max(weight(es) for es in r.all("ExternalSecret")) < weight(job)


@pytest.mark.parametrize("setup", SETUPS)
def test_external_secrets_are_hooks_that_keep_their_secret(setup: str) -> None:
    for es in rel(*SETUPS[setup]).all("ExternalSecret"):
        assert events(es) == set(HOOK_EVENTS)
        # Never deleted after success (that would stop the sync); replaced on upgrade, and
        # Orphan keeps the synced Secret for the running pods meanwhile.
        assert delete_policy(es) == {"before-hook-creation"}
        assert es["spec"]["target"]["creationPolicy"] == "Orphan"


def test_without_eso_no_hook_creates_a_secret() -> None:
    r = rel(*SETUPS["preexisting"])
    assert not r.all("ExternalSecret") and not r.all("Secret")
    assert {s for o in r.all("Job") for s in secrets_read(o)} == {
        "incidentfox-database-url",
        "incidentfox-config-service",
    }


# --- chartsafe contract ------------------------------------------------------------------------


def _chartsafe(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "chartsafe", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )


def _secret_names(doc: Any) -> set[str]:
    """Names of the Secrets in `contract -o json`: every object with a name and keys."""
    if isinstance(doc, dict):
        here = {doc["name"]} if isinstance(doc.get("name"), str) and "keys" in doc else set()
        return here | {n for v in doc.values() for n in _secret_names(v)}
    if isinstance(doc, list):
        return {n for v in doc for n in _secret_names(v)}
    return set()


CONTRACT = {"incidentfox-database-url", "incidentfox-config-service", "incidentfox-openai"}


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("pilot", CONTRACT | {"incidentfox-registry"}),
        ("prod", CONTRACT | {"incidentfox-registry", "incidentfox-web-ui-oidc"}),
        ("default", CONTRACT),
        ("preexisting", CONTRACT),
    ],
)
def test_chartsafe_contract_lists_the_contract_without_hook_hazard(
    setup: str, expected: set[str]
) -> None:
    if _chartsafe("contract", "--help").returncode != 0:
        pytest.skip("`chartsafe contract` is not available yet")
    files = [a for f in SETUPS[setup] for a in ("-f", str(f))]
    done = _chartsafe(
        "contract",
        "incidentfox",
        str(CHARTS / CHART),
        "-n",
        "incidentfox",
        *files,
        "--strict",
        "-o",
        "json",
    )
    assert done.returncode == 0, done.stderr
    assert _secret_names(json.loads(done.stdout)) == expected
