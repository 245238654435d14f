{{- define "temporal.web" -}}
{{- $w := .Values.web }}
{{- $labels := dict "ctx" . "component" "web" "imageUser" true }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "temporal.fullname" . }}-web
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "temporal.labels" $labels | nindent 4 }}
  {{- if .reloader }}
  annotations:
    reloader.stakater.com/auto: "true"
  {{- end }}
spec:
  replicas: {{ $w.replicas }}
  selector:
    matchLabels:
      {{- include "temporal.selectorLabels" $labels | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "temporal.labels" $labels | nindent 8 }}
    spec:
      {{- include "temporal.podCommon" $labels | nindent 6 }}
      containers:
        - name: web
          image: {{ include "temporal.image" $w.image }}
          imagePullPolicy: {{ $w.image.pullPolicy }}
          env:
            - name: TEMPORAL_ADDRESS
              value: {{ printf "%s-frontend:7233" (include "temporal.fullname" .) | quote }}
            - name: TEMPORAL_UI_PORT
              value: "8080"
          {{- with $w.additionalEnvSecretName }}
          envFrom:
            - secretRef: {name: {{ . }}}
          {{- end }}
          ports:
            - {name: http, containerPort: 8080, protocol: TCP}
          readinessProbe:
            tcpSocket: {port: http}
          resources:
            {{- toYaml $w.resources | nindent 12 }}
          securityContext:
            {{- include "temporal.containerSecurity" . | nindent 12 }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ include "temporal.fullname" . }}-web
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "temporal.labels" $labels | nindent 4 }}
spec:
  type: ClusterIP
  selector:
    {{- include "temporal.selectorLabels" $labels | nindent 4 }}
  ports:
    - {name: http, port: 8080, targetPort: http, protocol: TCP}
{{- end }}

{{/* Hook Job that creates (when allowed) and migrates the two Temporal databases. It runs
     post-install/post-upgrade, so Secrets made by ExternalSecrets already exist; weight -10
     puts it before the tracecat namespace setup hook. One container per database; they
     run side by side. */}}
{{- define "temporal.schemaJob" -}}
{{- $v := .Values }}
{{- $labels := dict "ctx" . "component" "schema" }}
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ include "temporal.fullname" . }}-schema
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "temporal.labels" $labels | nindent 4 }}
  annotations:
    helm.sh/hook: post-install,post-upgrade
    helm.sh/hook-weight: "-10"
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
spec:
  backoffLimit: 10
  activeDeadlineSeconds: 900
  template:
    metadata:
      labels:
        {{- include "temporal.labels" $labels | nindent 8 }}
    spec:
      restartPolicy: OnFailure
      {{- include "temporal.podCommon" $labels | nindent 6 }}
      containers:
        {{- range $store := list "default" "visibility" }}
        {{- $d := include "temporal.datastore" (dict "ctx" $ "store" $store) | fromYaml }}
        - name: {{ $store }}
          image: {{ include "temporal.image" $v.admintools.image }}
          imagePullPolicy: {{ $v.admintools.image.pullPolicy }}
          command: [/bin/sh, -ec]
          args:
            - |
              {{- if $v.schema.createDatabase }}
              temporal-sql-tool create-database \
                || echo "create-database failed (the database may exist already); continuing"
              {{- end }}
              {{- if $v.schema.manageSchema }}
              temporal-sql-tool setup-schema -v 0.0
              temporal-sql-tool update-schema --schema-name {{ printf "postgresql/v12/%s" (ternary "temporal" "visibility" (eq $store "default")) }}
              {{- end }}
          env:
            - name: SQL_PLUGIN
              value: {{ $d.pluginName | quote }}
            - name: SQL_HOST
              value: {{ splitList ":" $d.connectAddr | first | quote }}
            - name: SQL_PORT
              value: {{ splitList ":" $d.connectAddr | last | quote }}
            - name: SQL_DATABASE
              value: {{ $d.databaseName | quote }}
            - name: SQL_USER
              {{- if $d.user }}
              value: {{ $d.user | quote }}
              {{- else }}
              valueFrom:
                secretKeyRef: {name: {{ $d.existingSecret }}, key: {{ $d.userSecretKey }}}
              {{- end }}
            - name: SQL_PASSWORD
              valueFrom:
                secretKeyRef: {name: {{ $d.existingSecret }}, key: {{ $d.secretKey }}}
            {{- if $d.tls }}
            - name: SQL_TLS
              value: "true"
            - name: SQL_TLS_ENABLE_HOST_VERIFICATION
              value: {{ $d.enableHostVerification | toString | quote }}
            {{- with $d.caFile }}
            - name: SQL_TLS_CA_FILE
              value: {{ . }}
            {{- end }}
            {{- end }}
          resources:
            requests: {cpu: 50m, memory: 64Mi}
            limits: {cpu: 500m, memory: 256Mi}
          securityContext:
            {{- include "temporal.containerSecurity" . | nindent 12 }}
          {{- with include "temporal.caMount" $labels }}
          volumeMounts:
            {{- . | nindent 12 }}
          {{- end }}
        {{- end }}
      {{- with include "temporal.caVolume" $labels }}
      volumes:
        {{- . | nindent 8 }}
      {{- end }}
{{- end }}
