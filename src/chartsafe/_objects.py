"""Rendered objects: what Helm's engine produced, parsed, with where each came from.

Each :class:`K8sObject` keeps its raw text (so ``template`` prints exactly what
Helm printed), its parsed body, the template it came from and its hook data.
Documents are split (``_rendered``) and ordered (``sort_for_install``) the way Helm
does before it installs (files by path, documents in file order, then a stable sort by
kind in Helm's install order), so the YAML we print matches ``helm template`` document
for document; a test checks this against the manifest Helm's own install action produces.
"""

# No ``from __future__ import annotations``: this module's NamedTuples keep real annotations
# (why: ``chartsafe/audit/_model.py``'s docstring).

from typing import Any, NamedTuple

from ._kind_path import api_group

# Turning Helm's rendered output into objects is ``_rendered``'s: the forked schema worker (see
# _schema_worker) and ``audit --files`` need K8sObject alone, and start faster without it.

__all__ = [
    "CLUSTER_SCOPED_KINDS",
    "HOOK_EVENTS",
    "INSTALL_ORDER",
    "HookInfo",
    "K8sObject",
    "ListDocument",
    "expand_list",
    "list_items",
    "sort_for_install",
]

#: Helm's install order by kind (pkg/release/util kind_sorter); unknown kinds go last.
INSTALL_ORDER: tuple[str, ...] = (
    "PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange",
    "PodSecurityPolicy", "PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList",
    "ConfigMap", "StorageClass", "PersistentVolume", "PersistentVolumeClaim",
    "CustomResourceDefinition", "ClusterRole", "ClusterRoleList", "ClusterRoleBinding",
    "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList", "Service",
    "DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment",
    "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress",
    "APIService", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
)  # fmt: skip
_ORDER_INDEX = {kind: i for i, kind in enumerate(INSTALL_ORDER)}

#: The hook events Helm knows; an object naming any other is skipped by Helm, and by us.
HOOK_EVENTS = frozenset(
    {
        "pre-install", "post-install", "pre-delete", "post-delete", "pre-upgrade",
        "post-upgrade", "pre-rollback", "post-rollback", "test", "test-success",
    }
)  # fmt: skip

#: Kinds that live outside any namespace (built-in ones; CRDs say so in their own spec).
CLUSTER_SCOPED_KINDS = frozenset(
    {
        "Namespace", "Node", "PersistentVolume", "StorageClass", "CustomResourceDefinition",
        "ClusterRole", "ClusterRoleBinding", "PriorityClass", "IngressClass", "APIService",
        "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "RuntimeClass",
        "CSIDriver", "CSINode", "VolumeAttachment", "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding", "MutatingAdmissionPolicy",
        "MutatingAdmissionPolicyBinding", "ClusterSecretStore", "ClusterExternalSecret",
        "ClusterIssuer", "PodSecurityPolicy", "CertificateSigningRequest", "FlowSchema",
        "PriorityLevelConfiguration", "DeviceClass", "IPAddress", "ServiceCIDR",
    }
)  # fmt: skip


class HookInfo(NamedTuple):
    """The Helm hook annotations of one object."""

    events: tuple[str, ...]
    weight: int = 0
    delete_policies: tuple[str, ...] = ()

    @property
    def is_test(self) -> bool:
        return any(e in ("test", "test-success") for e in self.events)

    @property
    def runs_before_resources(self) -> bool:
        """A pre-install or pre-upgrade hook: runs before the release's regular objects exist."""
        return any(e in ("pre-install", "pre-upgrade") for e in self.events)

    def as_dict(self) -> dict[str, Any]:
        return {
            "events": list(self.events),
            "weight": self.weight,
            "deletePolicies": list(self.delete_policies),
        }


class ListDocument(NamedTuple):
    """A rendered ``List`` document, shared by the objects it holds: printed once, whole."""

    text: str
    body: dict[str, Any]

    def __repr__(self) -> str:  # no text: it may hold Secret data (see K8sObject.__repr__)
        return f"<ListDocument {self.body.get('kind')}: {len(list_items(self.body) or [])} item(s)>"


class K8sObject:
    """One rendered document: raw text, parsed body, source template, hook data.

    An item of a ``List`` document is an object of its own (Helm's install, like kubectl,
    creates the items, not the List): ``listed_in`` is that document, which is what Helm
    prints, and ``text`` is empty.

    A plain class, not a dataclass: ``audit --files`` imports it, and its start-up is most
    of its run (see ``audit._model``'s doc). Objects equal when all their fields are.
    """

    __slots__ = (
        "body",
        "crd",
        "crd_file",
        "hook",
        "listed_in",
        "release_namespace",
        "source",
        "text",
    )

    def __init__(
        self,
        text: str,
        body: dict[str, Any],
        source: str,
        release_namespace: str,
        hook: HookInfo | None = None,
        crd: bool = False,
        crd_file: str = "",
        listed_in: ListDocument | None = None,
    ) -> None:
        self.text = text
        self.body = body
        self.source = source
        self.release_namespace = release_namespace
        self.hook = hook
        self.crd = crd  # came from the chart's crds/ folder
        self.crd_file = crd_file  # the whole crds/ file it came from: Helm prints it verbatim
        self.listed_in = listed_in

    def _fields(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._fields() == other._fields()

    def __repr__(self) -> str:  # never text or body: Secret data, resolved store values
        return f"<K8sObject {self.ref} from {self.source}{' (hook)' if self.hook else ''}>"

    @property
    def kind(self) -> str:
        return str(self.body.get("kind", ""))

    @property
    def api_version(self) -> str:
        return str(self.body.get("apiVersion", ""))

    @property
    def api_group(self) -> str:
        """``apps`` of ``apps/v1``; empty for the core group (``v1``)."""
        return api_group(self.api_version)

    @property
    def metadata(self) -> dict[str, Any]:
        meta = self.body.get("metadata")
        return meta if isinstance(meta, dict) else {}

    @property
    def spec(self) -> dict[str, Any]:
        """``spec``, or {} when it is missing or not a mapping (a broken chart's output)."""
        spec = self.body.get("spec")
        return spec if isinstance(spec, dict) else {}

    @property
    def name(self) -> str:
        return str(self.metadata.get("name", ""))

    @property
    def namespace(self) -> str | None:
        """The object's namespace: its own, else the release's; None when cluster-scoped."""
        if self.kind in CLUSTER_SCOPED_KINDS:
            return None
        own = self.metadata.get("namespace")
        return str(own) if own else self.release_namespace

    @property
    def namespace_or_release(self) -> str:
        """Its namespace, or the release's for a cluster-scoped object: where the Secrets it
        names without a namespace are looked up."""
        return self.namespace or self.release_namespace

    @property
    def annotations(self) -> dict[str, str]:
        raw = self.metadata.get("annotations")
        return {str(k): str(v) for k, v in raw.items()} if isinstance(raw, dict) else {}

    @property
    def labels(self) -> dict[str, str]:
        raw = self.metadata.get("labels")
        return {str(k): str(v) for k, v in raw.items()} if isinstance(raw, dict) else {}

    @property
    def is_hook(self) -> bool:
        return self.hook is not None

    @property
    def ref(self) -> str:
        """``Kind/name`` (with namespace when not the release's), for messages."""
        ns = self.namespace
        where = f" in {ns}" if ns and ns != self.release_namespace else ""
        return f"{self.kind}/{self.name}{where}"

    def as_dict(self) -> dict[str, Any]:
        """The JSON form printed by ``template -o json``."""
        return {
            "source": self.source,
            "kind": self.kind,
            "apiVersion": self.api_version,
            "name": self.name,
            "namespace": self.namespace,
            "hook": self.hook.as_dict() if self.hook else None,
            "crd": self.crd,
            "object": self.body,
        }


def _hook_info(annotations: dict[str, str]) -> HookInfo | bool | None:
    """HookInfo for a hook, None for a regular object, False for an unknown hook (skipped)."""
    events_text = annotations.get("helm.sh/hook")
    if events_text is None:
        return None
    events = tuple(e.strip().lower() for e in events_text.split(",") if e.strip())
    if not events or any(e not in HOOK_EVENTS for e in events):
        return False
    try:
        weight = int(annotations.get("helm.sh/hook-weight", "0").strip())
    except ValueError:
        weight = 0  # Helm treats a weight it cannot parse as 0
    policies = tuple(
        p.strip() for p in annotations.get("helm.sh/hook-delete-policy", "").split(",") if p.strip()
    )
    return HookInfo(events=events, weight=weight, delete_policies=policies)


def list_items(body: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The objects a ``List`` document (``kind: List``, or a typed list such as
    ``SecretList``) stands for; None when ``body`` is no list.

    Helm's install builds its resources with the kubectl builder's flattening: each item is
    created, the List itself never. A typed list's items carry no kind or apiVersion: they
    take the list's (``SecretList`` of ``v1`` holds ``v1`` Secrets).
    """
    kind, items = str(body.get("kind", "")), body.get("items")
    if not kind.endswith("List") or not isinstance(items, list):
        return None
    found: list[dict[str, Any]] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        if kind != "List" and "kind" not in item:
            item = {"kind": kind.removesuffix("List"), "apiVersion": body.get("apiVersion"),
                    **item}  # fmt: skip
        nested = list_items(item)
        found.extend([item] if nested is None else nested)
    return found


def expand_list(obj: K8sObject) -> list[K8sObject]:
    """``obj``, or the objects of the List it is (each with the List's hook, as Helm reads
    hooks from the document). An empty List stays itself: Helm prints it, and it creates
    nothing (validation passes over it)."""
    items = list_items(obj.body)
    if not items:
        return [obj]
    document = ListDocument(obj.text, obj.body)
    return [
        K8sObject(
            text="",
            body=item,
            source=obj.source,
            release_namespace=obj.release_namespace,
            hook=obj.hook,
            listed_in=document,
        )
        for item in items
    ]


def sort_for_install(objects: list[K8sObject]) -> list[K8sObject]:
    """Helm's stable sort by kind: install order first, unknown kinds alphabetically last."""
    known = len(INSTALL_ORDER)

    def key(obj: K8sObject) -> tuple[int, str]:
        # a List's objects stay where Helm puts the List: its kind, List, is unknown to it
        kind = str(obj.listed_in.body.get("kind", "")) if obj.listed_in else obj.kind
        index = _ORDER_INDEX.get(kind)
        return (index, "") if index is not None else (known, kind)

    return sorted(objects, key=key)
