{{/* Environment of the backend containers, in blocks. Each block renders list items. */}}

{{- define "tracecat.env.common" -}}
- name: LOG_LEVEL
  value: {{ .Values.tracecat.logLevel | quote }}
- name: TRACECAT__APP_ENV
  value: {{ .Values.tracecat.appEnv | quote }}
- name: TRACECAT__FEATURE_FLAGS
  value: {{ include "tracecat.featureFlags" . | quote }}
- name: TRACECAT__EE_MULTI_TENANT
  value: {{ .Values.enterprise.multiTenant | toString | quote }}
{{- end }}

{{/* tracecat.featureFlags followed by enterprise.featureFlags, comma-joined. */}}
{{- define "tracecat.featureFlags" -}}
{{- $flags := list }}
{{- range (list .Values.tracecat.featureFlags .Values.enterprise.featureFlags) }}
{{- range (splitList "," (toString .)) }}
{{- if trim . }}{{ $flags = append $flags (trim .) }}{{ end }}
{{- end }}
{{- end }}
{{- join "," $flags }}
{{- end }}

{{/* Core keys; (dict "root" $ "userAuth" true) adds USER_AUTH_SECRET (api only). */}}
{{- define "tracecat.env.core" -}}
{{- $secret := include "tracecat.coreSecretName" .root }}
- name: TRACECAT__DB_ENCRYPTION_KEY
  valueFrom:
    secretKeyRef: {name: {{ $secret }}, key: dbEncryptionKey}
- name: TRACECAT__SERVICE_KEY
  valueFrom:
    secretKeyRef: {name: {{ $secret }}, key: serviceKey}
- name: TRACECAT__SIGNING_SECRET
  valueFrom:
    secretKeyRef: {name: {{ $secret }}, key: signingSecret}
{{- if .userAuth }}
- name: USER_AUTH_SECRET
  valueFrom:
    secretKeyRef: {name: {{ $secret }}, key: userAuthSecret}
{{- end }}
{{- end }}

{{- define "tracecat.postgresCAPath" -}}
/etc/tracecat/postgres-ca/ca.crt
{{- end }}

{{- define "tracecat.env.postgres" -}}
{{- $pg := .Values.externalPostgres }}
{{- $secret := include "tracecat.postgresSecretName" . }}
{{- if $pg.auth.username }}
- name: TRACECAT__DB_USER
  value: {{ $pg.auth.username | quote }}
{{- else if $secret }}
- name: TRACECAT__DB_USER
  valueFrom:
    secretKeyRef: {name: {{ $secret }}, key: username}
{{- end }}
{{- if $secret }}
- name: TRACECAT__DB_PASS
  valueFrom:
    secretKeyRef: {name: {{ $secret }}, key: password}
{{- end }}
{{- if $pg.auth.secretArn }}
- name: TRACECAT__DB_PASS__ARN
  value: {{ $pg.auth.secretArn | quote }}
{{- end }}
- name: TRACECAT__DB_ENDPOINT
  value: {{ required "externalPostgres.host is required: set it to the PostgreSQL hostname" $pg.host | quote }}
- name: TRACECAT__DB_PORT
  value: {{ $pg.port | toString | quote }}
- name: TRACECAT__DB_NAME
  value: {{ $pg.database | quote }}
- name: TRACECAT__DB_SSLMODE
  value: {{ $pg.sslMode | quote }}
- name: PGSSLMODE
  value: {{ $pg.sslMode | quote }}
{{- if $pg.tls.verifyCA }}
- name: PGSSLROOTCERT
  value: {{ include "tracecat.postgresCAPath" . }}
{{- end }}
{{- end }}

{{- define "tracecat.env.redis" -}}
{{- $secret := include "tracecat.redisSecretName" . }}
{{- if $secret }}
- name: REDIS_URL
  valueFrom:
    secretKeyRef: {name: {{ $secret }}, key: url}
{{- end }}
{{- if .Values.externalRedis.auth.secretArn }}
- name: REDIS_URL__ARN
  value: {{ .Values.externalRedis.auth.secretArn | quote }}
{{- end }}
{{- end }}

{{- define "tracecat.temporalAddress" -}}
{{- if .Values.temporal.enabled }}
{{- printf "%s-temporal-frontend:7233" .Release.Name }}
{{- else }}
{{- .Values.externalTemporal.clusterUrl }}
{{- end }}
{{- end }}

{{- define "tracecat.temporalNamespace" -}}
{{- ternary .Values.tracecat.temporal.namespace .Values.externalTemporal.clusterNamespace .Values.temporal.enabled }}
{{- end }}

{{- define "tracecat.env.temporal" -}}
- name: TEMPORAL__CLUSTER_URL
  value: {{ include "tracecat.temporalAddress" . | quote }}
- name: TEMPORAL__CLUSTER_NAMESPACE
  value: {{ include "tracecat.temporalNamespace" . | quote }}
- name: TEMPORAL__CLUSTER_QUEUE
  value: {{ ternary .Values.temporal.clusterQueue .Values.externalTemporal.clusterQueue .Values.temporal.enabled | quote }}
{{- if not .Values.temporal.enabled }}
{{- $secret := include "tracecat.temporalSecretName" . }}
{{- if $secret }}
- name: TEMPORAL__API_KEY
  valueFrom:
    secretKeyRef: {name: {{ $secret }}, key: apiKey}
{{- end }}
{{- if .Values.externalTemporal.auth.secretArn }}
- name: TEMPORAL__API_KEY__ARN
  value: {{ .Values.externalTemporal.auth.secretArn | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/* Blob storage; (dict "root" $ "presigned" true) adds the presigned URL endpoint (api). */}}
{{- define "tracecat.env.blob" -}}
{{- $v := .root.Values }}
{{- $endpoint := default $v.externalS3.endpoint $v.tracecat.blobStorage.endpoint }}
{{- if $endpoint }}
- name: TRACECAT__BLOB_STORAGE_ENDPOINT
  value: {{ $endpoint | quote }}
{{- end }}
{{- if and .presigned $v.tracecat.blobStorage.presignedUrlEndpoint }}
- name: TRACECAT__BLOB_STORAGE_PRESIGNED_URL_ENDPOINT
  value: {{ $v.tracecat.blobStorage.presignedUrlEndpoint | quote }}
{{- end }}
{{- range $kind, $bucket := $v.tracecat.blobStorage.buckets }}
{{- if $bucket }}
- name: TRACECAT__BLOB_STORAGE_BUCKET_{{ upper $kind }}
  value: {{ $bucket | quote }}
{{- end }}
{{- end }}
{{- if $v.externalS3.region }}
- name: AWS_REGION
  value: {{ $v.externalS3.region | quote }}
- name: AWS_DEFAULT_REGION
  value: {{ $v.externalS3.region | quote }}
{{- end }}
{{- with $v.externalS3.auth.existingSecret }}
- name: AWS_ACCESS_KEY_ID
  valueFrom:
    secretKeyRef: {name: {{ . }}, key: accessKeyId}
- name: AWS_SECRET_ACCESS_KEY
  valueFrom:
    secretKeyRef: {name: {{ . }}, key: secretAccessKey}
{{- end }}
{{- end }}

{{/* Everything a backend component shares: (dict "root" $ "userAuth" bool "presigned" bool) */}}
{{- define "tracecat.env.backend" -}}
{{ include "tracecat.env.common" .root }}
{{ include "tracecat.env.core" . }}
{{ include "tracecat.env.postgres" .root }}
{{ include "tracecat.env.redis" .root }}
{{ include "tracecat.env.temporal" .root }}
{{- with include "tracecat.env.blob" . }}
{{ . }}
{{- end }}
{{- end }}

{{- define "tracecat.env.api" -}}
- name: TRACECAT__API_ROOT_PATH
  value: /api
- name: TRACECAT__API_URL
  value: {{ include "tracecat.apiUrl" . | quote }}
- name: TRACECAT__PUBLIC_APP_URL
  value: {{ include "tracecat.publicAppUrl" . | quote }}
- name: TRACECAT__PUBLIC_API_URL
  value: {{ include "tracecat.publicApiUrl" . | quote }}
- name: TRACECAT__ALLOW_ORIGINS
  value: {{ default (include "tracecat.publicAppUrl" .) .Values.tracecat.allowOrigins | quote }}
- name: TRACECAT__REGISTRY_SYNC_BUILTIN_USE_INSTALLED_SITE_PACKAGES
  value: "true"
- name: TRACECAT__AUTH_TYPES
  value: {{ .Values.tracecat.auth.types | quote }}
- name: TRACECAT__AUTH_ALLOWED_DOMAINS
  value: {{ .Values.tracecat.auth.allowedDomains | quote }}
- name: TRACECAT__AUTH_MIN_PASSWORD_LENGTH
  value: {{ .Values.tracecat.auth.minPasswordLength | toString | quote }}
{{- with .Values.tracecat.auth.superadminEmail }}
- name: TRACECAT__AUTH_SUPERADMIN_EMAIL
  value: {{ . | quote }}
{{- end }}
- name: RUN_MIGRATIONS
  value: {{ .Values.api.runMigrations | toString | quote }}
{{- end }}

{{/* worker and agentWorker */}}
{{- define "tracecat.env.worker" -}}
- name: TRACECAT__API_ROOT_PATH
  value: /api
- name: TRACECAT__API_URL
  value: {{ include "tracecat.apiUrl" . | quote }}
- name: TRACECAT__PUBLIC_API_URL
  value: {{ include "tracecat.publicApiUrl" . | quote }}
{{- end }}

{{/* executor and agentExecutor */}}
{{- define "tracecat.env.executor" -}}
{{- $t := .Values.tracecat }}
- name: TRACECAT__API_URL
  value: {{ include "tracecat.apiUrl" . | quote }}
- name: TRACECAT__DISABLE_NSJAIL
  value: {{ $t.sandbox.disableNsjail | toString | quote }}
- name: TRACECAT__SANDBOX_NSJAIL_PATH
  value: /usr/local/bin/nsjail
- name: TRACECAT__SANDBOX_ROOTFS_PATH
  value: /var/lib/tracecat/sandbox-rootfs
- name: TRACECAT__SANDBOX_CACHE_DIR
  value: /var/lib/tracecat/sandbox-cache
- name: TRACECAT__UNSAFE_DISABLE_SM_MASKING
  value: "false"
- name: TRACECAT__EXECUTOR_BACKEND
  value: {{ $t.executor.backend | quote }}
- name: TRACECAT__EXECUTOR_QUEUE
  value: {{ $t.queues.action | quote }}
{{- with $t.executor.workerPoolSize | toString }}
- name: TRACECAT__EXECUTOR_WORKER_POOL_SIZE
  value: {{ . | quote }}
{{- end }}
{{- end }}

{{/* Agent queue names (agentWorker, agentExecutor); TRACECAT__EXECUTOR_QUEUE comes elsewhere. */}}
{{- define "tracecat.env.agentQueues" -}}
{{- $t := .Values.tracecat }}
- name: TRACECAT__AGENT_QUEUE
  value: {{ $t.queues.agent | quote }}
- name: TRACECAT__AGENT_EXECUTOR_QUEUE
  value: {{ $t.queues.agentExecutor | quote }}
{{- with $t.executor.clientTimeout | toString }}
- name: TRACECAT__EXECUTOR_CLIENT_TIMEOUT
  value: {{ . | quote }}
{{- end }}
{{- end }}
