{{/* ---------------------------------------------------------------- names */}}

{{- define "tracecat.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "tracecat.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Labels of one component: (dict "root" $ "component" "api") */}}
{{- define "tracecat.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: tracecat
{{ include "tracecat.selectorLabels" . }}
{{- end }}

{{- define "tracecat.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tracecat.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "tracecat.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "tracecat.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "tracecat.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "tracecat.uiImage" -}}
{{- printf "%s:%s" .Values.uiImage.repository (default .Chart.AppVersion .Values.uiImage.tag) }}
{{- end }}

{{- define "tracecat.apiUrl" -}}
{{- printf "http://%s-api:8000" (include "tracecat.fullname" .) }}
{{- end }}

{{/* ---------------------------------------------------------------- public URLs */}}

{{- define "tracecat.publicAppUrl" -}}
{{- if .Values.urls.publicApp }}
{{- .Values.urls.publicApp | trimSuffix "/" }}
{{- else }}
{{- $host := required "ingress.host is required to derive the public URLs: set ingress.host, or urls.publicApp and urls.publicApi" .Values.ingress.host }}
{{- printf "%s://%s" (ternary "https" "http" (not (empty .Values.ingress.tls))) $host }}
{{- end }}
{{- end }}

{{- define "tracecat.publicApiUrl" -}}
{{- if .Values.urls.publicApi }}
{{- .Values.urls.publicApi | trimSuffix "/" }}
{{- else }}
{{- printf "%s/api" (include "tracecat.publicAppUrl" .) }}
{{- end }}
{{- end }}

{{/* ---------------------------------------------------------------- Secret names */}}

{{/* Name of an ESO target Secret when that ESO block is on, else "": (dict "root" $ "block" "postgres") */}}
{{- define "tracecat.esoTarget" -}}
{{- $eso := .root.Values.externalSecrets }}
{{- $block := index $eso .block }}
{{- if and $eso.enabled $block.enabled }}
{{- required (printf "externalSecrets.%s.targetSecretName is required when externalSecrets.%s.enabled is true" .block .block) $block.targetSecretName }}
{{- end }}
{{- end }}

{{/* The Secret a workload reads: the existingSecret value, or the ESO target. Fails when both
     name different Secrets. (dict "root" $ "block" "redis" "path" "externalRedis.auth.existingSecret" "existing" "...") */}}
{{- define "tracecat.secretName" -}}
{{- $target := include "tracecat.esoTarget" . }}
{{- if and $target .existing (ne $target .existing) }}
{{- fail (printf "%s (%s) and externalSecrets.%s.targetSecretName (%s) name different Secrets: leave %s empty when ESO creates the Secret" .path .existing .block $target .path) }}
{{- end }}
{{- default $target .existing }}
{{- end }}

{{- define "tracecat.coreSecretName" -}}
{{- $name := include "tracecat.secretName" (dict "root" . "block" "coreSecrets" "path" "secrets.existingSecret" "existing" .Values.secrets.existingSecret) }}
{{- required "secrets.existingSecret is required: set it to the Secret holding dbEncryptionKey, serviceKey, signingSecret and userAuthSecret (or enable externalSecrets.coreSecrets)" $name }}
{{- end }}

{{- define "tracecat.postgresSecretName" -}}
{{- $name := include "tracecat.secretName" (dict "root" . "block" "postgres" "path" "externalPostgres.auth.existingSecret" "existing" .Values.externalPostgres.auth.existingSecret) }}
{{- if and (not $name) (not .Values.externalPostgres.auth.secretArn) }}
{{- fail "externalPostgres.auth.existingSecret is required: set it to a Secret with username and password keys, or set externalPostgres.auth.secretArn (or enable externalSecrets.postgres)" }}
{{- end }}
{{- $name }}
{{- end }}

{{- define "tracecat.redisSecretName" -}}
{{- $name := include "tracecat.secretName" (dict "root" . "block" "redis" "path" "externalRedis.auth.existingSecret" "existing" .Values.externalRedis.auth.existingSecret) }}
{{- if and (not $name) (not .Values.externalRedis.auth.secretArn) }}
{{- fail "externalRedis.auth.existingSecret is required: set it to a Secret with a url key, or set externalRedis.auth.secretArn (or enable externalSecrets.redis)" }}
{{- end }}
{{- $name }}
{{- end }}

{{- define "tracecat.temporalSecretName" -}}
{{- include "tracecat.secretName" (dict "root" . "block" "temporal" "path" "externalTemporal.auth.existingSecret" "existing" .Values.externalTemporal.auth.existingSecret) }}
{{- end }}

{{/* ---------------------------------------------------------------- checks */}}

{{/* Every rule that is not a single value's `required`; included by every workload. */}}
{{- define "tracecat.validate" -}}
{{- $_ := include "tracecat.coreSecretName" . }}
{{- if and .Release.IsInstall (not .Values.tracecat.auth.superadminEmail) }}
{{- fail "tracecat.auth.superadminEmail is required on first install: set it to the email of the initial admin" }}
{{- end }}
{{- $_ = required "externalPostgres.host is required: set it to the PostgreSQL hostname" .Values.externalPostgres.host }}
{{- $_ = include "tracecat.postgresSecretName" . }}
{{- $_ = include "tracecat.redisSecretName" . }}
{{- $pg := .Values.externalPostgres }}
{{- if $pg.tls.verifyCA }}
{{- if not $pg.tls.caCert }}
{{- fail "externalPostgres.tls.caCert is required when externalPostgres.tls.verifyCA is true: set it to the PEM CA certificate of the server" }}
{{- end }}
{{- if has $pg.sslMode (list "disable" "prefer") }}
{{- fail (printf "externalPostgres.tls.verifyCA needs externalPostgres.sslMode require or verify-ca, not %s" $pg.sslMode) }}
{{- end }}
{{- end }}
{{- if and .Values.temporal.enabled .Values.externalTemporal.enabled }}
{{- fail "temporal.enabled and externalTemporal.enabled are both true: set temporal.enabled=false to use an external Temporal" }}
{{- end }}
{{- if not .Values.temporal.enabled }}
{{- if not .Values.externalTemporal.enabled }}
{{- fail "temporal.enabled is false but externalTemporal.enabled is not true: enable externalTemporal and set externalTemporal.clusterUrl, or keep temporal.enabled" }}
{{- end }}
{{- $_ = required "externalTemporal.clusterUrl is required when externalTemporal.enabled is true: set it to the Temporal frontend host:port" .Values.externalTemporal.clusterUrl }}
{{- $_ = include "tracecat.temporalSecretName" . }}
{{- end }}
{{- $eso := .Values.externalSecrets }}
{{- if $eso.enabled }}
{{- $_ = required "externalSecrets.clusterSecretStoreRef is required when externalSecrets.enabled is true: set it to the name of your ClusterSecretStore" $eso.clusterSecretStoreRef }}
{{- range $block := list "coreSecrets" "postgres" "redis" "temporal" }}
{{- if (index $eso $block).enabled }}
{{- $_ = required (printf "externalSecrets.%s.secretArn is required when externalSecrets.%s.enabled is true" $block $block) (index $eso $block).secretArn }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/* "Name:Type Name:Type" from tracecat.temporal.searchAttributes (type defaults to Keyword). */}}
{{- define "tracecat.searchAttributePairs" -}}
{{- $pairs := list }}
{{- range .Values.tracecat.temporal.searchAttributes }}
{{- $pairs = append $pairs (printf "%s:%s" .name (default "Keyword" .type)) }}
{{- end }}
{{- join " " $pairs }}
{{- end }}
