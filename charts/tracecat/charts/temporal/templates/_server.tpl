{{/* ConfigMap: the server config with placeholders, the script that fills them in, and the
     dynamic config. */}}
{{- define "temporal.configMap" -}}
{{- $v := .Values }}
{{- $fullname := include "temporal.fullname" . }}
{{- $p := $v.server.config.persistence }}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ $fullname }}-config
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "temporal.labels" (dict "ctx" . "component" "config") | nindent 4 }}
data:
  # __X__ placeholders are replaced at pod start by render-config.sh (logins come from Secrets).
  config.yaml: |
    log:
      stdout: true
      level: {{ $v.server.logLevel }}
    persistence:
      defaultStore: default
      visibilityStore: visibility
      numHistoryShards: {{ $p.numHistoryShards }}
      datastores:
        {{- range $store := list "default" "visibility" }}
        {{- $d := include "temporal.datastore" (dict "ctx" $ "store" $store) | fromYaml }}
        {{ $store }}:
          sql:
            pluginName: {{ $d.pluginName | quote }}
            databaseName: {{ $d.databaseName | quote }}
            connectAddr: {{ $d.connectAddr | quote }}
            connectProtocol: {{ $d.connectProtocol | quote }}
            user: "__{{ upper $store }}_USER__"
            password: "__{{ upper $store }}_PASSWORD__"
            maxConns: {{ $d.maxConns }}
            maxIdleConns: {{ $d.maxIdleConns }}
            maxConnLifetime: {{ $d.maxConnLifetime | quote }}
            {{- if $d.tls }}
            tls:
              enabled: true
              enableHostVerification: {{ $d.enableHostVerification }}
              {{- with $d.caFile }}
              caFile: {{ . }}
              {{- end }}
            {{- end }}
        {{- end }}
    global:
      membership:
        maxJoinDuration: 30s
        broadcastAddress: "__POD_IP__"
      metrics:
        prometheus:
          timerType: histogram
          listenAddress: "0.0.0.0:9090"
    services:
      frontend:
        rpc: {grpcPort: 7233, httpPort: 7243, membershipPort: 6933, bindOnIP: 0.0.0.0}
      history:
        rpc: {grpcPort: 7234, membershipPort: 6934, bindOnIP: 0.0.0.0}
      matching:
        rpc: {grpcPort: 7235, membershipPort: 6935, bindOnIP: 0.0.0.0}
      worker:
        rpc: {grpcPort: 7239, membershipPort: 6939, bindOnIP: 0.0.0.0}
    clusterMetadata:
      enableGlobalNamespace: false
      failoverVersionIncrement: 10
      masterClusterName: active
      currentClusterName: active
      clusterInformation:
        active:
          enabled: true
          initialFailoverVersion: 1
          rpcName: frontend
          rpcAddress: {{ printf "%s-frontend:7233" $fullname | quote }}
          httpAddress: {{ printf "%s-frontend:7243" $fullname | quote }}
    dcRedirectionPolicy:
      policy: noop
    archival:
      history: {state: disabled}
      visibility: {state: disabled}
    namespaceDefaults:
      archival:
        history: {state: disabled}
        visibility: {state: disabled}
    publicClient:
      hostPort: {{ printf "%s-frontend:7233" $fullname | quote }}
    dynamicConfigClient:
      filepath: /etc/temporal/dynamic-config/dynamic_config.yaml
      pollInterval: 10s
  dynamic_config.yaml: |
    {{- if $v.server.dynamicConfig }}
    {{- toYaml $v.server.dynamicConfig | nindent 4 }}
    {{- else }}
    {}
    {{- end }}
  render-config.sh: |
    #!/bin/sh
    # Fill the placeholders of config.yaml from the environment, escaped for YAML "...".
    set -eu
    esc() { printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g'; }
    for var in DEFAULT_USER DEFAULT_PASSWORD VISIBILITY_USER VISIBILITY_PASSWORD POD_IP; do
      eval "value=\${$var}"
      export "ESC_$var=$(esc "$value")"
    done
    awk '
      function replace(line, key, val,   out, i) {
        out = ""
        while ((i = index(line, key)) > 0) {
          out = out substr(line, 1, i - 1) val
          line = substr(line, i + length(key))
        }
        return out line
      }
      {
        n = split("DEFAULT_USER DEFAULT_PASSWORD VISIBILITY_USER VISIBILITY_PASSWORD POD_IP", names, " ")
        for (k = 1; k <= n; k++) $0 = replace($0, "__" names[k] "__", ENVIRON["ESC_" names[k]])
        print
      }' /etc/temporal/config-template/config.yaml > /etc/temporal/config/docker.yaml
{{- end }}

{{/* One Temporal service: (dict "ctx" $ctx "service" "history") */}}
{{- define "temporal.server" -}}
{{- $ctx := .ctx }}
{{- $v := $ctx.Values }}
{{- $svc := .service }}
{{- $cfg := index $v.server $svc }}
{{- $ports := dict "frontend" (list 7233 6933) "history" (list 7234 6934) "matching" (list 7235 6935) "worker" (list 7239 6939) }}
{{- $grpc := index (index $ports $svc) 0 }}
{{- $labels := dict "ctx" $ctx "component" $svc }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "temporal.fullname" $ctx }}-{{ $svc }}
  namespace: {{ $ctx.Release.Namespace }}
  labels:
    {{- include "temporal.labels" $labels | nindent 4 }}
  {{- if $ctx.reloader }}
  annotations:
    reloader.stakater.com/auto: "true"
  {{- end }}
spec:
  replicas: {{ $cfg.replicas }}
  selector:
    matchLabels:
      {{- include "temporal.selectorLabels" $labels | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "temporal.labels" $labels | nindent 8 }}
      annotations:
        checksum/config: {{ include "temporal.configMap" $ctx | sha256sum }}
    spec:
      {{- include "temporal.podCommon" $labels | nindent 6 }}
      initContainers:
        - name: render-config
          image: {{ include "temporal.image" $ctx.busyboxImage }}
          imagePullPolicy: {{ $ctx.busyboxImage.pullPolicy }}
          command: [/bin/sh, /etc/temporal/config-template/render-config.sh]
          env:
            {{- include "temporal.sqlEnv" (dict "ctx" $ctx) | nindent 12 }}
            - name: POD_IP
              valueFrom:
                fieldRef: {fieldPath: status.podIP}
          resources:
            requests: {cpu: 10m, memory: 16Mi}
            limits: {cpu: 100m, memory: 64Mi}
          securityContext:
            {{- include "temporal.containerSecurity" . | nindent 12 }}
          volumeMounts:
            - {name: config-template, mountPath: /etc/temporal/config-template, readOnly: true}
            - {name: config, mountPath: /etc/temporal/config}
      containers:
        - name: {{ $svc }}
          image: {{ include "temporal.image" $v.server.image }}
          imagePullPolicy: {{ $v.server.image.pullPolicy }}
          command: [temporal-server, --root, /, --config, /etc/temporal/config, --env, docker, start, --service, {{ $svc }}]
          ports:
            - {name: grpc, containerPort: {{ $grpc }}, protocol: TCP}
            - {name: membership, containerPort: {{ index (index $ports $svc) 1 }}, protocol: TCP}
            - {name: metrics, containerPort: 9090, protocol: TCP}
            {{- if eq $svc "frontend" }}
            - {name: http, containerPort: 7243, protocol: TCP}
            {{- end }}
          readinessProbe:
            tcpSocket: {port: grpc}
            periodSeconds: 10
          livenessProbe:
            tcpSocket: {port: grpc}
            initialDelaySeconds: 150
            periodSeconds: 20
          resources:
            {{- toYaml $cfg.resources | nindent 12 }}
          securityContext:
            {{- include "temporal.containerSecurity" . | nindent 12 }}
          volumeMounts:
            - {name: config, mountPath: /etc/temporal/config, readOnly: true}
            - {name: dynamic-config, mountPath: /etc/temporal/dynamic-config, readOnly: true}
            {{- include "temporal.caMount" $labels | nindent 12 }}
      volumes:
        - name: config-template
          configMap:
            name: {{ include "temporal.fullname" $ctx }}-config
            items:
              - {key: config.yaml, path: config.yaml}
              - {key: render-config.sh, path: render-config.sh}
        - name: dynamic-config
          configMap:
            name: {{ include "temporal.fullname" $ctx }}-config
            items:
              - {key: dynamic_config.yaml, path: dynamic_config.yaml}
        - name: config
          emptyDir: {}
        {{- include "temporal.caVolume" $labels | nindent 8 }}
{{- end }}

{{- define "temporal.frontendService" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "temporal.fullname" . }}-frontend
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "temporal.labels" (dict "ctx" . "component" "frontend") | nindent 4 }}
spec:
  type: ClusterIP
  selector:
    {{- include "temporal.selectorLabels" (dict "ctx" . "component" "frontend") | nindent 4 }}
  ports:
    - {name: grpc, port: 7233, targetPort: grpc, protocol: TCP, appProtocol: grpc}
    - {name: http, port: 7243, targetPort: http, protocol: TCP}
{{- end }}
