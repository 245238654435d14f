{{/*
Render-time checks. Each failure names the value to set and what is wrong.
*/}}

{{/* The admin group permissions as a JSON string, from a string or a map value. */}}
{{- define "incidentfox.adminGroupPermissionsJson" -}}
{{- $v := .Values.services.configService.adminGroupPermissionsJson -}}
{{- if kindIs "map" $v -}}
{{- toJson $v -}}
{{- else -}}
{{- default "{}" $v | trim -}}
{{- end -}}
{{- end -}}

{{- define "incidentfox.validate.permissions" -}}
{{- $path := "services.configService.adminGroupPermissionsJson" -}}
{{- $text := include "incidentfox.adminGroupPermissionsJson" . -}}
{{- if not (hasPrefix "{" $text) -}}
{{- fail (printf "%s must be a JSON object mapping each group to a list of permissions, e.g. {\"incidentfox-admins\":[\"admin:*\"]}" $path) -}}
{{- end -}}
{{- $parsed := fromJson $text -}}
{{- if and (hasKey $parsed "Error") (kindIs "string" (get $parsed "Error")) -}}
{{- fail (printf "%s is not valid JSON: %s" $path (get $parsed "Error")) -}}
{{- end -}}
{{- range $group, $perms := $parsed -}}
{{- if not (kindIs "slice" $perms) -}}
{{- fail (printf "%s: group %q must map to a list of permissions, e.g. [\"admin:read\"]" $path $group) -}}
{{- end -}}
{{- range $perms -}}
{{- if or (not (kindIs "string" .)) (eq (toString .) "") -}}
{{- fail (printf "%s: group %q has a permission that is not a non-empty string" $path $group) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "incidentfox.validate" -}}
{{- $cs := .Values.services.configService -}}
{{- $oidc := $cs.oidc -}}
{{- $modes := list "token" "oidc" "both" -}}
{{- if not (has $cs.adminAuthMode $modes) -}}
{{- fail (printf "services.configService.adminAuthMode must be token, oidc or both (got %q)" (toString $cs.adminAuthMode)) -}}
{{- end -}}
{{- if not (has $cs.teamAuthMode $modes) -}}
{{- fail (printf "services.configService.teamAuthMode must be token, oidc or both (got %q)" (toString $cs.teamAuthMode)) -}}
{{- end -}}
{{- if and (ne $cs.adminAuthMode "token") (not $oidc.enabled) -}}
{{- fail (printf "services.configService.adminAuthMode=%s needs services.configService.oidc.enabled=true" $cs.adminAuthMode) -}}
{{- end -}}
{{- if $oidc.enabled -}}
{{- range $field := list "issuer" "audience" -}}
{{- if not (index $oidc $field) -}}
{{- fail (printf "services.configService.oidc.%s is required when services.configService.oidc.enabled=true" $field) -}}
{{- end -}}
{{- end -}}
{{- if and $oidc.jwksUrl $oidc.jwksJson -}}
{{- fail "services.configService.oidc: set jwksUrl or jwksJson, not both" -}}
{{- end -}}
{{- if not (or $oidc.jwksUrl $oidc.jwksJson) -}}
{{- fail "services.configService.oidc.jwksUrl (or jwksJson for dev) is required when services.configService.oidc.enabled=true" -}}
{{- end -}}
{{- if $oidc.jwksJson -}}
{{- $jwks := fromJson $oidc.jwksJson -}}
{{- if or (and (hasKey $jwks "Error") (kindIs "string" (get $jwks "Error"))) (not (hasKey $jwks "keys")) -}}
{{- fail "services.configService.oidc.jwksJson must be a JSON Web Key Set: {\"keys\": [...]}" -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- include "incidentfox.validate.permissions" . -}}
{{- if and $cs.impersonation.jtiDbRequire (not $cs.impersonation.jtiDbLogging) -}}
{{- fail "services.configService.impersonation.jtiDbRequire=true needs jtiDbLogging=true, or every impersonation token is rejected" -}}
{{- end -}}

{{- $ui := .Values.services.webUi -}}
{{- if $ui.oidc.enabled -}}
{{- range $field := list "publicBaseUrl" "authorizationEndpoint" "tokenEndpoint" "clientId" -}}
{{- if not (index $ui.oidc $field) -}}
{{- fail (printf "services.webUi.oidc.%s is required when services.webUi.oidc.enabled=true" $field) -}}
{{- end -}}
{{- end -}}
{{- if not (and $ui.oidc.clientSecret.secretName $ui.oidc.clientSecret.secretKey) -}}
{{- fail "services.webUi.oidc.clientSecret.secretName and secretKey are required when services.webUi.oidc.enabled=true" -}}
{{- end -}}
{{- if not (regexMatch "^https?://" $ui.oidc.publicBaseUrl) -}}
{{- fail (printf "services.webUi.oidc.publicBaseUrl must be an http(s) URL (got %q)" $ui.oidc.publicBaseUrl) -}}
{{- end -}}
{{- if and $ui.cookieSecure (hasPrefix "http://" $ui.oidc.publicBaseUrl) -}}
{{- fail "services.webUi.cookieSecure=true needs an https services.webUi.oidc.publicBaseUrl: browsers drop secure cookies over http" -}}
{{- end -}}
{{- if eq $cs.adminAuthMode "token" -}}
{{- fail "services.webUi.oidc.enabled=true needs services.configService.adminAuthMode oidc or both, so the UI's OIDC tokens are accepted" -}}
{{- end -}}
{{- end -}}

{{- $stt := .Values.services.agent.staticTeamToken -}}
{{- if and $stt.enabled (not (and $stt.secretName $stt.secretKey)) -}}
{{- fail "services.agent.staticTeamToken.secretName and secretKey are required when staticTeamToken.enabled=true" -}}
{{- end -}}

{{- $root := . -}}
{{- range $svc := list "configService" "orchestrator" "agent" "webUi" "aiPipeline" -}}
{{- $s := index $root.Values.services $svc -}}
{{- if and $s.hpa.enabled (gt (int $s.hpa.minReplicas) (int $s.hpa.maxReplicas)) -}}
{{- fail (printf "services.%s.hpa.minReplicas must not exceed maxReplicas" $svc) -}}
{{- end -}}
{{- if and $s.hpa.enabled (not (or $s.hpa.targetCPUUtilizationPercentage $s.hpa.targetMemoryUtilizationPercentage)) -}}
{{- fail (printf "services.%s.hpa needs targetCPUUtilizationPercentage or targetMemoryUtilizationPercentage" $svc) -}}
{{- end -}}
{{- if $s.pdb.enabled -}}
{{- if and (kindIs "invalid" $s.pdb.minAvailable) (kindIs "invalid" $s.pdb.maxUnavailable) -}}
{{- fail (printf "services.%s.pdb needs minAvailable or maxUnavailable" $svc) -}}
{{- end -}}
{{- if and (not (kindIs "invalid" $s.pdb.minAvailable)) (not (kindIs "invalid" $s.pdb.maxUnavailable)) -}}
{{- fail (printf "services.%s.pdb: set minAvailable or maxUnavailable, not both (null the other)" $svc) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- $es := .Values.externalSecrets -}}
{{- if $es.enabled -}}
{{- if not $es.secretStoreRef.name -}}
{{- fail "externalSecrets.secretStoreRef.name is required when externalSecrets.enabled=true" -}}
{{- end -}}
{{- range $secret, $keys := pick $es.contract "databaseUrl" "configService" "openai" -}}
{{- range $key, $ref := $keys -}}
{{- if not $ref.key -}}
{{- fail (printf "externalSecrets.contract.%s.%s.key (the AWS Secrets Manager secret) is required when externalSecrets.enabled=true" $secret $key) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- $ing := .Values.ingress -}}
{{- if $ing.enabled -}}
{{- if not (has $ing.alb.scheme (list "internal" "internet-facing")) -}}
{{- fail (printf "ingress.alb.scheme must be internal or internet-facing (got %q)" (toString $ing.alb.scheme)) -}}
{{- end -}}
{{- if and $ing.alb.https.enabled (not (or $ing.alb.https.certificateArn $ing.host)) -}}
{{- fail "ingress.alb.https.enabled=true needs ingress.alb.https.certificateArn or ingress.host (for certificate discovery)" -}}
{{- end -}}
{{- end -}}
{{- end -}}
