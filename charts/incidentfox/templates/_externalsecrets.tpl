{{/*
The ExternalSecrets this release renders, as YAML: a list of {name, data: {secretKey: {key, property}}}.
The three contract Secrets always (when externalSecrets.enabled); the optional ones when their
feature is on and an AWS Secrets Manager key is configured for them.
*/}}
{{- define "incidentfox.externalSecrets" -}}
{{- $es := .Values.externalSecrets -}}
{{- $out := list -}}
{{- if $es.enabled -}}
{{- $out = append $out (dict "name" (include "incidentfox.secret.databaseUrl" .) "data" $es.contract.databaseUrl) -}}
{{- $out = append $out (dict "name" (include "incidentfox.secret.configService" .) "data" $es.contract.configService) -}}
{{- $out = append $out (dict "name" (include "incidentfox.secret.openai" .) "data" $es.contract.openai) -}}
{{- $stt := .Values.services.agent.staticTeamToken -}}
{{- if and $stt.enabled $es.contract.teamToken.key -}}
{{- $out = append $out (dict "name" $stt.secretName "data" (dict $stt.secretKey $es.contract.teamToken)) -}}
{{- end -}}
{{- $ui := .Values.services.webUi.oidc -}}
{{- if and $ui.enabled $es.contract.webUiOidcClientSecret.key -}}
{{- $out = append $out (dict "name" $ui.clientSecret.secretName "data" (dict $ui.clientSecret.secretKey $es.contract.webUiOidcClientSecret)) -}}
{{- end -}}
{{- end -}}
{{- toYaml (dict "items" $out) -}}
{{- end -}}
