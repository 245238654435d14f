"""A key's name gives a format only where the convention is unambiguous (user trial,
review-charts §2): ``private.pem``, ``public.pem``, ingress-nginx's ``dhparam.pem`` and a
Rails ``master.key`` are no certificate and no PEM private key, and a wrong guess fails a
right value with a fix that cannot pass."""

from __future__ import annotations

import pytest

from chartsafe.contract._formats import format_from_name

NAMES = [
    # say which: a certificate
    ("tls.crt", "pem-certificate"),
    ("ca.crt", "pem-certificate"),
    ("server.crt", "pem-certificate"),
    ("client.cert", "pem-certificate"),
    ("ca.pem", "pem-certificate"),
    ("cert.pem", "pem-certificate"),
    ("fullchain.pem", "pem-certificate"),
    ("tls-cert.pem", "pem-certificate"),
    # say which: a private key
    ("tls.key", "pem-private-key"),
    ("privkey.pem", "pem-private-key"),
    ("server-key.pem", "pem-private-key"),
    # say nothing of what they hold
    ("private.pem", None),
    ("public.pem", None),
    ("public-key.pem", None),
    ("dhparam.pem", None),
    ("server.pem", None),
    ("master.key", None),
    ("server.key", None),
    ("ca-cert-key.pem", "pem-private-key"),
]


@pytest.mark.parametrize(("name", "expected"), NAMES, ids=[n for n, _ in NAMES])
def test_only_an_unambiguous_name_gives_a_pem_format(name: str, expected: str | None) -> None:
    assert format_from_name(name) == expected
