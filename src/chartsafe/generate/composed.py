"""Generators that compose a value from other values: connection URLs and docker config.

A template holds ``{placeholders}``, each resolved in this order:

1. ``{KEY}``: another key of the same Secret (present, or made earlier in the same run);
2. ``{SECRET/KEY}`` or ``{NAMESPACE/SECRET/KEY}``: a value elsewhere in the store;
3. ``{SPEC}``: a fresh value from a generator, e.g. ``{password}`` or ``{hex:16}``.

Anything else (``{host}`` with no such key) is an error that says to write it in literally:
chartsafe never guesses a host name. In URLs, substituted values are percent-encoded so that
a password with ``@`` or ``/`` cannot change the URL's meaning.
"""

from __future__ import annotations

import base64
import json
import re
import urllib.parse

from chartsafe.generate._registry import (
    GENERATORS,
    Context,
    GeneratorError,
    generator,
    options,
    parse_spec,
)

__all__ = ["fill_template"]

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


def _resolve(name: str, context: Context) -> str:
    if name in context.siblings:
        return context.siblings[name]
    pieces = name.split("/")
    if len(pieces) in (2, 3) and all(pieces):
        ns, secret, key = pieces if len(pieces) == 3 else [context.namespace, *pieces]
        found = context.lookup(ns, secret, key)
        if found is None:
            raise GeneratorError(
                f"{context.where}: {{{name}}} names {ns}/{secret}/{key}, which is not in the store",
                hint=f"chartsafe secrets set -n {ns} {secret} {key}",
            )
        return found
    spec_name = name.partition(":")[0]
    if spec_name in GENERATORS and not GENERATORS[spec_name].parts and spec_name not in _COMPOSED:
        spec = parse_spec(name, where=context.where)
        return spec.generator.make(spec.arg, context)["value"]
    raise GeneratorError(
        f"{context.where}: the template's {{{name}}} is neither a key of Secret "
        f"{context.secret}, a SECRET/KEY in the store, nor a generator",
        hint="write literal parts such as the host into the template itself",
    )


def fill_template(template: str, context: Context, *, quote: bool) -> str:
    """``template`` with every placeholder resolved (percent-encoded when ``quote``)."""

    def one(match: re.Match[str]) -> str:
        value = _resolve(match.group(1).strip(), context)
        return urllib.parse.quote(value, safe="") if quote else value

    return _PLACEHOLDER.sub(one, template)


@generator(
    "url",
    summary="a URL composed from other values, e.g. redis://:{password}@redis:6379",
    arg_help="TEMPLATE with {KEY}, {SECRET/KEY} or {GENERATOR} placeholders",
)
def url(arg: str | None, context: Context) -> str:
    if not arg or "://" not in arg:
        raise GeneratorError(
            f"{context.where}: url needs a template such as "
            "url:postgres://{user}:{password}@db:5432/app",
            hint="a URL's host is never guessed",
        )
    made = fill_template(arg, context, quote=True)
    parts = urllib.parse.urlsplit(made)
    if not parts.scheme or not parts.netloc:
        raise GeneratorError(f"{context.where}: the url template does not make a URL with a host")
    return made


@generator(
    "dockerconfigjson",
    summary="a .dockerconfigjson for one registry (kubectl create secret docker-registry)",
    arg_help="server=HOST,user=NAME[,password=TEMPLATE (default {password})][,email=ADDR]",
)
def dockerconfigjson(arg: str | None, context: Context) -> str:
    opts = options(arg, allowed=("server", "user", "password", "email"), where=context.where)
    if not opts.get("server") or not opts.get("user"):
        raise GeneratorError(
            f"{context.where}: dockerconfigjson needs server=HOST,user=NAME",
            hint="the password comes from {password} (a key of the Secret) unless password=...",
        )
    server, user = opts["server"][-1], opts["user"][-1]
    password = fill_template((opts.get("password") or ["{password}"])[-1], context, quote=False)
    entry = {
        "username": user,
        "password": password,
        "auth": base64.b64encode(f"{user}:{password}".encode()).decode(),
    }
    if opts.get("email"):
        entry["email"] = opts["email"][-1]
    return json.dumps({"auths": {server: entry}}, separators=(",", ":"))


_COMPOSED = frozenset({"url", "dockerconfigjson"})
