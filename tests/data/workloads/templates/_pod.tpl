{{- define "workloads.pod" -}}
serviceAccountName: runner
imagePullSecrets:
  - name: registry-creds
initContainers:
  - name: init
    image: busybox:1.36
    envFrom:
      - secretRef:
          name: init-env
        prefix: INIT_
containers:
  - name: main
    image: busybox:1.36
    env:
      - name: PLAIN
        value: "1"
      - name: DB_PASSWORD
        valueFrom:
          secretKeyRef:
            name: db
            key: password
            optional: true
    volumeMounts:
      - name: certs
        mountPath: /certs
        readOnly: true
  - name: sidecar
    image: busybox:1.36
ephemeralContainers:
  - name: debug
    image: busybox:1.36
volumes:
  - name: certs
    secret:
      secretName: tls-certs
      items:
        - key: tls.crt
          path: cert.pem
{{- end -}}
