"""The contract as Markdown (a chart README's "Secrets contract" section) and as rows.

Names, keys, formats and readers only: a contract holds no values, so
nothing here can leak one.
"""

from __future__ import annotations

from collections import Counter

from ._model import Contract, Reader, SecretRef

__all__ = ["contract_markdown", "origin", "qualified", "reader_lines"]


def qualified(name: str, namespace: str, release_namespace: str) -> str:
    """``name`` in the release's namespace, ``namespace/name`` in any other: a Secret the
    release creates in its namespace and one of that name it reads elsewhere are two."""
    return name if namespace == release_namespace else f"{namespace}/{name}"


def origin(secret: SecretRef) -> str:
    """Who makes the Secret exist: the release (how), or the operator before install."""
    if secret.required and secret.test_only:
        return "must exist before chartsafe test (helm test) only: install does not read it"
    if secret.required:
        return "must exist before install" + (" (optional)" if secret.optional else "")
    parts = []
    for creator in secret.creators:
        how = creator.ref
        if creator.hook:
            how += f" ({','.join(creator.hook.events)} hook, weight {creator.hook.weight})"
        if creator.through_api:
            how += " writes it through the API"
        parts.append(how)
    return "created by the release: " + "; ".join(parts)


_SHORT_KINDS = {
    "Deployment": "deploy",
    "StatefulSet": "sts",
    "DaemonSet": "ds",
    "CronJob": "cronjob",
    "Job": "job",
    "Pod": "pod",
}


def reader_lines(readers: list[Reader], limit: int | None = None) -> list[str]:
    """Readers (of a key, or of a whole Secret) grouped by how they read
    (``env DB_URL: deploy/api, deploy/worker``, ``envFrom: deploy/api``).

    A container is named when the workload's name does not already say it, and
    always when two containers of one workload read the same way (a Job's init
    container and its main one), so that no reader is listed twice. With ``limit``
    a group names that many readers and counts the rest: a table cell listing the
    800 workloads that share one Secret is read by nobody, and costs seconds to lay out.
    """
    groups: dict[str, list[Reader]] = {}
    for r in readers:
        how = " ".join(p for p in (r.via, r.env, r.mounted_at) if p)
        if r.hook:
            how += f" ({','.join(r.hook.events)} hook, weight {r.hook.weight})"
        if r.optional:
            how += " (optional)"
        groups.setdefault(how, []).append(r)
    lines = []
    for how, readers in groups.items():
        shared = Counter(r.workload for r in readers)
        who: list[str] = []
        seen: set[str] = set()
        for r in readers:
            name = f"{_SHORT_KINDS.get(r.kind, r.kind)}/{r.name}"
            if r.container and (shared[r.workload] > 1 or not r.name.endswith(r.container)):
                name += f"[{r.container}]"
            if name not in seen:
                seen.add(name)
                who.append(name)
        lines.append(f"{how}: {_names(who, limit)}")
    return lines


def _names(names: list[str], limit: int | None) -> str:
    if limit is None or len(names) <= limit:
        return ", ".join(names)
    return f"{', '.join(names[:limit])} and {len(names) - limit} more"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def contract_markdown(contract: Contract) -> str:
    """A Markdown section listing every Secret and key, ready to paste into a README."""
    lines = [
        "## Secrets contract",
        "",
        f"Derived by `chartsafe contract` from chart `{contract.chart}` "
        f"(release `{contract.release}`, namespace `{contract.namespace}`).",
        "",
    ]
    if not contract.secrets:
        lines += [f"This release {contract.none_listed()}.", ""]
    for secret in contract.secrets:
        lines.append(f"### `{qualified(secret.name, secret.namespace, contract.namespace)}`")
        lines.append("")
        if secret.description:
            lines += [secret.description, ""]
        how = origin(secret)
        lines.append(f"- {how[:1].upper()}{how[1:]}.")  # not capitalize(): Secret/App stays
        if secret.type:
            lines.append(f"- Type `{secret.type}`.")
        if secret.values_paths:
            paths = ", ".join(f"`{p}`" for p in secret.values_paths)
            lines.append(f"- Name set by {paths}.")
        if not secret.keys_known:
            whole = "; ".join(reader_lines(secret.whole_readers))
            lines.append(f"- Keys unknown: read whole by {whole}; declare them in Chart.yaml.")
        lines.append("")
        if secret.keys:
            lines += ["| Key | Format | Read by | Notes |", "| --- | --- | --- | --- |"]
            for key in sorted(secret.keys.values(), key=lambda k: k.name):
                notes = key.description + (" (optional)" if key.optional else "")
                readers = "<br>".join(_cell(r) for r in reader_lines(key.readers))
                lines.append(
                    f"| `{_cell(key.name)}` | {_cell(key.format)} | {readers} | {_cell(notes)} |"
                )
            lines.append("")
    if contract.config_maps:
        lines += ["### ConfigMaps it reads and does not create", "",
                  "| ConfigMap | Keys | Read by |", "| --- | --- | --- |"]  # fmt: skip
        for need in contract.config_maps:
            keys = ", ".join(_cell(k) for k in need.key_words)
            where = qualified(need.name, need.namespace, contract.namespace)
            name = f"`{_cell(where)}`" + (" (optional)" if need.optional else "")
            lines.append(f"| {name} | {keys} | {'<br>'.join(_cell(r) for r in need.readers)} |")
        lines.append("")
    if contract.findings:
        lines += ["### Hazards", ""]
        lines += [f"- **{f.rule}**: {_cell(f.message)}" for f in contract.findings]
        lines.append("")
    return "\n".join(lines)
