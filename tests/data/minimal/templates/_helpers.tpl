{{- define "minimal.fullname" -}}{{ .Release.Name }}-minimal{{- end -}}
