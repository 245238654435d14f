{{- define "redis.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "redis.fullname" -}}
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

{{- define "redis.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "redis.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "redis.selectorLabels" -}}
app.kubernetes.io/name: {{ include "redis.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The Secret holding the password: auth.existingSecret or the chart's own. */}}
{{- define "redis.secretName" -}}
{{- if .Values.auth.existingSecret }}
{{- .Values.auth.existingSecret }}
{{- else }}
{{- include "redis.fullname" . }}
{{- end }}
{{- end }}

{{- define "redis.headless" -}}
{{- printf "%s-headless" (include "redis.fullname" .) }}
{{- end }}

{{/* Stable DNS name of the first master pod (what replicas and sentinels follow). */}}
{{- define "redis.masterHost" -}}
{{- printf "%s-master-0.%s.%s.svc.cluster.local" (include "redis.fullname" .) (include "redis.headless" .) .Release.Namespace }}
{{- end }}

{{/* Fails the render on values that cannot make a working Redis. */}}
{{- define "redis.validate" -}}
{{- if not (has .Values.architecture (list "standalone" "replication")) }}
{{- fail (printf "redis.architecture must be standalone or replication, not %q" .Values.architecture) }}
{{- end }}
{{- if and .Values.auth.enabled (not .Values.auth.password) (not .Values.auth.existingSecret) }}
{{- fail "redis.auth.enabled=true needs redis.auth.password or redis.auth.existingSecret (never commit the password: pass it with --set or a Secret)" }}
{{- end }}
{{- if .Values.sentinel.enabled }}
{{- if ne .Values.architecture "replication" }}
{{- fail "redis.sentinel.enabled=true needs redis.architecture=replication" }}
{{- end }}
{{- $sentinels := add1 (int .Values.replica.replicaCount) }}
{{- if or (lt (int .Values.sentinel.quorum) 1) (gt (int .Values.sentinel.quorum) $sentinels) }}
{{- fail (printf "redis.sentinel.quorum must be between 1 and the %d sentinels (1 master + redis.replica.replicaCount)" $sentinels) }}
{{- end }}
{{- end }}
{{- end }}

{{/* Env shared by every Redis container: the password, also for redis-cli probes. */}}
{{- define "redis.authEnv" -}}
{{- if .Values.auth.enabled }}
- name: REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "redis.secretName" . }}
      key: {{ .Values.auth.existingSecretPasswordKey }}
- name: REDISCLI_AUTH
  valueFrom:
    secretKeyRef:
      name: {{ include "redis.secretName" . }}
      key: {{ .Values.auth.existingSecretPasswordKey }}
{{- end }}
{{- end }}
