"""Values files that carry Kubernetes' env form, a list of ``{name, value}`` mappings (``env``,
``extraEnv``, ``extraEnvVars``...): ``audit --files`` judges each value by its name, as the
rendered pod would be judged, and never reports a reference."""

from __future__ import annotations

from pathlib import Path

import pytest
from audit_helpers import DATA

from chartsafe import ValuesInput
from chartsafe.audit import audit_files

SECRET = "envLEAKpass9x"

# (id, values file, rule, "values path (env name)" the finding starts with, or None when
# the rule must not report anything)
CASES: list[tuple[str, str, str, str | None]] = [
    ("env literal password", f"env:\n  - name: DB_PASSWORD\n    value: {SECRET}\n",
     "credential-in-values", "env[0].value (DB_PASSWORD)"),
    ("quoted, in extraEnv", f'extraEnv:\n  - name: LOG\n    value: x\n  - name: API_TOKEN\n'
     f'    value: "{SECRET}"\n', "credential-in-values", "extraEnv[1].value (API_TOKEN)"),
    ("nested extraEnvVars", f"worker:\n  extraEnvVars:\n    - {{name: STRIPE_API_KEY, "
     f"value: {SECRET}}}\n", "credential-in-values",
     "worker.extraEnvVars[0].value (STRIPE_API_KEY)"),
    ("valueFrom secretKeyRef", "env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef:"
     "\n        name: app\n        key: password\n", "credential-in-values", None),
    ("SOPS ENC value", "env:\n  - name: DB_PASSWORD\n    value: ENC[AES256_GCM,data:Zm9v,"
     "iv:YmFy,tag:YmF6,type:str]\n", "credential-in-values", None),
    ("ref+ reference", "env:\n  - name: DB_PASSWORD\n    value: ref+awssecrets://prod/app#/pw\n",
     "credential-in-values", None),
    ("a file path", "env:\n  - name: DB_PASSWORD_FILE\n    value: /run/secrets/db/password\n",
     "credential-in-values", None),
    ("existingSecret: name", "env:\n  - name: existingSecret\n    value: app-secrets\n",
     "credential-in-values", None),
    ("not a credential name", f"env:\n  - name: LOG_FORMAT\n    value: {SECRET}\n",
     "credential-in-values", None),
    ("dangerous flag in a value", "env:\n  - name: DB_PASSWORD\n    value: x\n  - name: "
     "CLAUDE_ARGS\n    value: --dangerously-skip-permissions\n", "dangerous-flag",
     "env[1].value (CLAUDE_ARGS)"),
    ("dangerous env name on", "extraEnv:\n  - name: CLAUDE_DANGEROUSLY_SKIP_PERMISSIONS\n"
     "    value: 'true'\n", "dangerous-flag",
     "extraEnv[0].value (CLAUDE_DANGEROUSLY_SKIP_PERMISSIONS)"),
    ("password flag in an args list", f"args:\n  - --port=80\n  - --db-password={SECRET}\n",
     "credential-in-values", "args[1]"),
    ("token flag and its value as two items", f"extraArgs: [--verbose, --api-token, {SECRET}]\n",
     "credential-in-values", "extraArgs[2]"),
    ("a flag that reads an env var", "args: ['--db-password=$(DB_PASSWORD)']\n",
     "credential-in-values", None),
    ("a flag that names a file", "args: [--password-file, /run/secrets/db]\n",
     "credential-in-values", None),
    ("dangerous flag in an args list", "args:\n  - --port=80\n  - --dangerously-skip-permissions"
     "\n", "dangerous-flag", "args[1]"),
    ("placeholder in an env list", "extraEnv:\n  - name: DB_PASSWORD\n    value: changeme\n",
     "placeholder-credential", "extraEnv[0].value (DB_PASSWORD)"),
    ("placeholder under a plain name", "extraEnv:\n  - name: LOG_LEVEL\n    value: changeme\n",
     "placeholder-credential", None),
    ("dangerous env name off", "extraEnv:\n  - name: CLAUDE_DANGEROUSLY_SKIP_PERMISSIONS\n"
     "    value: 'false'\n", "dangerous-flag", None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "rule", "named"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_env_lists_in_values_files(text: str, rule: str, named: str | None, tmp_path: Path) -> None:
    values = tmp_path / "values.yaml"
    values.write_text(text)
    result = audit_files([values], profile="production")
    found = [f for f in result.findings if f.rule == rule]
    if named is None:
        assert found == []
        return
    path = named.split(" ")[0]
    assert [(f.file, f.values_path) for f in found] == [(str(values), path)]
    (finding,) = found
    assert finding.message.startswith(named + " ")
    assert finding.line is not None
    # the line of the item's value, or of the argument list's item
    assert ("value" if path.endswith(".value") else "--") in text.splitlines()[finding.line - 1]
    assert SECRET not in finding.message


def test_with_a_chart_the_rendered_pod_reports_the_flag_once(tmp_path: Path) -> None:
    """The chart puts ``env`` into its pod: credential-in-values for the committed file, and
    the flag once, on the object that runs with it."""
    from chartsafe.audit import audit_chart

    values = tmp_path / "v.yaml"
    values.write_text(
        f"env:\n  - name: DB_PASSWORD\n    value: {SECRET}\n"
        "  - name: CLAUDE_ARGS\n    value: --dangerously-skip-permissions\n"
    )
    chart = DATA.parents[2] / "charts" / "agentapi-proxy"
    result = audit_chart(chart, ValuesInput(files=[values]))
    where = {(f.rule, f.values_path or f.obj) for f in result.findings}
    assert ("credential-in-values", "env[0].value") in where
    assert [f.obj for f in result.findings if f.rule == "dangerous-flag"] == [
        "StatefulSet/release-name-agentapi-proxy"
    ]
