{{/* Pod scheduling from `scheduling`, for every pod: (dict "root" $ "component" "api").
     A topology spread constraint without labelSelector gets the component's labels. */}}
{{- define "tracecat.scheduling" -}}
{{- $s := .root.Values.scheduling }}
{{- with $s.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $s.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $s.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- if $s.topologySpreadConstraints }}
topologySpreadConstraints:
{{- range $s.topologySpreadConstraints }}
{{- $c := deepCopy . }}
{{- if not (hasKey $c "labelSelector") }}
{{- $_ := set $c "labelSelector" (dict "matchLabels" (include "tracecat.selectorLabels" $ | fromYaml)) }}
{{- end }}
  - {{- toYaml $c | nindent 4 }}
{{- end }}
{{- end }}
{{- end }}

{{- define "tracecat.imagePullSecrets" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* Init container that waits until the self-hosted Temporal has the namespace and the
     search attributes the setup hook creates. Renders nothing with an external Temporal. */}}
{{- define "tracecat.waitForTemporal" -}}
{{- if .Values.temporal.enabled }}
{{- $names := list }}
{{- range .Values.tracecat.temporal.searchAttributes }}{{ $names = append $names .name }}{{ end }}
- name: wait-for-temporal
  image: {{ printf "%s:%s" .Values.temporalAdminToolsImage.repository .Values.temporalAdminToolsImage.tag }}
  imagePullPolicy: {{ .Values.temporalAdminToolsImage.pullPolicy }}
  command: [/bin/sh, -c]
  args:
    - |
      until temporal operator namespace describe --namespace "$TEMPORAL_NAMESPACE" >/dev/null 2>&1; do
        echo "waiting for Temporal namespace $TEMPORAL_NAMESPACE at $TEMPORAL_ADDRESS"; sleep 5
      done
      for attr in $SEARCH_ATTRIBUTES; do
        until temporal operator search-attribute list --namespace "$TEMPORAL_NAMESPACE" | grep -qw "$attr"; do
          echo "waiting for search attribute $attr"; sleep 5
        done
      done
  env:
    - name: TEMPORAL_ADDRESS
      value: {{ include "tracecat.temporalAddress" . | quote }}
    - name: TEMPORAL_NAMESPACE
      value: {{ include "tracecat.temporalNamespace" . | quote }}
    - name: SEARCH_ATTRIBUTES
      value: {{ join " " $names | quote }}
  resources:
    requests: {cpu: 10m, memory: 32Mi}
    limits: {cpu: 200m, memory: 128Mi}
{{- end }}
{{- end }}

{{/* Volume and mount of the PostgreSQL CA (externalPostgres.tls.verifyCA). */}}
{{- define "tracecat.postgresCAVolume" -}}
{{- if .Values.externalPostgres.tls.verifyCA }}
- name: postgres-ca
  configMap:
    name: {{ include "tracecat.fullname" . }}-postgres-ca
{{- end }}
{{- end }}

{{- define "tracecat.postgresCAMount" -}}
{{- if .Values.externalPostgres.tls.verifyCA }}
- name: postgres-ca
  mountPath: {{ dir (include "tracecat.postgresCAPath" .) }}
  readOnly: true
{{- end }}
{{- end }}

{{/* One Tracecat Deployment. Parameters (dict):
       root, component (label and name suffix), values (replicas, resources),
       image, pullPolicy, command (list or nil), ports (list), env (YAML list text),
       probes (YAML text), initContainers, volumes, volumeMounts (YAML list text),
       securityContext (container), podSecurityContext (dict), serviceAccount (bool) */}}
{{- define "tracecat.deployment" -}}
{{- $root := .root }}
{{- $labels := dict "root" $root "component" .component }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "tracecat.fullname" $root }}-{{ .component }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "tracecat.labels" $labels | nindent 4 }}
  {{- if $root.Values.reloader.enabled }}
  annotations:
    reloader.stakater.com/auto: "true"
  {{- end }}
spec:
  replicas: {{ .values.replicas }}
  selector:
    matchLabels:
      {{- include "tracecat.selectorLabels" $labels | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "tracecat.labels" $labels | nindent 8 }}
    spec:
      {{- if .serviceAccount }}
      serviceAccountName: {{ include "tracecat.serviceAccountName" $root }}
      {{- else }}
      automountServiceAccountToken: false
      {{- end }}
      {{- include "tracecat.imagePullSecrets" $root | nindent 6 }}
      {{- with .podSecurityContext }}
      securityContext:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- include "tracecat.scheduling" $labels | nindent 6 }}
      {{- with .initContainers }}
      initContainers:
        {{- . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .component }}
          image: {{ .image }}
          imagePullPolicy: {{ .pullPolicy }}
          {{- with .command }}
          command:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- with .ports }}
          ports:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          env:
            {{- .env | nindent 12 }}
          {{- with .probes }}
          {{- . | nindent 10 }}
          {{- end }}
          resources:
            {{- toYaml .values.resources | nindent 12 }}
          {{- with .securityContext }}
          securityContext:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- with .volumeMounts }}
          volumeMounts:
            {{- . | nindent 12 }}
          {{- end }}
      {{- with .volumes }}
      volumes:
        {{- . | nindent 8 }}
      {{- end }}
{{- end }}

{{/* Pod and container security for backend pods that need no privileges. */}}
{{- define "tracecat.backendPodSecurity" -}}
{{- dict "runAsUser" 1001 "runAsGroup" 1001 "fsGroup" 1001 "runAsNonRoot" true "seccompProfile" (dict "type" "RuntimeDefault") | toYaml }}
{{- end }}

{{- define "tracecat.restrictedContainer" -}}
{{- dict "allowPrivilegeEscalation" false "capabilities" (dict "drop" (list "ALL")) | toYaml }}
{{- end }}
