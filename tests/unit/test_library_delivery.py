"""A library caller's delivery refuses an option the backend does not read, as the CLI does.

``chartsafe.deliver_secrets(name, request)`` is what ``secrets render --as NAME`` runs; the
public registry's own entry point, ``BACKENDS[name].load()(request)``, makes the same checks.
Both refuse before the backend runs: the request below has no contract and no store, and a
backend that ran would fail on them with something other than InputError.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest

from chartsafe import (
    BACKENDS,
    Delivery,
    DeliveryBackend,
    DeliveryRequest,
    InputError,
    backend_for,
    deliver_secrets,
)


def _through_deliver(name: str, request: DeliveryRequest) -> Delivery:
    return deliver_secrets(name, request)


def _through_the_registry(name: str, request: DeliveryRequest) -> Delivery:
    return BACKENDS[name].load()(request)


WAYS = [_through_deliver, _through_the_registry]

# (backend, options, words of the error)
REFUSED: list[tuple[str, Mapping[str, Any], list[str]]] = [
    ("secret", {"bogus": 1}, ["--bogus", "not used by --as secret", "no backend flags"]),
    ("external", {"store_ref": "x", "bogus": 1}, ["--bogus", "not used by --as external"]),
    ("external", {"store_ref": "x", "cert": "c.pem"}, ["--cert", "not used by --as external"]),
    ("sealed", {"store_ref": "x"}, ["--store-ref", "not used by --as sealed"]),
    ("sealed", {"scope": "everywhere"}, ["everywhere"]),  # the backend's own value check
    ("aws", {"bogus": True}, ["--bogus", "not used by --as aws"]),
]


@pytest.mark.parametrize("way", WAYS, ids=["deliver_secrets", "BACKENDS.load"])
@pytest.mark.parametrize(("backend", "options", "words"), REFUSED)
def test_an_option_the_backend_does_not_take_is_refused(
    way: Callable[[str, DeliveryRequest], Delivery],
    backend: str,
    options: Mapping[str, Any],
    words: list[str],
) -> None:
    with pytest.raises(InputError) as caught:
        way(backend, DeliveryRequest(None, None, options))
    assert all(word in str(caught.value) for word in words), str(caught.value)


def test_an_unknown_backend_is_refused() -> None:
    with pytest.raises(InputError, match="'vault' is not a delivery backend"):
        deliver_secrets("vault", DeliveryRequest(None, None))


def test_options_not_given_are_no_options() -> None:
    """The CLI passes every flag, unset ones as None/False/(): those are not refused."""
    found = backend_for("secret", {"cert": None, "with_store": False, "store_setting": ()})
    assert isinstance(found, DeliveryBackend) and found is BACKENDS["secret"]
