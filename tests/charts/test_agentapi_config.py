"""agentapi-proxy: application configuration, S3 keys, role env files and the seed's examples.

The proxy reads AGENTAPI_* variables (APPS.md section 4); the chart puts them in the
ConfigMap <fullname>-config, read through envFrom. Credentials never go there.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from chart_render import CHARTS, REPO, Rendered, render, render_error
from test_agentapi_params import CHART, FULLNAME, container, pod, workload

DATA = REPO / "tests" / "data" / "agentapi-proxy"
EXAMPLES = CHARTS / CHART / "examples"
ROLE_EXAMPLE = CHARTS / CHART / "values-role-env-example.yaml"
ON = "config.persistence.enabled=true"
S3 = [
    "config.persistence.enabled=true",
    "config.persistence.backend=s3",
    "config.persistence.s3.bucket=b",
]


def config(r: Rendered) -> dict[str, str]:
    data: dict[str, str] = r.get("ConfigMap", f"{FULLNAME}-config")["data"]
    return data


def env_names(r: Rendered) -> list[str]:
    return [e["name"] for e in container(r).get("env", [])]


def projected(r: Rendered) -> list[tuple[str, str, str]]:
    """(file name, Secret, key) for each file of the role env files volume."""
    (vol,) = [v for v in pod(r)["spec"].get("volumes", []) if v["name"] == "role-env-files"]
    return [
        (item["path"], src["secret"]["name"], item["key"])
        for src in vol["projected"]["sources"]
        for item in src["secret"]["items"]
    ]


# (parameter, --set, entries the ConfigMap must hold, entries it must not hold)
CONFIG_ROWS: list[tuple[str, list[str], dict[str, str], list[str]]] = [
    ("config.startPort", ["config.startPort=9100"], {"AGENTAPI_START_PORT": "9100"}, []),
    (
        "config.enableMultipleUsers",
        ["config.enableMultipleUsers=true"],
        {"AGENTAPI_ENABLE_MULTIPLE_USERS": "true"},
        [],
    ),
    (
        "config.persistence.enabled",
        [ON],
        {
            "AGENTAPI_PERSISTENCE_ENABLED": "true",
            "AGENTAPI_PERSISTENCE_BACKEND": "file",
            "AGENTAPI_PERSISTENCE_FILE_PATH": "./sessions.json",
            "AGENTAPI_PERSISTENCE_SYNC_INTERVAL_SECONDS": "30",
            "AGENTAPI_PERSISTENCE_ENCRYPT_SENSITIVE_DATA": "true",
            "AGENTAPI_PERSISTENCE_SESSION_RECOVERY_MAX_AGE_HOURS": "24",
        },
        ["AGENTAPI_PERSISTENCE_S3_BUCKET"],
    ),
    (
        "config.persistence.backend",
        [ON, "config.persistence.backend=memory"],
        {"AGENTAPI_PERSISTENCE_BACKEND": "memory"},
        ["AGENTAPI_PERSISTENCE_FILE_PATH", "AGENTAPI_PERSISTENCE_S3_BUCKET"],
    ),
    (
        "config.persistence.filePath",
        [ON, "config.persistence.filePath=/home/agentapi/workdir/s.json"],
        {"AGENTAPI_PERSISTENCE_FILE_PATH": "/home/agentapi/workdir/s.json"},
        [],
    ),
    (
        "config.persistence.syncIntervalSeconds",
        [ON, "config.persistence.syncIntervalSeconds=5"],
        {"AGENTAPI_PERSISTENCE_SYNC_INTERVAL_SECONDS": "5"},
        [],
    ),
    (
        "config.persistence.encryptSensitiveData",
        [ON, "config.persistence.encryptSensitiveData=false"],
        {"AGENTAPI_PERSISTENCE_ENCRYPT_SENSITIVE_DATA": "false"},
        [],
    ),
    (
        "config.persistence.sessionRecoveryMaxAgeHours",
        [ON, "config.persistence.sessionRecoveryMaxAgeHours=72"],
        {"AGENTAPI_PERSISTENCE_SESSION_RECOVERY_MAX_AGE_HOURS": "72"},
        [],
    ),
    (
        "config.persistence.s3.bucket",
        S3,
        {
            "AGENTAPI_PERSISTENCE_BACKEND": "s3",
            "AGENTAPI_PERSISTENCE_S3_BUCKET": "b",
            "AGENTAPI_PERSISTENCE_S3_REGION": "us-east-1",
            "AGENTAPI_PERSISTENCE_S3_PREFIX": "sessions/",
        },
        ["AGENTAPI_PERSISTENCE_FILE_PATH", "AGENTAPI_PERSISTENCE_S3_ENDPOINT"],
    ),
    (
        "config.persistence.s3.region",
        [*S3, "config.persistence.s3.region=eu-west-1"],
        {"AGENTAPI_PERSISTENCE_S3_REGION": "eu-west-1"},
        [],
    ),
    (
        "config.persistence.s3.prefix",
        [*S3, "config.persistence.s3.prefix=agentapi/"],
        {"AGENTAPI_PERSISTENCE_S3_PREFIX": "agentapi/"},
        [],
    ),
    (
        "config.persistence.s3.endpoint",
        [*S3, "config.persistence.s3.endpoint=http://minio:9000"],
        {"AGENTAPI_PERSISTENCE_S3_ENDPOINT": "http://minio:9000"},
        [],
    ),
    ("config.auth.enabled", ["config.auth.enabled=true"], {"AGENTAPI_AUTH_ENABLED": "true"}, []),
    (
        "config.roleEnvFiles",
        [
            "config.roleEnvFiles.enabled=true",
            "config.roleEnvFiles.path=/etc/roles",
            "config.roleEnvFiles.loadDefault=false",
        ],
        {
            "AGENTAPI_ROLE_ENV_FILES_ENABLED": "true",
            "AGENTAPI_ROLE_ENV_FILES_PATH": "/etc/roles",
            "AGENTAPI_ROLE_ENV_FILES_LOAD_DEFAULT": "false",
        },
        [],
    ),
]


@pytest.mark.parametrize(
    ("param", "sets", "present", "absent"), CONFIG_ROWS, ids=[row[0] for row in CONFIG_ROWS]
)
def test_config_row(
    param: str, sets: list[str], present: dict[str, str], absent: list[str]
) -> None:
    data = config(render(CHART, set=sets))
    assert {k: data.get(k) for k in present} == present
    assert [k for k in absent if k in data] == []


def test_start_port_is_the_agentapi_container_port() -> None:
    r = render(CHART, set=["config.startPort=9100"])
    ports = {p["name"]: p["containerPort"] for p in container(r)["ports"]}
    assert ports == {"http": 8080, "agentapi-start": 9100}


# --- S3 keys: only ever in a Secret ------------------------------------------------------

ACCESS, SECRET = "AKIAEXAMPLEACCESSKEY", "wJalrXUtnFEMI-example-secret-key"


def test_inline_s3_keys_land_only_in_the_chart_secret() -> None:
    r = render(CHART, DATA / "s3-keys.yaml")
    secret = r.get("Secret", f"{FULLNAME}-s3")
    decoded = {k: base64.b64decode(v).decode() for k, v in secret["data"].items()}
    assert decoded == {"access-key": ACCESS, "secret-key": SECRET}
    for obj in r.objects:
        if obj["kind"] != "Secret":
            text = json.dumps(obj)
            assert ACCESS not in text and SECRET not in text, obj["kind"]
    refs = {
        e["name"]: e["valueFrom"]["secretKeyRef"]
        for e in container(r)["env"]
        if e["name"].startswith("AGENTAPI_PERSISTENCE_S3_")
    }
    assert refs == {
        "AGENTAPI_PERSISTENCE_S3_ACCESS_KEY": {"name": f"{FULLNAME}-s3", "key": "access-key"},
        "AGENTAPI_PERSISTENCE_S3_SECRET_KEY": {"name": f"{FULLNAME}-s3", "key": "secret-key"},
    }
    assert config(r)["AGENTAPI_PERSISTENCE_S3_ENDPOINT"] == "http://minio.storage.svc:9000"
    # a key change rolls the pods
    assert "checksum/s3-secret" in pod(r)["metadata"]["annotations"]


def test_s3_keys_from_an_existing_secret() -> None:
    r = render(
        CHART,
        DATA / "s3.yaml",
        set=["config.persistence.s3.existingSecret=agentapi-s3-credentials"],
    )
    assert r.all("Secret") == []
    refs = [e["valueFrom"]["secretKeyRef"] for e in container(r)["env"]]
    assert refs == [
        {"name": "agentapi-s3-credentials", "key": "access-key"},
        {"name": "agentapi-s3-credentials", "key": "secret-key"},
    ]


def test_s3_keys_are_ignored_by_other_backends() -> None:
    r = render(CHART, DATA / "s3-keys.yaml", set=["config.persistence.backend=file"])
    assert r.all("Secret") == []
    assert "env" not in container(r)
    assert ACCESS not in json.dumps(r.objects)


# --- Seed examples --------------------------------------------------------------------


def test_basic_installation() -> None:
    """helm install agentapi-proxy ./helm/agentapi-proxy: pods agentapi-proxy-N, PVCs
    data-agentapi-proxy-N (the seed's troubleshooting names), /health probes."""
    r = render(CHART, name="agentapi-proxy")
    sts = r.get("StatefulSet", "agentapi-proxy")
    assert sts["spec"]["serviceName"] == "agentapi-proxy-headless"
    assert r.get("Service", "agentapi-proxy-headless")["spec"]["clusterIP"] == "None"
    assert [t["metadata"]["name"] for t in sts["spec"]["volumeClaimTemplates"]] == ["data"]
    c = sts["spec"]["template"]["spec"]["containers"][0]
    assert c["volumeMounts"] == [{"name": "data", "mountPath": "/home/agentapi/workdir"}]
    assert c["livenessProbe"] == {
        "httpGet": {"path": "/health", "port": "http"},
        "initialDelaySeconds": 30,
        "periodSeconds": 10,
    }
    assert c["readinessProbe"] == {
        "httpGet": {"path": "/health", "port": "http"},
        "initialDelaySeconds": 10,
        "periodSeconds": 5,
    }
    assert {p["name"]: p["containerPort"] for p in c["ports"]} == {
        "http": 8080,
        "agentapi-start": 9000,
    }
    assert "command" not in c and "args" not in c  # the image's entrypoint and CMD run


def test_custom_values_scale_with_one_volume_per_replica() -> None:
    r = render(CHART, set=["image.tag=latest", "replicaCount=2", "persistence.size=20Gi"])
    sts = r.get("StatefulSet", FULLNAME)
    assert sts["spec"]["replicas"] == 2
    assert container(r)["image"] == "ghcr.io/takutakahashi/agentapi-proxy:latest"
    # one template: the controller makes one PVC from it for each of the 2 replicas
    (vct,) = sts["spec"]["volumeClaimTemplates"]
    assert vct["spec"]["resources"] == {"requests": {"storage": "20Gi"}}
    assert r.all("PersistentVolumeClaim") == []


def test_ingress_with_tls() -> None:
    spec = render(CHART, DATA / "ingress-tls.yaml").get("Ingress", FULLNAME)["spec"]
    assert spec["ingressClassName"] == "nginx"
    assert spec["tls"] == [{"secretName": "agentapi-tls", "hosts": ["agentapi.yourdomain.com"]}]
    assert [rule["host"] for rule in spec["rules"]] == ["agentapi.yourdomain.com"]


def test_env_and_env_from() -> None:
    c = container(render(CHART, DATA / "env.yaml"))
    assert c["env"] == [{"name": "CLAUDE_ARGS", "value": "--dangerously-skip-permissions"}]
    assert c["envFrom"] == [
        {"configMapRef": {"name": f"{FULLNAME}-config"}},
        {"secretRef": {"name": "agentapi-secrets"}},
        {"configMapRef": {"name": "agentapi-config"}},
    ]


def test_s3_persistence_with_irsa() -> None:
    r = render(CHART, DATA / "s3.yaml")
    sa = r.get("ServiceAccount", FULLNAME)
    assert sa["metadata"]["annotations"] == {
        "eks.amazonaws.com/role-arn": "arn:aws:iam::ACCOUNT-ID:role/agentapi-s3-role"
    }
    assert pod(r)["spec"]["serviceAccountName"] == FULLNAME
    assert r.all("Secret") == []
    assert "env" not in container(r)  # no keys: the AWS SDK takes the role's credentials
    data = config(r)
    assert data["AGENTAPI_PERSISTENCE_S3_BUCKET"] == "agentapi-sessions"
    assert data["AGENTAPI_PERSISTENCE_S3_REGION"] == "us-west-2"


ROLE_FILES = [
    ("admin.env", "agentapi-env-admin", "admin.env"),
    ("database.env", "db-config-secret", "production.env"),
    ("default.env", "agentapi-env-default", "default.env"),
    ("developer.env", "agentapi-env-developer", "developer.env"),
    ("user.env", "agentapi-env-user", "user.env"),
]
FLEXIBLE_FILES = [
    ("admin.env", "admin-secrets", "admin-config"),
    ("api-keys.env", "third-party-secrets", "api-credentials"),
    ("database.env", "db-config", "production.env"),
    ("default.env", "common-config", "default.env"),
    ("monitoring.env", "observability-config", "metrics.env"),
]


@pytest.mark.parametrize(
    ("values", "files"),
    [
        (DATA / "role-env.yaml", ROLE_FILES),
        (ROLE_EXAMPLE, ROLE_FILES),
        (DATA / "role-env-flexible.yaml", FLEXIBLE_FILES),
    ],
    ids=["role-env", "values-role-env-example", "flexible-file-mapping"],
)
def test_role_env_files_one_projected_volume(values: Path, files: list[Any]) -> None:
    r = render(CHART, values)
    assert sorted(projected(r)) == files
    mount = [m for m in container(r)["volumeMounts"] if m["name"] == "role-env-files"]
    assert mount == [
        {"name": "role-env-files", "mountPath": "/etc/role-env-files", "readOnly": True}
    ]


def test_role_env_files_follow_config_path() -> None:
    r = render(CHART, DATA / "role-env.yaml", set=["config.roleEnvFiles.path=/etc/roles"])
    (mount,) = [m for m in container(r)["volumeMounts"] if m["name"] == "role-env-files"]
    assert mount["mountPath"] == "/etc/roles"
    assert config(r)["AGENTAPI_ROLE_ENV_FILES_PATH"] == "/etc/roles"


def test_role_env_files_off_by_default() -> None:
    r = render(CHART, DATA / "role-env.yaml", set=["roleEnvFiles.enabled=false"])
    assert "volumes" not in pod(r)["spec"]
    assert [m["name"] for m in container(r)["volumeMounts"]] == ["data"]


def test_complete_values_file_persistence() -> None:
    r = render(CHART, EXAMPLES / "values-file-persistence.yaml")
    sts = r.get("StatefulSet", FULLNAME)
    assert sts["spec"]["replicas"] == 2
    (vct,) = sts["spec"]["volumeClaimTemplates"]
    assert vct["spec"]["resources"]["requests"]["storage"] == "20Gi"
    assert r.get("Service", FULLNAME)["spec"]["type"] == "LoadBalancer"
    assert r.get("Ingress", FULLNAME)["spec"]["rules"][0]["host"] == "agentapi.example.com"
    c = container(r)
    assert c["image"].endswith(":1.23.0")
    assert c["resources"] == {
        "requests": {"memory": "1Gi", "cpu": "1000m"},
        "limits": {"memory": "4Gi", "cpu": "4000m"},
    }
    assert {"secretRef": {"name": "agentapi-secrets"}} in c["envFrom"]
    data = config(r)
    assert data["AGENTAPI_PERSISTENCE_BACKEND"] == "file"
    assert data["AGENTAPI_PERSISTENCE_FILE_PATH"] == "./sessions.json"  # in the volume's workdir


def test_complete_values_s3_with_irsa() -> None:
    r = render(CHART, EXAMPLES / "values-s3-irsa.yaml")
    assert r.all("StatefulSet") == []
    dep = r.get("Deployment", FULLNAME)
    assert dep["spec"]["replicas"] == 1
    assert r.get("ServiceAccount", FULLNAME)["metadata"]["annotations"] == {
        "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/agentapi-s3-role"
    }
    assert r.all("Secret") == []
    assert env_names(r) == ["CLAUDE_ARGS"]
    assert config(r)["AGENTAPI_PERSISTENCE_S3_BUCKET"] == "my-agentapi-sessions"


def test_probes_can_be_overridden() -> None:
    r = render(
        CHART,
        set=["livenessProbe.initialDelaySeconds=60", "readinessProbe.httpGet.path=/ready"],
    )
    c = container(r)
    assert c["livenessProbe"]["initialDelaySeconds"] == 60
    assert c["readinessProbe"]["httpGet"] == {"path": "/ready", "port": "http"}


def test_config_change_rolls_the_pods() -> None:
    def checksum(*sets: str) -> str:
        annotations = pod(render(CHART, set=list(sets)))["metadata"]["annotations"]
        return str(annotations["checksum/config"])

    assert checksum() != checksum("config.auth.enabled=true")


def test_persistence_toggles_the_workload_kind() -> None:
    assert workload(render(CHART))["kind"] == "StatefulSet"
    assert workload(render(CHART, set=["persistence.enabled=false"]))["kind"] == "Deployment"


@pytest.mark.parametrize(
    ("sets", "message"),
    [
        (
            ["config.persistence.enabled=true", "config.persistence.backend=s3"],
            "config.persistence.s3.bucket is required",
        ),
        ([*S3, "config.persistence.s3.accessKey=AKIA"], "must be set together"),
        (["roleEnvFiles.enabled=true"], "roleEnvFiles.enabled needs at least one entry"),
        (["roleEnvFiles.enabled=true", "roleEnvFiles.files.a\\.env.key=k"], "secretName"),
        (["config.persistence.backend=redis"], "backend"),
        (["persistence.storageClassName=gp3", "persistence.size=lots"], "size"),
    ],
    ids=["s3-no-bucket", "s3-half-keys", "role-no-files", "role-no-secret", "backend", "size"],
)
def test_invalid_settings_fail_with_one_line(sets: list[str], message: str) -> None:
    error = render_error(CHART, set=sets)
    assert message in error
    assert "\n" not in error
