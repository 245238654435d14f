"""Secrets that database and streaming operators make for the resources a chart renders.

A chart that renders a CloudNativePG ``Cluster`` and a Deployment reading ``NAME-app`` does
not ask anyone to create ``NAME-app``: the CNPG operator does, once the Cluster is applied.
Without these creators that Secret is one that must exist before install, and the install
gate stops a release that would have worked. The names and keys are the operators'
documented ones:

- CloudNativePG (``postgresql.cnpg.io``) makes ``NAME-app`` (the application owner's
  ``kubernetes.io/basic-auth`` credentials with ready connection strings) unless the
  bootstrap section names its own ``secret``; ``NAME-superuser`` only with
  ``enableSuperuserAccess: true`` and no ``superuserSecret``; ``NAME-ca`` (the CA it signs
  with), ``NAME-server`` and ``NAME-replication`` (TLS) unless ``spec.certificates`` names the
  user's own.
- Strimzi (``kafka.strimzi.io``): the User Operator makes a Secret named after each
  ``KafkaUser`` with ``tls`` or ``scram-sha-512`` authentication (``tls-external``
  certificates are the user's; a ``secretPrefix`` of the User Operator's deployment is not
  visible in the chart); the Cluster Operator makes a ``Kafka`` cluster's public CA
  certificates ``NAME-cluster-ca-cert`` and ``NAME-clients-ca-cert`` unless
  ``generateCertificateAuthority: false`` makes the CA the user's.
- Zalando's postgres-operator (``acid.zalan.do``) makes, for a ``postgresql`` cluster, one
  Secret (``username`` and ``password``) per role in ``spec.users`` and for its superuser
  ``postgres`` and replication user ``standby``, named by its default
  ``secret_name_template``: ``USERNAME.CLUSTER.credentials.postgresql.acid.zalan.do``, with
  ``_`` in the user name written ``-``. An operator configured with another template or
  other system user names, the roles of ``preparedDatabases`` and the connection pooler's,
  and ``namespace.user`` roles (whose Secret goes to that namespace when the operator allows
  it) are not read: such a Secret must exist before install, as far as the check knows.
"""

from __future__ import annotations

from collections.abc import Iterator

from .._objects import K8sObject
from .._podspec import dict_at
from ._created import Created, creator_of

__all__ = ["cnpg_cluster", "strimzi_kafka", "strimzi_kafka_user", "zalando_postgresql"]

_BASIC_AUTH = "kubernetes.io/basic-auth"
_TLS = "kubernetes.io/tls"
#: What CNPG writes into ``NAME-app`` and ``NAME-superuser``.
_CNPG_CREDENTIAL_KEYS = frozenset(
    {"username", "password", "host", "port", "dbname", "pgpass", "uri", "jdbc-uri",
     "fqdn-uri", "fqdn-jdbc-uri"}
)  # fmt: skip
_CNPG_BOOTSTRAPS = ("initdb", "recovery", "pg_basebackup")
#: ``spec.certificates`` field → (Secret suffix the operator makes without it, keys, type).
_CNPG_CERTIFICATES = {
    "serverCASecret": ("-ca", frozenset({"ca.crt", "ca.key"}), None),
    "serverTLSSecret": ("-server", frozenset({"tls.crt", "tls.key"}), _TLS),
    "replicationTLSSecret": ("-replication", frozenset({"tls.crt", "tls.key"}), _TLS),
}
_KAFKA_USER_KEYS = {
    "tls": frozenset({"ca.crt", "user.crt", "user.key", "user.p12", "user.password"}),
    "scram-sha-512": frozenset({"password", "sasl.jaas.config"}),
}
_KAFKA_CA_CERT_KEYS = frozenset({"ca.crt", "ca.p12", "ca.password"})


def cnpg_cluster(obj: K8sObject) -> Iterator[Created]:
    """The Secrets CloudNativePG makes for a ``Cluster`` (not Cluster API's, same kind)."""
    if obj.api_group != "postgresql.cnpg.io":
        return
    spec, ns = obj.spec, obj.namespace_or_release
    bootstrap = dict_at(spec.get("bootstrap"))
    own_app = any(
        dict_at(dict_at(bootstrap.get(mode)).get("secret")).get("name") for mode in _CNPG_BOOTSTRAPS
    )
    if not own_app:
        creator = creator_of(obj, set(_CNPG_CREDENTIAL_KEYS))
        yield Created(ns, f"{obj.name}-app", creator, _BASIC_AUTH)
    superuser = spec.get("enableSuperuserAccess") is True
    if superuser and not dict_at(spec.get("superuserSecret")).get("name"):
        creator = creator_of(obj, set(_CNPG_CREDENTIAL_KEYS))
        yield Created(ns, f"{obj.name}-superuser", creator, _BASIC_AUTH)
    certificates = dict_at(spec.get("certificates"))
    for field, (suffix, keys, kind_type) in _CNPG_CERTIFICATES.items():
        if not certificates.get(field):
            yield Created(ns, f"{obj.name}{suffix}", creator_of(obj, set(keys)), kind_type)


def strimzi_kafka_user(obj: K8sObject) -> Iterator[Created]:
    """The Secret Strimzi's User Operator makes for a ``KafkaUser``, named after it."""
    if obj.api_group != "kafka.strimzi.io":
        return
    kind = dict_at(obj.spec.get("authentication")).get("type")
    keys = _KAFKA_USER_KEYS.get(str(kind))
    if keys is not None:
        yield Created(obj.namespace_or_release, obj.name, creator_of(obj, set(keys)))


def strimzi_kafka(obj: K8sObject) -> Iterator[Created]:
    """A ``Kafka`` cluster's public CA certificates, which its clients mount to trust it."""
    if obj.api_group != "kafka.strimzi.io":
        return
    spec = obj.spec
    for field, suffix in (("clusterCa", "-cluster-ca-cert"), ("clientsCa", "-clients-ca-cert")):
        if dict_at(spec.get(field)).get("generateCertificateAuthority") is not False:
            creator = creator_of(obj, set(_KAFKA_CA_CERT_KEYS))
            yield Created(obj.namespace_or_release, f"{obj.name}{suffix}", creator)


#: Zalando's default ``secret_name_template`` (``{tprkind}.{tprgroup}`` filled in).
_ZALANDO_SECRET_NAME = "{username}.{cluster}.credentials.postgresql.acid.zalan.do"
#: Its default ``super_username`` and ``replication_username``.
_ZALANDO_SYSTEM_USERS = ("postgres", "standby")


def zalando_postgresql(obj: K8sObject) -> Iterator[Created]:
    """The credentials Secrets Zalando's operator makes for a ``postgresql`` cluster."""
    if obj.api_group != "acid.zalan.do":
        return
    roles = [*_ZALANDO_SYSTEM_USERS, *(str(role) for role in dict_at(obj.spec.get("users")))]
    for role in dict.fromkeys(roles):
        if "." in role:  # namespace.user: its Secret lives in that namespace, if anywhere
            continue
        name = _ZALANDO_SECRET_NAME.format(username=role.replace("_", "-"), cluster=obj.name)
        creator = creator_of(obj, {"username", "password"})
        yield Created(obj.namespace_or_release, name, creator)
