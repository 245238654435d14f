"""Push the store's values into AWS Secrets Manager, in the layout the ExternalSecrets read.

``chartsafe secrets push --to aws``: one remote secret per required Secret (a JSON object for
several keys, the bare value for one; :mod:`.external_layout`). A missing secret is created,
an existing one gets a new version only when its value differs (so a second push changes
nothing), and nothing is ever deleted. A secret scheduled for deletion is refused rather
than restored behind the operator's back.

The result lists the ARNs and the chart values that point at them (:mod:`.aws_values`); it
never holds a value. boto3 is imported only here, on use (``pip install 'chartsafe[aws]'``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Literal

from .._errors import InputError
from . import Delivery, DeliveryRequest
from .external_layout import DeliveredSecret, RemoteSecret, plan_layout, secrets_to_deliver

if TYPE_CHECKING:
    from .external import ExternalOptions

__all__ = [
    "OPTION_NAMES",
    "AwsError",
    "AwsPush",
    "PushedSecret",
    "check_options",
    "deliver",
    "push_to_aws",
]

#: Tag put on secrets chartsafe creates, so an operator can find them in the console.
MANAGED_TAG: Final = {"Key": "managed-by", "Value": "chartsafe"}

Action = Literal["created", "updated", "unchanged"]


class AwsError(InputError):
    """AWS refused or could not be reached; the message names the secret, never a value."""


@dataclass(frozen=True)
class PushedSecret:
    """One remote secret after the push: where it is and what the push did."""

    remote: RemoteSecret
    arn: str
    action: Action
    version_id: str | None

    def as_dict(self) -> dict[str, Any]:
        return {**self.remote.as_dict(), "arn": self.arn, "action": self.action,
                "versionId": self.version_id}  # fmt: skip


@dataclass
class AwsPush:
    """What ``push --to aws`` returns: the pushed secrets and the values overrides."""

    region: str
    pushed: list[PushedSecret]
    overrides: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    secrets: list[DeliveredSecret] = field(default_factory=list)
    covered: set[str] = field(default_factory=set)  # Secrets the chart's ExternalSecrets make

    def arn(self, namespace: str, secret: str) -> str | None:
        found = (
            p for p in self.pushed if (p.remote.namespace, p.remote.secret) == (namespace, secret)
        )
        return next((p.arn for p in found), None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "backend": "aws",
            "region": self.region,
            "secrets": [p.as_dict() for p in self.pushed],
            "overrides": self.overrides,
            "notes": list(self.notes),
        }


def _aws_error(exc: Exception, what: str) -> AwsError:
    """A one-line error from a botocore exception; AWS messages never carry secret values."""
    import botocore.exceptions as botoerr

    hint = None
    if isinstance(exc, botoerr.ClientError):
        error = exc.response.get("Error", {})
        message = f"{error.get('Code', 'error')}: {error.get('Message', '')}".rstrip(": ")
        if error.get("Code") in ("AccessDeniedException", "UnrecognizedClientException"):
            hint = (
                "the credentials need secretsmanager:CreateSecret, PutSecretValue, GetSecretValue"
            )
    elif isinstance(exc, botoerr.NoRegionError):
        message, hint = "no AWS region configured", "pass --region or set AWS_REGION"
    elif isinstance(exc, botoerr.NoCredentialsError | botoerr.PartialCredentialsError):
        message, hint = "no AWS credentials found", "set AWS_PROFILE or AWS_ACCESS_KEY_ID"
    elif isinstance(exc, botoerr.ProfileNotFound):
        message = str(exc)
    elif isinstance(exc, botoerr.EndpointConnectionError):
        message, hint = "cannot reach AWS Secrets Manager", "check the network and --region"
    else:
        message = type(exc).__name__
    return AwsError(f"aws secretsmanager {what}: {message}", hint=hint)


def _client(region: str | None, endpoint_url: str | None) -> Any:
    try:
        import boto3
    except ImportError:  # pragma: no cover - depends on the install
        raise InputError(
            "--to aws needs boto3, which is not installed", hint="pip install 'chartsafe[aws]'"
        ) from None
    import botocore.exceptions as botoerr

    try:
        return boto3.session.Session().client(
            "secretsmanager", region_name=region, endpoint_url=endpoint_url
        )
    except (botoerr.BotoCoreError, botoerr.ClientError) as exc:
        raise _aws_error(exc, "client") from None


def _push_one(client: Any, remote: RemoteSecret, payload: str) -> PushedSecret:
    import botocore.exceptions as botoerr

    name = remote.remote_key
    try:
        try:
            described = client.describe_secret(SecretId=name)
        except botoerr.ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ResourceNotFoundException":
                raise
            made = client.create_secret(Name=name, SecretString=payload, Tags=[MANAGED_TAG])
            return PushedSecret(remote, made["ARN"], "created", made.get("VersionId"))
        if described.get("DeletedDate"):
            raise AwsError(
                f"aws secret {name} is scheduled for deletion; not pushing to it",
                secret=remote.secret,
                hint=f"aws secretsmanager restore-secret --secret-id {name}",
            )
        current = (
            client.get_secret_value(SecretId=name) if described.get("VersionIdsToStages") else {}
        )
        if current.get("SecretString") == payload:
            return PushedSecret(remote, described["ARN"], "unchanged", current.get("VersionId"))
        put = client.put_secret_value(SecretId=name, SecretString=payload)
        return PushedSecret(remote, put["ARN"], "updated", put.get("VersionId"))
    except (botoerr.BotoCoreError, botoerr.ClientError) as exc:
        raise _aws_error(exc, name) from None


def push_to_aws(
    contract: Any,
    store: Any,
    *,
    prefix: str = "",
    region: str | None = None,
    values: dict[str, Any] | None = None,
    store_ref: str | None = None,
    endpoint_url: str | None = None,
) -> AwsPush:
    """Write every required Secret of ``contract`` from ``store`` into Secrets Manager.

    ``values`` (the merged chart values the contract was derived from) lets the result name
    the chart values that take the ARNs; ``store_ref`` is the ClusterSecretStore a chart's own
    ExternalSecrets should read through. ``endpoint_url`` is for emulators (moto) and VPC
    endpoints; boto3 also honours ``AWS_ENDPOINT_URL``.
    """
    from .aws_values import arn_overrides

    delivered = secrets_to_deliver(contract, store)
    layout = plan_layout(((d.namespace, d.name, d.keys) for d in delivered), "aws", prefix)
    client = _client(region, endpoint_url)
    pushed: list[PushedSecret] = []
    for remote in layout:
        values_of = store.secret(remote.namespace, remote.secret)
        pushed.append(_push_one(client, remote, remote.payload(values_of)))
    result = AwsPush(client.meta.region_name, pushed, secrets=delivered)
    if values is not None:
        result.overrides, result.notes, result.covered = arn_overrides(
            values, delivered, result, store_ref
        )
    return result


#: The ``secrets render`` flags ``--as aws`` reads (registry entry in ``deliver``).
OPTION_NAMES: Final = (
    "prefix",
    "region",
    "store_ref",
    "store_kind",
    "refresh_interval",
    "creation_policy",
    "deletion_policy",
)


def _external_options(request: DeliveryRequest) -> ExternalOptions:
    """The ExternalSecrets' settings for Secrets the chart cannot read from an ARN."""
    from .external import ExternalOptions

    return ExternalOptions(
        store_ref=str(request.option("store_ref")),
        store_kind=request.option("store_kind", "ClusterSecretStore"),
        provider="aws",
        refresh_interval=str(request.option("refresh_interval", "1h")),
        creation_policy=str(request.option("creation_policy", "Owner")),
        deletion_policy=str(request.option("deletion_policy", "Retain")),
    )


def check_options(options: Mapping[str, Any]) -> None:
    """Flag values refused before anything is pushed (the registry's hook): the
    ExternalSecrets' settings, checked only when ``--store-ref`` asks for them."""
    request = DeliveryRequest(None, None, options)
    if request.option("store_ref"):
        _external_options(request).check()


def deliver(request: DeliveryRequest) -> Delivery:
    """``--as aws``: push the store, then point the chart at the pushed secrets.

    The overrides wire the ARNs into the chart values that take them (:mod:`.aws_values`).
    A Secret the chart cannot make itself from an ARN gets an ExternalSecret of ours reading
    the pushed secret through ``--store-ref`` (an AWS store), so every required Secret is
    delivered; without ``--store-ref`` those Secrets are named in the notes instead.
    """
    from .external import external_secret

    store_ref = request.option("store_ref")
    check_options(request.options)  # before the push: nothing remote changes on a bad flag
    push = push_to_aws(
        request.contract,
        request.store,
        prefix=str(request.option("prefix", "")),
        region=request.option("region"),
        values=dict(request.values),
        store_ref=store_ref,
    )
    manifests: list[dict[str, Any]] = []
    rest = [p for p in push.pushed if p.remote.secret not in push.covered]
    if rest and store_ref:
        options = _external_options(request)
        by_name = {(d.namespace, d.name): d for d in push.secrets}
        for pushed in rest:
            remote = pushed.remote
            manifests.append(external_secret(remote, by_name[(remote.namespace, remote.secret)],
                                             options))  # fmt: skip
    elif rest:
        names = ", ".join(p.remote.secret for p in rest)
        push.notes.append(f"pushed but not delivered into the cluster: {names}; pass --store-ref "
                          "to get ExternalSecrets for them")  # fmt: skip
    details = {k: v for k, v in push.as_dict().items() if k not in ("backend", "overrides")}
    return Delivery("aws", manifests, push.overrides, details=details)
