{{/*
The env of each component (APPS.md §3). Contract Secrets are read by secretKeyRef, so every
Secret and key a container needs is visible on the pod spec.
*/}}

{{- define "incidentfox.env.namespace" -}}
- name: K8S_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
{{- end -}}

{{- define "incidentfox.env.databaseUrl" -}}
{{ include "incidentfox.secretEnv" (dict "env" "DATABASE_URL" "secret" (include "incidentfox.secret.databaseUrl" .) "key" "DATABASE_URL") }}
{{- end -}}

{{/* The service URLs the orchestrator (and its migration) must have non-empty. */}}
{{- define "incidentfox.env.orchestratorUrls" -}}
- name: CONFIG_SERVICE_URL
  value: {{ include "incidentfox.url" (dict "root" . "svc" "configService") | quote }}
- name: AI_PIPELINE_API_URL
  value: {{ include "incidentfox.url" (dict "root" . "svc" "aiPipeline") | quote }}
- name: AGENT_API_URL
  value: {{ include "incidentfox.url" (dict "root" . "svc" "agent") | quote }}
{{- end -}}

{{- define "incidentfox.env.configService" -}}
{{- $cs := .Values.services.configService -}}
{{- $cfg := include "incidentfox.secret.configService" . -}}
{{ include "incidentfox.env.databaseUrl" . }}
{{ include "incidentfox.secretEnv" (dict "env" "ADMIN_TOKEN" "secret" $cfg "key" "ADMIN_TOKEN") }}
{{ include "incidentfox.secretEnv" (dict "env" "TOKEN_PEPPER" "secret" $cfg "key" "TOKEN_PEPPER") }}
{{ include "incidentfox.secretEnv" (dict "env" "IMPERSONATION_JWT_SECRET" "secret" $cfg "key" "IMPERSONATION_JWT_SECRET") }}
- name: IMPERSONATION_JWT_AUDIENCE
  value: incidentfox-agent-runtime
- name: IMPERSONATION_JTI_DB_LOGGING
  value: {{ include "incidentfox.flag" $cs.impersonation.jtiDbLogging | quote }}
- name: IMPERSONATION_JTI_DB_REQUIRE
  value: {{ include "incidentfox.flag" $cs.impersonation.jtiDbRequire | quote }}
- name: ADMIN_AUTH_MODE
  value: {{ $cs.adminAuthMode | quote }}
- name: TEAM_AUTH_MODE
  value: {{ $cs.teamAuthMode | quote }}
- name: ADMIN_PERMISSIONS_DEFAULT
  value: {{ $cs.adminPermissionsDefault | quote }}
- name: ADMIN_GROUP_PERMISSIONS_JSON
  value: {{ include "incidentfox.adminGroupPermissionsJson" . | quote }}
- name: OIDC_ENABLED
  value: {{ include "incidentfox.flag" $cs.oidc.enabled | quote }}
{{- if $cs.oidc.enabled }}
- name: OIDC_ISSUER
  value: {{ $cs.oidc.issuer | quote }}
- name: OIDC_AUDIENCE
  value: {{ $cs.oidc.audience | quote }}
{{- with $cs.oidc.jwksUrl }}
- name: OIDC_JWKS_URL
  value: {{ . | quote }}
{{- end }}
{{- with $cs.oidc.jwksJson }}
- name: OIDC_JWKS_JSON
  value: {{ . | quote }}
{{- end }}
- name: OIDC_ALG
  value: {{ $cs.oidc.alg | quote }}
- name: OIDC_LEEWAY_SECONDS
  value: {{ $cs.oidc.leewaySeconds | toString | quote }}
{{- with $cs.oidc.adminGroup }}
- name: OIDC_ADMIN_GROUP
  value: {{ . | quote }}
{{- end }}
{{- range $name, $env := dict "groups" "OIDC_GROUPS_CLAIM" "orgId" "OIDC_ORG_ID_CLAIM" "teamNodeId" "OIDC_TEAM_NODE_ID_CLAIM" "email" "OIDC_EMAIL_CLAIM" "subject" "OIDC_SUBJECT_CLAIM" }}
{{- with index $cs.oidc.claims $name }}
- name: {{ $env }}
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "incidentfox.env.orchestrator" -}}
{{- $o := .Values.services.orchestrator -}}
{{ include "incidentfox.env.databaseUrl" . }}
{{ include "incidentfox.env.orchestratorUrls" . }}
{{ include "incidentfox.secretEnv" (dict "env" "ORCHESTRATOR_INTERNAL_ADMIN_TOKEN" "secret" (include "incidentfox.secret.configService" .) "key" "ADMIN_TOKEN") }}
- name: ORCHESTRATOR_ADMIN_AUTH_CACHE_TTL_SECONDS
  value: {{ $o.adminAuthCacheTtlSeconds | toString | quote }}
- name: ORCHESTRATOR_REQUIRE_ADMIN_STAR
  value: {{ include "incidentfox.flag" $o.requireAdminStar | quote }}
- name: ORCHESTRATOR_REQUIRED_PERMISSION_PROVISION_TEAM
  value: {{ $o.requiredPermissions.provisionTeam | quote }}
- name: ORCHESTRATOR_REQUIRED_PERMISSION_PROVISION_READ
  value: {{ $o.requiredPermissions.provisionRead | quote }}
- name: ORCHESTRATOR_REQUIRED_PERMISSION_AGENT_RUN
  value: {{ $o.requiredPermissions.agentRun | quote }}
{{ include "incidentfox.env.namespace" . }}
{{- end -}}

{{- define "incidentfox.env.agent" -}}
{{- $a := .Values.services.agent -}}
{{- $config := include "incidentfox.url" (dict "root" . "svc" "configService") -}}
- name: USE_CONFIG_SERVICE
  value: "true"
- name: CONFIG_BASE_URL
  value: {{ $config | quote }}
- name: CONFIG_SERVICE_URL
  value: {{ $config | quote }}
- name: HEALTH_SERVER_PORT
  value: "8081"
- name: K8S_ENABLED
  value: "true"
{{ include "incidentfox.env.namespace" . }}
{{ include "incidentfox.secretEnv" (dict "env" "OPENAI_API_KEY" "secret" (include "incidentfox.secret.openai" .) "key" "api_key") }}
{{- if $a.staticTeamToken.enabled }}
{{ include "incidentfox.secretEnv" (dict "env" "INCIDENTFOX_TEAM_TOKEN" "secret" $a.staticTeamToken.secretName "key" $a.staticTeamToken.secretKey) }}
{{- end }}
{{- end -}}

{{- define "incidentfox.env.webUi" -}}
{{- $ui := .Values.services.webUi -}}
- name: HOSTNAME
  value: 0.0.0.0
- name: PORT
  value: "3000"
- name: CONFIG_SERVICE_URL
  value: {{ include "incidentfox.url" (dict "root" . "svc" "configService") | quote }}
- name: ORCHESTRATOR_URL
  value: {{ include "incidentfox.url" (dict "root" . "svc" "orchestrator") | quote }}
{{- if $ui.directAgentAccess }}
- name: AGENT_SERVICE_URL
  value: {{ include "incidentfox.url" (dict "root" . "svc" "agent") | quote }}
{{- end }}
- name: WEB_UI_COOKIE_SECURE
  value: {{ $ui.cookieSecure | toString | quote }}
- name: WEB_UI_OIDC_ENABLED
  value: {{ $ui.oidc.enabled | toString | quote }}
- name: NEXT_PUBLIC_WEB_UI_OIDC_ENABLED
  value: {{ $ui.oidc.enabled | toString | quote }}
{{- if $ui.oidc.enabled }}
- name: WEB_UI_PUBLIC_BASE_URL
  value: {{ $ui.oidc.publicBaseUrl | trimSuffix "/" | quote }}
- name: WEB_UI_OIDC_AUTHORIZATION_ENDPOINT
  value: {{ $ui.oidc.authorizationEndpoint | quote }}
- name: WEB_UI_OIDC_TOKEN_ENDPOINT
  value: {{ $ui.oidc.tokenEndpoint | quote }}
- name: WEB_UI_OIDC_CLIENT_ID
  value: {{ $ui.oidc.clientId | quote }}
- name: WEB_UI_OIDC_SCOPES
  value: {{ $ui.oidc.scopes | quote }}
{{ include "incidentfox.secretEnv" (dict "env" "WEB_UI_OIDC_CLIENT_SECRET" "secret" $ui.oidc.clientSecret.secretName "key" $ui.oidc.clientSecret.secretKey) }}
{{- end }}
{{- end -}}

{{- define "incidentfox.env.aiPipeline" -}}
{{- $p := .Values.services.aiPipeline -}}
{{- $config := include "incidentfox.url" (dict "root" . "svc" "configService") -}}
{{ include "incidentfox.env.databaseUrl" . }}
- name: CONFIG_BASE_URL
  value: {{ $config | quote }}
- name: CONFIG_SERVICE_URL
  value: {{ $config | quote }}
{{ include "incidentfox.secretEnv" (dict "env" "CONFIG_SERVICE_ADMIN_TOKEN" "secret" (include "incidentfox.secret.configService" .) "key" "ADMIN_TOKEN") }}
{{ include "incidentfox.secretEnv" (dict "env" "OPENAI_API_KEY" "secret" (include "incidentfox.secret.openai" .) "key" "api_key") }}
- name: PIPELINE_API_PORT
  value: "8090"
{{- with $p.orgId }}
- name: IFX_ORG_ID
  value: {{ . | quote }}
{{- end }}
{{- end -}}
