"""Reference backends that read outside chartsafe's store: SOPS files and AWS Secrets Manager.

``ref+sops://PATH#/key/path`` decrypts PATH in memory with the same identity lookup as the
store (``SOPS_AGE_KEY``, ``SOPS_AGE_KEY_FILE``, the user key file, or ``--age-key-file``);
without a fragment the reference stands for the whole document.

``ref+awssecrets://NAME[?region=R&profile=P&version_stage=S&version_id=V][#/json/key]`` reads
one secret through boto3 (``pip install 'chartsafe[aws]'``), with boto3's own credential,
region and endpoint settings (``AWS_ENDPOINT_URL`` reaches a local emulator); ``AWS_REGION``,
which the AWS CLI and the other SDKs read and boto3 does not, counts too. A fragment picks a
key of a JSON secret string. Every boto3 failure, the session's and the client's included,
is one line naming the reference.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Mapping
from typing import Any

from .._errors import StoreError, ValuesError
from .reference import Reference, select
from .resolve import ResolveContext

__all__ = ["plain_value", "resolve_awssecrets", "resolve_sops"]


def plain_value(value: Any) -> Any:
    """Decrypted SOPS data as Helm values: timestamps become their RFC 3339 text."""
    if isinstance(value, Mapping):
        return {str(k): plain_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_value(v) for v in value]
    if isinstance(value, dt.datetime):
        from ..store.sops_values import format_time

        return format_time(value)
    return value


def _prefixed(exc: StoreError, where: str, reference: Reference) -> StoreError:
    exc.message = f"{where}: {reference.scheme} reference: {exc.message}"
    exc.args = (exc.message,)
    exc.values_path = exc.values_path or where
    return exc


def resolve_sops(reference: Reference, context: ResolveContext, where: str) -> Any:
    from ..store import format_for_path, open_file

    path = context.path(reference.target)

    def load() -> Any:
        try:
            document = open_file(path, identities=context.identities(), fmt=format_for_path(path))
            return plain_value(document.data)
        except StoreError as exc:
            raise _prefixed(exc, where, reference) from None

    data = context.cached("sops", str(path.resolve()), load)
    return select(data, reference.fragment, where, str(path), file=path)


def _aws_error(exc: Exception, reference: Reference, where: str) -> ValuesError:
    """One line for what went wrong at AWS, naming the secret, never a value."""
    import botocore.exceptions as botoerr

    name = reference.target
    if isinstance(exc, botoerr.ClientError):
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code == "ResourceNotFoundException":
            message, hint = f"AWS Secrets Manager has no secret {name}", "check the name/region"
        elif code in {"AccessDeniedException", "UnrecognizedClientException"}:
            message, hint = f"AWS refused to read {name} ({code})", "check the AWS credentials"
        else:
            message, hint = f"AWS Secrets Manager could not read {name} ({code})", None
    elif isinstance(exc, botoerr.NoRegionError):
        message = "no AWS region configured"
        hint = (
            "set AWS_REGION or AWS_DEFAULT_REGION, a region in the AWS profile, "
            "or add ?region=REGION to the reference"
        )
    elif isinstance(exc, botoerr.InvalidRegionError):
        message, hint = "the AWS region is not a region name", "check ?region= or AWS_REGION"
    elif isinstance(exc, botoerr.NoCredentialsError | botoerr.PartialCredentialsError):
        message, hint = "no AWS credentials", "set AWS_PROFILE or the AWS_* key variables"
    elif isinstance(exc, botoerr.ProfileNotFound):
        message, hint = "the AWS profile is not configured", "check ?profile= or AWS_PROFILE"
    elif isinstance(exc, botoerr.EndpointConnectionError):
        message, hint = "cannot reach AWS Secrets Manager", "check the network or AWS_ENDPOINT_URL"
    else:
        message, hint = f"AWS Secrets Manager failed ({type(exc).__name__})", None
    return ValuesError(f"{where}: ref+awssecrets://{name}: {message}", values_path=where, hint=hint)


def _fetch_aws(reference: Reference, where: str) -> str:
    try:
        import boto3
    except ImportError:
        raise ValuesError(
            f"{where}: ref+awssecrets://{reference.target}: boto3 is not installed",
            values_path=where,
            hint="pip install 'chartsafe[aws]'",
        ) from None
    import botocore.exceptions as botoerr

    query = reference.query
    request: dict[str, str] = {"SecretId": reference.target}
    if query.get("version_stage"):
        request["VersionStage"] = query["version_stage"]
    if query.get("version_id"):
        request["VersionId"] = query["version_id"]
    try:  # the session and client raise too: ProfileNotFound, NoRegionError
        session = boto3.session.Session(profile_name=query.get("profile") or None)
        region = query.get("region") or os.environ.get("AWS_REGION") or None
        client = session.client("secretsmanager", region_name=region)
        response = client.get_secret_value(**request)
    except (botoerr.BotoCoreError, botoerr.ClientError) as exc:
        raise _aws_error(exc, reference, where) from None
    if "SecretString" in response:
        return str(response["SecretString"])
    raw = response.get("SecretBinary", b"")
    try:
        return bytes(raw).decode()
    except UnicodeDecodeError:
        raise ValuesError(
            f"{where}: ref+awssecrets://{reference.target}: the secret is binary, not text",
            values_path=where,
        ) from None


def resolve_awssecrets(reference: Reference, context: ResolveContext, where: str) -> Any:
    key = f"{reference.target}?{sorted(reference.query.items())}"
    text = context.cached("awssecrets", key, lambda: _fetch_aws(reference, where))
    if not reference.fragment:
        return text
    try:
        data = json.loads(text)
    except ValueError:
        raise ValuesError(
            f"{where}: ref+awssecrets://{reference.target}: the secret is not JSON, so it has "
            f"no key #/{'/'.join(reference.fragment)}",
            values_path=where,
            hint="drop the #/key/path to use the whole secret string",
        ) from None
    return select(data, reference.fragment, where, f"ref+awssecrets://{reference.target}")
