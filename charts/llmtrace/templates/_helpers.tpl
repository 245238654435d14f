{{- define "llmtrace.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "llmtrace.fullname" -}}
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

{{- define "llmtrace.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "llmtrace.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "llmtrace.selectorLabels" -}}
app.kubernetes.io/name: {{ include "llmtrace.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "llmtrace.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "llmtrace.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret the proxy reads with envFrom (the seed's helper, unchanged). */}}
{{- define "llmtrace.secretName" -}}
{{- if .Values.secrets.existingSecret }}
{{- .Values.secrets.existingSecret }}
{{- else }}
{{- include "llmtrace.fullname" . }}
{{- end }}
{{- end }}

{{/*
Full name of a sub-chart, computed as the sub-chart computes it.
Call with (dict "name" "postgresql" "values" .Values.postgresql "root" .)
*/}}
{{- define "llmtrace.subchartFullname" -}}
{{- $v := .values }}
{{- if $v.fullnameOverride }}
{{- $v.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .name $v.nameOverride }}
{{- if contains $name .root.Release.Name }}
{{- .root.Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .root.Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Percent-encodes a URL userinfo part. */}}
{{- define "llmtrace.urlEscape" -}}
{{- urlquery . | replace "+" "%20" }}
{{- end }}

{{/*
The four LLMTRACE_* values of the chart-managed Secret, as a dict. Explicit
secrets.* values win; otherwise each URL is built from the enabled sub-chart's
service and credentials. A production-profile value that can be neither given
nor derived fails the render, naming the value to set.
*/}}
{{- define "llmtrace.secretData" -}}
{{- $s := .Values.secrets }}
{{- $prod := eq .Values.config.storage.profile "production" }}
{{- $out := dict }}
{{- /* PostgreSQL */}}
{{- $pg := .Values.postgresql }}
{{- if $s.postgresUrl }}
{{- $_ := set $out "LLMTRACE_POSTGRES_URL" $s.postgresUrl }}
{{- else if $pg.enabled }}
{{- if not $pg.auth.password }}
{{- fail "secrets.postgresUrl is required: the chart cannot build it without postgresql.auth.password (it does not read postgresql.auth.existingSecret)" }}
{{- end }}
{{- $host := include "llmtrace.subchartFullname" (dict "name" "postgresql" "values" $pg "root" .) }}
{{- $_ := set $out "LLMTRACE_POSTGRES_URL" (printf "postgres://%s:%s@%s:%v/%s" (include "llmtrace.urlEscape" $pg.auth.username) (include "llmtrace.urlEscape" $pg.auth.password) $host (($pg.service).port | default 5432) $pg.auth.database) }}
{{- else if $prod }}
{{- fail "secrets.postgresUrl is required when postgresql.enabled=false and config.storage.profile=production" }}
{{- end }}
{{- /* Redis */}}
{{- $r := .Values.redis }}
{{- if $s.redisUrl }}
{{- $_ := set $out "LLMTRACE_REDIS_URL" $s.redisUrl }}
{{- else if $r.enabled }}
{{- $host := printf "%s-master" (include "llmtrace.subchartFullname" (dict "name" "redis" "values" $r "root" .)) }}
{{- $port := ($r.service).port | default 6379 }}
{{- if $r.auth.enabled }}
{{- if not $r.auth.password }}
{{- fail "secrets.redisUrl is required: the chart cannot build it without redis.auth.password (it does not read redis.auth.existingSecret)" }}
{{- end }}
{{- $_ := set $out "LLMTRACE_REDIS_URL" (printf "redis://:%s@%s:%v" (include "llmtrace.urlEscape" $r.auth.password) $host $port) }}
{{- else }}
{{- $_ := set $out "LLMTRACE_REDIS_URL" (printf "redis://%s:%v" $host $port) }}
{{- end }}
{{- else if $prod }}
{{- fail "secrets.redisUrl is required when redis.enabled=false and config.storage.profile=production" }}
{{- end }}
{{- /* ClickHouse */}}
{{- $ch := .Values.clickhouse }}
{{- if $s.clickhouseUrl }}
{{- $_ := set $out "LLMTRACE_CLICKHOUSE_URL" $s.clickhouseUrl }}
{{- else if $ch.enabled }}
{{- if not $ch.auth.password }}
{{- fail "secrets.clickhouseUrl is required: the chart cannot build it without clickhouse.auth.password (it does not read clickhouse.auth.existingSecret)" }}
{{- end }}
{{- $host := include "llmtrace.subchartFullname" (dict "name" "clickhouse" "values" $ch "root" .) }}
{{- $_ := set $out "LLMTRACE_CLICKHOUSE_URL" (printf "http://%s:%s@%s:%v" (include "llmtrace.urlEscape" $ch.auth.username) (include "llmtrace.urlEscape" $ch.auth.password) $host (($ch.service).httpPort | default 8123)) }}
{{- else if $prod }}
{{- fail "secrets.clickhouseUrl is required when clickhouse.enabled=false and config.storage.profile=production" }}
{{- end }}
{{- $db := $s.clickhouseDatabase }}
{{- if and (not $db) $ch.enabled }}
{{- $db = $ch.auth.database }}
{{- end }}
{{- $_ := set $out "LLMTRACE_CLICKHOUSE_DATABASE" (default "llmtrace" $db) }}
{{- toYaml $out }}
{{- end }}

{{/* Fails the render on values that cannot make a working release. */}}
{{- define "llmtrace.validate" -}}
{{- if and (not .Values.secrets.create) (not .Values.secrets.existingSecret) }}
{{- fail "secrets.create=false needs secrets.existingSecret: name the Secret holding LLMTRACE_POSTGRES_URL, LLMTRACE_REDIS_URL, LLMTRACE_CLICKHOUSE_URL and LLMTRACE_CLICKHOUSE_DATABASE, or set secrets.create=true" }}
{{- end }}
{{- end }}
