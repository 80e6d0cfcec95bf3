{{/* The chart name, or nameOverride. */}}
{{- define "datakit-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The prefix of every object name. With the manual's release name (datakit-operator) this is
"datakit-operator", which gives the names of SPEC §12: Service datakit-operator, ConfigMap
datakit-operator-config, MutatingWebhookConfiguration datakit-operator-mutation. Truncated so that the
longest derived name (<fullname>-mutation) stays within 63 characters.
*/}}
{{- define "datakit-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 54 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 54 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 54 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "datakit-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "datakit-operator.labels" -}}
helm.sh/chart: {{ include "datakit-operator.chart" . }}
{{ include "datakit-operator.recommendedLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "datakit-operator.recommendedLabels" -}}
app.kubernetes.io/name: {{ include "datakit-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
The Deployment's spec.selector, which Kubernetes never lets change: it must equal the upstream Go
operator's on each install path, or `helm upgrade` / `kubectl apply` over an upstream install fails
(SPEC §12.1). The Service, the PodDisruptionBudget and the anti-affinity select the same labels, so that
the Service keeps the old pods as endpoints until the new ones are ready.
- chart: {app: <fullname>, app.kubernetes.io/name: <name>, app.kubernetes.io/instance: <release>}
- manifest (deploy/datakit-operator.yaml, scripts/render-manifest.sh): {app: <fullname>}
*/}}
{{- define "datakit-operator.selectorLabels" -}}
app: {{ include "datakit-operator.fullname" . }}
{{- if ne .Values.selectorStyle "manifest" }}
{{ include "datakit-operator.recommendedLabels" . }}
{{- end }}
{{- end }}

{{/* The pod template's labels: every selector label, and the recommended labels on both paths. */}}
{{- define "datakit-operator.podLabels" -}}
app: {{ include "datakit-operator.fullname" . }}
{{ include "datakit-operator.recommendedLabels" . }}
{{- end }}

{{/* Replicas when nothing scales the Deployment; the HorizontalPodAutoscaler's minimum otherwise. */}}
{{- define "datakit-operator.minReplicas" -}}
{{- if .Values.autoscaling.enabled }}{{ .Values.autoscaling.minReplicas }}{{ else }}{{ .Values.replicaCount }}{{ end }}
{{- end }}

{{- define "datakit-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "datakit-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Names the operator's config refers to (tls.*_name) and the RBAC rules restrict to. */}}
{{- define "datakit-operator.configMapName" -}}
{{- include "datakit-operator.fullname" . }}-config
{{- end }}

{{- define "datakit-operator.webhookConfigName" -}}
{{- include "datakit-operator.fullname" . }}-mutation
{{- end }}

{{- define "datakit-operator.tlsSecretName" -}}
{{- if eq .Values.certificates.mode "provided" }}
{{- .Values.certificates.provided.secretName }}
{{- else }}
{{- include "datakit-operator.fullname" . }}-tls
{{- end }}
{{- end }}

{{/* The operator's tls.mode for each certificates.mode. */}}
{{- define "datakit-operator.tlsMode" -}}
{{- if eq .Values.certificates.mode "self" }}self-managed{{ else }}files{{ end }}
{{- end }}

{{/* Paths inside the container. */}}
{{- define "datakit-operator.configDir" -}}/usr/local/datakit-operator/config{{- end }}
{{- define "datakit-operator.configFile" -}}{{ include "datakit-operator.configDir" . }}/config.json{{- end }}
{{- define "datakit-operator.certDir" -}}/usr/local/datakit-operator/certs{{- end }}

{{/*
The ConfigMap's jsonconfig. Three cases:
- configmap.jsonconfig set: that text, as it is (it must be valid JSON).
- config set: config, with the keys the release owns laid over it, as JSON; the operator merges it into
  its built-in defaults.
- neither: the operator's complete default configuration (files/default-config.json, the output of
  `datakit-operator config default`) with the release's keys filled in by exact text replacement, so that
  the document keeps its key order (Helm's toJson would sort the envs, whose order is significant).
*/}}
{{- define "datakit-operator.jsonconfig" -}}
{{- $namespace := .Release.Namespace }}
{{- $tlsMode := include "datakit-operator.tlsMode" . }}
{{- $secretName := include "datakit-operator.tlsSecretName" . }}
{{- $serviceName := include "datakit-operator.fullname" . }}
{{- $webhookConfigName := include "datakit-operator.webhookConfigName" . }}
{{- if .Values.configmap.jsonconfig }}
{{- $parsed := fromJson .Values.configmap.jsonconfig }}
{{- if or (hasKey $parsed "Error") (not (kindIs "map" $parsed)) }}
{{- fail "configmap.jsonconfig must be a JSON object (the operator configuration document); it does not parse" }}
{{- end }}
{{- if eq $tlsMode "self-managed" }}
{{- $tls := get $parsed "tls" | default dict }}
{{- $wanted := dict "secret_name" $secretName "service_name" $serviceName "webhook_config_name" $webhookConfigName }}
{{- $operatorDefaults := dict "secret_name" "datakit-operator-tls" "service_name" "datakit-operator" "webhook_config_name" "datakit-operator-mutation" }}
{{- range $key, $value := $wanted }}
{{- $effective := get $tls $key | default (get $operatorDefaults $key) }}
{{- if ne $effective $value }}
{{- fail (printf "configmap.jsonconfig: tls.%s is %q but this release needs %q (its objects are named after the release); set it in the document, or use the structured config value" $key $effective $value) }}
{{- end }}
{{- end }}
{{- end }}
{{- .Values.configmap.jsonconfig }}
{{- else if .Values.config }}
{{- $tls := dict "mode" $tlsMode "secret_name" $secretName "service_name" $serviceName "webhook_config_name" $webhookConfigName }}
{{- if ne $tlsMode "self-managed" }}
{{- $_ := set $tls "cert_file" (printf "%s/tls.crt" (include "datakit-operator.certDir" .)) }}
{{- $_ := set $tls "key_file" (printf "%s/tls.key" (include "datakit-operator.certDir" .)) }}
{{- end }}
{{- $owned := dict "namespace" $namespace "tls" $tls }}
{{- mergeOverwrite (deepCopy .Values.config) $owned | toPrettyJson }}
{{- else }}
{{- $text := .Files.Get "files/default-config.json" }}
{{- $text = $text | replace "\"namespace\": \"\"" (printf "\"namespace\": %q" $namespace) }}
{{- $text = $text | replace "\"mode\": \"auto\"" (printf "\"mode\": %q" $tlsMode) }}
{{- $text = $text | replace "\"secret_name\": \"datakit-operator-tls\"" (printf "\"secret_name\": %q" $secretName) }}
{{- $text = $text | replace "\"service_name\": \"datakit-operator\"" (printf "\"service_name\": %q" $serviceName) }}
{{- $text = $text | replace "\"webhook_config_name\": \"datakit-operator-mutation\"" (printf "\"webhook_config_name\": %q" $webhookConfigName) }}
{{- $text | trimSuffix "\n" }}
{{- end }}
{{- end }}
