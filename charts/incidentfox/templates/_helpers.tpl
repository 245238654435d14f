{{/*
Names, labels and the addresses the services use to reach each other.
*/}}

{{- define "incidentfox.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{/* Prefix of every object name: "incidentfox" for the documented release name. */}}
{{- define "incidentfox.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := include "incidentfox.name" . -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The components: values key → name suffix and container port. */}}
{{- define "incidentfox.components" -}}
configService: {component: config-service, port: 8080}
orchestrator: {component: orchestrator, port: 8070}
agent: {component: agent, port: 8080}
webUi: {component: web-ui, port: 3000}
aiPipeline: {component: ai-pipeline, port: 8090}
{{- end -}}

{{/* Object name of a component: (dict "root" $ "svc" "configService") */}}
{{- define "incidentfox.componentName" -}}
{{- $c := index (include "incidentfox.components" .root | fromYaml) .svc -}}
{{- printf "%s-%s" (include "incidentfox.fullname" .root) $c.component -}}
{{- end -}}

{{/* In-cluster URL of a component, derived from the release: (dict "root" $ "svc" "agent") */}}
{{- define "incidentfox.url" -}}
{{- $c := index (include "incidentfox.components" .root | fromYaml) .svc -}}
{{- printf "http://%s.%s.svc.cluster.local:%v" (include "incidentfox.componentName" .) .root.Release.Namespace $c.port -}}
{{- end -}}

{{- define "incidentfox.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "incidentfox.selectorLabels" -}}
app.kubernetes.io/name: {{ include "incidentfox.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* (dict "root" $ "component" "config-service") */}}
{{- define "incidentfox.labels" -}}
helm.sh/chart: {{ include "incidentfox.chart" .root }}
{{ include "incidentfox.selectorLabels" . }}
app.kubernetes.io/part-of: incidentfox
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- with .root.Chart.AppVersion }}
app.kubernetes.io/version: {{ . | quote }}
{{- end }}
{{- end -}}

{{- define "incidentfox.image" -}}
{{- printf "%s:%s" .repository (toString .tag) -}}
{{- end -}}

{{/* "1" / "0" for the applications' boolean env vars. */}}
{{- define "incidentfox.flag" -}}
{{- if . -}}1{{- else -}}0{{- end -}}
{{- end -}}

{{/* Fixed names of the secrets contract. */}}
{{- define "incidentfox.secret.databaseUrl" -}}incidentfox-database-url{{- end -}}
{{- define "incidentfox.secret.configService" -}}incidentfox-config-service{{- end -}}
{{- define "incidentfox.secret.openai" -}}incidentfox-openai{{- end -}}

{{/* env entry reading one Secret key: (dict "env" "X" "secret" "s" "key" "k") */}}
{{- define "incidentfox.secretEnv" -}}
- name: {{ .env }}
  valueFrom:
    secretKeyRef:
      name: {{ .secret }}
      key: {{ .key | quote }}
{{- end -}}

{{/* The pod-spec fields every pod shares (pull secrets, scheduling, securityContext). */}}
{{- define "incidentfox.podCommon" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.scheduling.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.scheduling.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.scheduling.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* Hook annotations: (dict "weight" -30 "delete" "before-hook-creation" "job" true);
Jobs also ask Helm to print their logs when they fail. */}}
{{- define "incidentfox.hook" -}}
helm.sh/hook: pre-install,pre-upgrade
helm.sh/hook-weight: {{ .weight | quote }}
helm.sh/hook-delete-policy: {{ .delete }}
{{- if .job }}
helm.sh/hook-output-log-policy: hook-failed
{{- end }}
{{- end -}}

{{/*
Hook weights. Helm runs pre-install/pre-upgrade hooks by ascending weight and waits for
each Job to complete before the next hook:
  -30 ExternalSecrets (ESO starts syncing the contract Secrets)
  -25 ServiceAccount, Role, RoleBinding of the wait Job
  -20 Job <fullname>-wait-for-secrets: `kubectl wait` until every ExternalSecret is Ready
    0 config-service migration, 10 orchestrator migration, 20 ai-pipeline migration
*/}}
{{- define "incidentfox.weight.externalSecret" -}}-30{{- end -}}
{{- define "incidentfox.weight.waitRbac" -}}-25{{- end -}}
{{- define "incidentfox.weight.wait" -}}-20{{- end -}}
