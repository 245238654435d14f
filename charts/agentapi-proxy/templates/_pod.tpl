{{/* Pod template shared by the StatefulSet (persistence on) and the Deployment (off). */}}
{{- define "agentapi-proxy.podTemplate" -}}
{{- $s3Secret := include "agentapi-proxy.s3SecretName" . }}
{{- $roleFiles := and .Values.roleEnvFiles.enabled .Values.roleEnvFiles.files }}
metadata:
  annotations:
    checksum/config: {{ include (print $.Template.BasePath "/configmap.yaml") . | sha256sum }}
    {{- if and (include "agentapi-proxy.s3Enabled" .) (not .Values.config.persistence.s3.existingSecret) $s3Secret }}
    checksum/s3-secret: {{ include (print $.Template.BasePath "/secret-s3.yaml") . | sha256sum }}
    {{- end }}
    {{- with .Values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  labels:
    {{- include "agentapi-proxy.labels" . | nindent 4 }}
    {{- with .Values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  {{- with .Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  serviceAccountName: {{ include "agentapi-proxy.serviceAccountName" . }}
  automountServiceAccountToken: {{ .Values.serviceAccount.automount }}
  {{- with .Values.podSecurityContext }}
  securityContext:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  containers:
    - name: {{ .Chart.Name }}
      image: {{ include "agentapi-proxy.image" . | quote }}
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      {{- with .Values.securityContext }}
      securityContext:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      ports:
        - name: http
          containerPort: 8080
          protocol: TCP
        - name: agentapi-start
          containerPort: {{ .Values.config.startPort }}
          protocol: TCP
      envFrom:
        - configMapRef:
            name: {{ include "agentapi-proxy.fullname" . }}-config
        {{- with .Values.envFrom }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- if or (and (include "agentapi-proxy.s3Enabled" .) $s3Secret) .Values.env }}
      env:
        {{- if and (include "agentapi-proxy.s3Enabled" .) $s3Secret }}
        - name: AGENTAPI_PERSISTENCE_S3_ACCESS_KEY
          valueFrom:
            secretKeyRef:
              name: {{ $s3Secret }}
              key: access-key
        - name: AGENTAPI_PERSISTENCE_S3_SECRET_KEY
          valueFrom:
            secretKeyRef:
              name: {{ $s3Secret }}
              key: secret-key
        {{- end }}
        {{- with .Values.env }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- end }}
      {{- with .Values.livenessProbe }}
      livenessProbe:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.readinessProbe }}
      readinessProbe:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.resources }}
      resources:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- if or .Values.persistence.enabled $roleFiles }}
      volumeMounts:
        {{- if .Values.persistence.enabled }}
        - name: data
          mountPath: {{ .Values.persistence.mountPath }}
        {{- end }}
        {{- if $roleFiles }}
        - name: role-env-files
          mountPath: {{ .Values.config.roleEnvFiles.path }}
          readOnly: true
        {{- end }}
      {{- end }}
  {{- if $roleFiles }}
  volumes:
    # One projected volume: each file of roleEnvFiles.files from its own Secret and key.
    - name: role-env-files
      projected:
        sources:
          {{- range $file, $src := .Values.roleEnvFiles.files }}
          - secret:
              name: {{ $src.secretName }}
              items:
                - key: {{ $src.key | quote }}
                  path: {{ $file | quote }}
          {{- end }}
  {{- end }}
  {{- with .Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
