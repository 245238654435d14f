{{/*
The Temporal objects are named templates: the parent chart (tracecat) renders them with
`include "temporal.manifests"` so that empty connection settings can fall back to its
externalPostgres values, which a subchart cannot read. The context is a dict:
  Release    the release (.Release)
  Values     this chart's values (the parent's .Values.temporal)
  fallback   dict: connectAddr, existingSecret, user, tlsEnabled, caConfigMap, caKey
  scheduling dict: nodeSelector, affinity, tolerations, topologySpreadConstraints
  imagePullSecrets list
  version    appVersion for the labels
*/}}

{{- define "temporal.fullname" -}}
{{- printf "%s-temporal" .Release.Name | trunc 55 | trimSuffix "-" }}
{{- end }}

{{/* (dict "ctx" $ctx "component" "frontend") */}}
{{- define "temporal.selectorLabels" -}}
app.kubernetes.io/name: temporal
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "temporal.labels" -}}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/part-of: tracecat
app.kubernetes.io/version: {{ .ctx.version | quote }}
{{ include "temporal.selectorLabels" . }}
{{- end }}

{{- define "temporal.image" -}}
{{- printf "%s:%s" .repository (toString .tag) }}
{{- end }}

{{/* The resolved SQL settings of one datastore: (dict "ctx" $ctx "store" "default") -> YAML */}}
{{- define "temporal.datastore" -}}
{{- $sql := (index .ctx.Values.server.config.persistence.datastores .store).sql }}
{{- $fb := .ctx.fallback }}
{{- $path := printf "temporal.server.config.persistence.datastores.%s.sql" .store }}
{{- $secret := default $fb.existingSecret $sql.existingSecret }}
{{- if not $secret }}
{{- fail (printf "%s.existingSecret is required: set it to the Secret with the Temporal database password (externalPostgres has no existingSecret to fall back to)" $path) }}
{{- end }}
{{- $tls := $sql.tls.enabled }}
{{- if eq (toString $tls) "auto" }}{{ $tls = $fb.tlsEnabled }}{{ end }}
pluginName: {{ $sql.pluginName }}
databaseName: {{ $sql.databaseName }}
connectAddr: {{ required (printf "%s.connectAddr is required: set it to the database host:port" $path) (default $fb.connectAddr $sql.connectAddr) }}
connectProtocol: {{ $sql.connectProtocol }}
user: {{ default $fb.user $sql.user | quote }}
userSecretKey: {{ $sql.userSecretKey }}
existingSecret: {{ $secret }}
secretKey: {{ $sql.secretKey }}
maxConns: {{ $sql.maxConns }}
maxIdleConns: {{ $sql.maxIdleConns }}
maxConnLifetime: {{ $sql.maxConnLifetime }}
tls: {{ $tls }}
enableHostVerification: {{ $sql.tls.enableHostVerification }}
caFile: {{ if and $tls $fb.caConfigMap }}/etc/temporal/sql-ca/ca.crt{{ end }}
{{- end }}

{{/* Env of a container that needs the database logins: DEFAULT_USER, DEFAULT_PASSWORD, ... */}}
{{- define "temporal.sqlEnv" -}}
{{- range $store := list "default" "visibility" }}
{{- $d := include "temporal.datastore" (dict "ctx" $.ctx "store" $store) | fromYaml }}
{{- $prefix := upper $store }}
- name: {{ $prefix }}_USER
  {{- if $d.user }}
  value: {{ $d.user | quote }}
  {{- else }}
  valueFrom:
    secretKeyRef: {name: {{ $d.existingSecret }}, key: {{ $d.userSecretKey }}}
  {{- end }}
- name: {{ $prefix }}_PASSWORD
  valueFrom:
    secretKeyRef: {name: {{ $d.existingSecret }}, key: {{ $d.secretKey }}}
{{- end }}
{{- end }}

{{- define "temporal.caVolume" -}}
{{- with .ctx.fallback.caConfigMap }}
- name: sql-ca
  configMap:
    name: {{ . }}
    items: [{key: {{ $.ctx.fallback.caKey }}, path: ca.crt}]
{{- end }}
{{- end }}

{{- define "temporal.caMount" -}}
{{- if .ctx.fallback.caConfigMap }}
- name: sql-ca
  mountPath: /etc/temporal/sql-ca
  readOnly: true
{{- end }}
{{- end }}

{{/* Pod-level fields shared by every Temporal pod: (dict "ctx" $ctx "component" "history").
     Pods run as uid 1000 (the server image's temporal user) unless "imageUser" is true. */}}
{{- define "temporal.podCommon" -}}
automountServiceAccountToken: false
securityContext:
  {{- if not .imageUser }}
  runAsNonRoot: true
  runAsUser: 1000
  runAsGroup: 1000
  fsGroup: 1000
  {{- end }}
  seccompProfile: {type: RuntimeDefault}
{{- with .ctx.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- $s := .ctx.scheduling }}
{{- with $s.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $s.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $s.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- if $s.topologySpreadConstraints }}
topologySpreadConstraints:
{{- range $s.topologySpreadConstraints }}
{{- $c := deepCopy . }}
{{- if not (hasKey $c "labelSelector") }}
{{- $_ := set $c "labelSelector" (dict "matchLabels" (include "temporal.selectorLabels" $ | fromYaml)) }}
{{- end }}
  - {{- toYaml $c | nindent 4 }}
{{- end }}
{{- end }}
{{- end }}

{{- define "temporal.containerSecurity" -}}
allowPrivilegeEscalation: false
capabilities: {drop: [ALL]}
{{- end }}

{{/* Every Temporal object, as one multi-document string. */}}
{{- define "temporal.manifests" -}}
{{ include "temporal.configMap" . }}
{{- range $svc := list "frontend" "history" "matching" "worker" }}
---
{{ include "temporal.server" (dict "ctx" $ "service" $svc) }}
{{- end }}
---
{{ include "temporal.frontendService" . }}
{{- if .Values.web.enabled }}
---
{{ include "temporal.web" . }}
{{- end }}
---
{{ include "temporal.schemaJob" . }}
{{- end }}
