"""The :class:`RenderOptions` a command's rendering flags make (Helm's ``--kube-version``,
``-a``, ``--crd-dir``, ``--no-validate`` and the rest).

No typer here: ``template``'s quick path (``_template_quick``) calls it too.
"""

from __future__ import annotations

from pathlib import Path

from ._value_flags import string_slice

# Not at import: audit --files renders nothing, and _render brings the schema code.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from .._render import RenderOptions

__all__ = ["render_options"]


def render_options(
    name: str | None,
    namespace: str,
    kube_version: str | None,
    api_versions: list[str] | None,
    crd_dirs: list[Path] | None,
    no_validate: bool,
    **more: object,
) -> RenderOptions:
    from .._render import RenderOptions

    options = RenderOptions(
        namespace=namespace,
        kube_version=kube_version,
        api_versions=string_slice(list(api_versions or [])),
        crd_dirs=list(crd_dirs or []),
        validate=not no_validate,
    )
    if name is not None:  # an empty NAME given is Helm's "no name provided", not the default
        options.release_name = name
    for key, value in more.items():
        setattr(options, key, value)
    return options
