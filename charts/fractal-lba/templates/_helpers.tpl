{{- define "fractal.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "fractal.fullname" -}}
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

{{- define "fractal.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "fractal.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Selector of one component (backend, agent, grafana). Call with (list . "backend"). */}}
{{- define "fractal.selectorLabels" -}}
{{- $root := index . 0 }}
app.kubernetes.io/name: {{ include "fractal.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{/* The signing algorithm the backend verifies with. */}}
{{- define "fractal.alg" -}}
{{- .Values.backend.env.PCS_SIGN_ALG | default "none" }}
{{- end }}

{{- define "fractal.dedup" -}}
{{- .Values.backend.env.DEDUP_BACKEND | default "memory" }}
{{- end }}

{{- define "fractal.hmacSecret" -}}
{{- .Values.signing.hmac.existingSecret | default (printf "%s-hmac" (include "fractal.fullname" .)) }}
{{- end }}

{{/* The backend's public-key ConfigMap: one you created, else the one the chart makes from publicKey. */}}
{{- define "fractal.ed25519ConfigMap" -}}
{{- $e := .Values.signing.ed25519 }}
{{- $e.existingConfigMap | default $e.configMapName | default (printf "%s-ed25519" (include "fractal.fullname" .)) }}
{{- end }}

{{- define "fractal.ed25519AgentSecret" -}}
{{- .Values.signing.ed25519.agentExistingSecret | default (printf "%s-ed25519-agent" (include "fractal.fullname" .)) }}
{{- end }}

{{- define "fractal.metricsAuth" -}}
{{- if or .Values.metrics.auth.existingSecret .Values.metrics.auth.password }}true{{ end }}
{{- end }}

{{- define "fractal.metricsSecret" -}}
{{- .Values.metrics.auth.existingSecret | default (printf "%s-metrics" (include "fractal.fullname" .)) }}
{{- end }}

{{- define "fractal.postgresConnSecret" -}}
{{- .Values.postgresConn.existingSecret | default (printf "%s-postgres-conn" (include "fractal.fullname" .)) }}
{{- end }}

{{/* Name of a sub-chart's objects, as the sub-chart computes it. (dict "name" "redis" "values" .Values.redis "root" .) */}}
{{- define "fractal.subchartFullname" -}}
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

{{/* A libpq key/value: single-quoted, with \ and ' escaped. */}}
{{- define "fractal.libpqValue" -}}
'{{ . | toString | replace "\\" "\\\\" | replace "'" "\\'" }}'
{{- end }}

{{/* POSTGRES_CONN built from the postgresql sub-chart. */}}
{{- define "fractal.postgresConn" -}}
{{- $pg := .Values.postgresql }}
{{- $host := include "fractal.subchartFullname" (dict "name" "postgresql" "values" $pg "root" .) }}
{{- printf "host=%s port=%v user=%s password=%s dbname=%s sslmode=%s" $host (($pg.service).port | default 5432) (include "fractal.libpqValue" $pg.auth.username) (include "fractal.libpqValue" $pg.auth.password) (include "fractal.libpqValue" $pg.auth.database) .Values.postgresConn.sslmode }}
{{- end }}

{{/* Env var names that hold credentials: never accepted as plain values. */}}
{{- define "fractal.credentialVars" -}}
{{- list "PCS_HMAC_KEY" "PCS_ED25519_PRIV_B64" "METRICS_PASS" "POSTGRES_CONN" "PCS_HMAC_KEYS" "TENANTS" | toJson }}
{{- end }}

{{- define "fractal.validate" -}}
{{- $alg := include "fractal.alg" . }}
{{- if not (has $alg (list "none" "hmac" "ed25519")) }}
{{- fail (printf "backend.env.PCS_SIGN_ALG must be none, hmac or ed25519, not %q (the server exits on anything else)" $alg) }}
{{- end }}
{{- $dedup := include "fractal.dedup" . }}
{{- if not (has $dedup (list "memory" "redis" "postgres")) }}
{{- fail (printf "backend.env.DEDUP_BACKEND must be memory, redis or postgres, not %q" $dedup) }}
{{- end }}
{{- range $component := list "backend" "agent" }}
{{- range $name, $value := (index $.Values $component).env }}
{{- if and (has $name (include "fractal.credentialVars" $ | fromJsonArray)) (kindIs "string" $value) }}
{{- fail (printf "%s.env.%s holds a credential in plain text: put it in a Secret (see the signing, metrics.auth and postgresConn values)" $component $name) }}
{{- end }}
{{- end }}
{{- end }}
{{- if eq $alg "hmac" }}
{{- if not (or .Values.signing.hmac.existingSecret .Values.signing.hmac.key) }}
{{- fail "PCS_SIGN_ALG=hmac needs the HMAC key: set signing.hmac.existingSecret (a Secret with key PCS_HMAC_KEY) or signing.hmac.key" }}
{{- end }}
{{- end }}
{{- if eq $alg "ed25519" }}
{{- if not (or .Values.signing.ed25519.existingConfigMap .Values.signing.ed25519.publicKey) }}
{{- fail (printf "PCS_SIGN_ALG=ed25519 needs the public key: set signing.ed25519.publicKey (the chart creates ConfigMap %s from it; with chartsafe, ref+chartsafe://%s/%s/PCS_ED25519_PUB_B64 is the public half of the pair it generates) or signing.ed25519.existingConfigMap (a ConfigMap you create with key PCS_ED25519_PUB_B64)" (include "fractal.ed25519ConfigMap" .) .Release.Namespace (include "fractal.ed25519AgentSecret" .)) }}
{{- end }}
{{- if and .Values.agent.enabled (not (or .Values.signing.ed25519.agentExistingSecret .Values.signing.ed25519.agentPrivateKey)) }}
{{- fail "PCS_SIGN_ALG=ed25519 with agent.enabled needs the private key: set signing.ed25519.agentExistingSecret (key PCS_ED25519_PRIV_B64) or signing.ed25519.agentPrivateKey" }}
{{- end }}
{{- end }}
{{- /* The Ed25519 private key exists only where it signs: never in the backend. */}}
{{- $priv := include "fractal.ed25519AgentSecret" . }}
{{- if hasKey .Values.backend.env "PCS_ED25519_PRIV_B64" }}
{{- fail "backend.env.PCS_ED25519_PRIV_B64: the backend verifies with the public key only; the private key belongs to the agent" }}
{{- end }}
{{- range .Values.backend.envFrom }}
{{- if and .secretRef (eq .secretRef.name $priv) }}
{{- fail (printf "backend.envFrom: Secret %s holds the agent's Ed25519 private key and must not reach the backend" $priv) }}
{{- end }}
{{- end }}
{{- range .Values.backend.volumes }}
{{- if and .secret (eq .secret.secretName $priv) }}
{{- fail (printf "backend.volumes: Secret %s holds the agent's Ed25519 private key and must not reach the backend" $priv) }}
{{- end }}
{{- end }}
{{- if eq $dedup "redis" }}
{{- if not (or .Values.backend.env.REDIS_ADDR .Values.redis.enabled) }}
{{- fail "DEDUP_BACKEND=redis needs redis.enabled=true or backend.env.REDIS_ADDR" }}
{{- end }}
{{- end }}
{{- if eq $dedup "postgres" }}
{{- if not .Values.postgresConn.existingSecret }}
{{- if not .Values.postgresql.enabled }}
{{- fail "DEDUP_BACKEND=postgres needs postgresConn.existingSecret (a Secret with key POSTGRES_CONN) or postgresql.enabled=true" }}
{{- end }}
{{- if not .Values.postgresql.auth.password }}
{{- fail "DEDUP_BACKEND=postgres: the chart builds POSTGRES_CONN from postgresql.auth.password; with postgresql.auth.existingSecret set postgresConn.existingSecret instead" }}
{{- end }}
{{- end }}
{{- end }}
{{- if and .Values.agent.enabled (not .Values.agent.image.repository) }}
{{- fail "agent.enabled needs agent.image.repository: the agent has no published image, build one from agent/" }}
{{- end }}
{{- if and .Values.agent.env.PCS_SIGN_ALG (ne .Values.agent.env.PCS_SIGN_ALG $alg) }}
{{- fail (printf "agent.env.PCS_SIGN_ALG=%s differs from backend.env.PCS_SIGN_ALG=%s: signatures would not verify" .Values.agent.env.PCS_SIGN_ALG $alg) }}
{{- end }}
{{- if .Values.grafana.enabled }}
{{- if .Values.grafana.adminPassword }}
{{- fail "grafana.adminPassword must stay empty: put the password in a Secret and set grafana.admin.existingSecret" }}
{{- end }}
{{- if not .Values.grafana.admin.existingSecret }}
{{- fail "grafana.enabled needs grafana.admin.existingSecret (a Secret with the admin user and password)" }}
{{- end }}
{{- end }}
{{- end }}

{{/* env list of a component: chart-derived entries, then the user's map (sorted). */}}
{{- define "fractal.env" -}}
{{- $root := index . 0 }}
{{- $component := index . 1 }}
{{- $v := index $root.Values $component }}
{{- $env := deepCopy $v.env }}
{{- $alg := include "fractal.alg" $root }}
{{- $fullname := include "fractal.fullname" $root }}
{{- if eq $component "backend" }}
{{- if and (eq (include "fractal.dedup" $root) "redis") (not $env.REDIS_ADDR) }}
{{- $host := include "fractal.subchartFullname" (dict "name" "redis" "values" $root.Values.redis "root" $root) }}
{{- $_ := set $env "REDIS_ADDR" (printf "%s-master:%v" $host (($root.Values.redis.service).port | default 6379)) }}
{{- end }}
{{- if eq (include "fractal.dedup" $root) "postgres" }}
{{- $_ := set $env "POSTGRES_CONN" (dict "valueFrom" (dict "secretKeyRef" (dict "name" (include "fractal.postgresConnSecret" $root) "key" "POSTGRES_CONN"))) }}
{{- end }}
{{- else }}
{{- $_ := set $env "PCS_SIGN_ALG" $alg }}
{{- if not $env.ENDPOINT }}
{{- $_ := set $env "ENDPOINT" (printf "http://%s-backend:%v/v1/pcs/submit" $fullname $root.Values.backend.service.port) }}
{{- end }}
{{- if not $env.OUTBOX_DIR }}
{{- $_ := set $env "OUTBOX_DIR" "/data/outbox" }}
{{- end }}
{{- end }}
{{- range $name := keys $env | sortAlpha }}
{{- $value := index $env $name }}
- name: {{ $name }}
{{- if kindIs "map" $value }}
  {{- toYaml $value | nindent 2 }}
{{- else }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/* envFrom of a component: the chart's key sources, then the user's list, without duplicates. */}}
{{- define "fractal.envFrom" -}}
{{- $root := index . 0 }}
{{- $component := index . 1 }}
{{- $alg := include "fractal.alg" $root }}
{{- $sources := list }}
{{- if eq $alg "hmac" }}
{{- $sources = append $sources (dict "secretRef" (dict "name" (include "fractal.hmacSecret" $root))) }}
{{- end }}
{{- if and (eq $alg "ed25519") (eq $component "backend") }}
{{- $sources = append $sources (dict "configMapRef" (dict "name" (include "fractal.ed25519ConfigMap" $root))) }}
{{- end }}
{{- if and (eq $alg "ed25519") (eq $component "agent") }}
{{- $sources = append $sources (dict "secretRef" (dict "name" (include "fractal.ed25519AgentSecret" $root))) }}
{{- end }}
{{- if and (eq $component "backend") (include "fractal.metricsAuth" $root) }}
{{- $sources = append $sources (dict "secretRef" (dict "name" (include "fractal.metricsSecret" $root))) }}
{{- end }}
{{- range (index $root.Values $component).envFrom }}
{{- if not (has . $sources) }}
{{- $sources = append $sources . }}
{{- end }}
{{- end }}
{{- with $sources }}
{{- toYaml . }}
{{- end }}
{{- end }}

{{/* Split a flat securityContext into its pod-level and container-level fields. */}}
{{- define "fractal.podSecurityContext" -}}
{{- toYaml (pick . "runAsNonRoot" "runAsUser" "runAsGroup" "fsGroup" "fsGroupChangePolicy" "supplementalGroups" "seccompProfile" "sysctls") }}
{{- end }}

{{- define "fractal.containerSecurityContext" -}}
{{- toYaml (pick . "runAsNonRoot" "runAsUser" "runAsGroup" "allowPrivilegeEscalation" "readOnlyRootFilesystem" "capabilities" "privileged" "seccompProfile") }}
{{- end }}
