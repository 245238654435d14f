{{/* Chart name, or nameOverride. */}}
{{- define "agentapi-proxy.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified name: fullnameOverride, or the release name when it already holds the chart
name, or release-chart. Kept to 52 characters so that "-headless" and the StatefulSet's
controller-revision-hash label still fit in 63.
*/}}
{{- define "agentapi-proxy.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "agentapi-proxy.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "agentapi-proxy.selectorLabels" -}}
app.kubernetes.io/name: {{ include "agentapi-proxy.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "agentapi-proxy.labels" -}}
helm.sh/chart: {{ include "agentapi-proxy.chart" . }}
{{ include "agentapi-proxy.selectorLabels" . }}
app.kubernetes.io/version: {{ (.Values.image.tag | default .Chart.AppVersion) | toString | trunc 63 | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "agentapi-proxy.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "agentapi-proxy.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "agentapi-proxy.image" -}}
{{- printf "%s:%s" .Values.image.repository ((.Values.image.tag | default .Chart.AppVersion) | toString) }}
{{- end }}

{{/* The Secret holding the S3 keys, or "" when the proxy uses an IAM role. */}}
{{- define "agentapi-proxy.s3SecretName" -}}
{{- $s3 := .Values.config.persistence.s3 }}
{{- if $s3.existingSecret }}
{{- $s3.existingSecret }}
{{- else if or $s3.accessKey $s3.secretKey }}
{{- printf "%s-s3" (include "agentapi-proxy.fullname" .) }}
{{- end }}
{{- end }}

{{/* True when the S3 backend is in use. */}}
{{- define "agentapi-proxy.s3Enabled" -}}
{{- if and .Values.config.persistence.enabled (eq .Values.config.persistence.backend "s3") }}true{{ end }}
{{- end }}

{{/* Stops the render on settings that cannot work. */}}
{{- define "agentapi-proxy.validate" -}}
{{- $p := .Values.config.persistence }}
{{- if include "agentapi-proxy.s3Enabled" . }}
{{- if not $p.s3.bucket }}
{{- fail "config.persistence.s3.bucket is required when config.persistence.backend is s3" }}
{{- end }}
{{- if and (not $p.s3.existingSecret) (or $p.s3.accessKey $p.s3.secretKey) (not (and $p.s3.accessKey $p.s3.secretKey)) }}
{{- fail "config.persistence.s3.accessKey and secretKey must be set together (or use an IAM role)" }}
{{- end }}
{{- end }}
{{- if .Values.roleEnvFiles.enabled }}
{{- if not .Values.roleEnvFiles.files }}
{{- fail "roleEnvFiles.enabled needs at least one entry in roleEnvFiles.files" }}
{{- end }}
{{- range $file, $src := .Values.roleEnvFiles.files }}
{{- if not (and $src $src.secretName $src.key) }}
{{- fail (printf "roleEnvFiles.files[%q] needs secretName and key" $file) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
