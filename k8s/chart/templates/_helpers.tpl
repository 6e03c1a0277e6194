{{- define "stagewatch.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "stagewatch.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "stagewatch.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "stagewatch.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/* The labels every object carries. */}}
{{- define "stagewatch.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "stagewatch.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* The instance pods (not the uninstall hook's). */}}
{{- define "stagewatch.selectorLabels" -}}
app.kubernetes.io/name: {{ include "stagewatch.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: server
{{- end }}

{{- define "stagewatch.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "stagewatch.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "stagewatch.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- $tag := default .Chart.AppVersion .Values.image.tag }}
{{- printf "%s:%s" .Values.image.repository (ternary (printf "%s-jvm" $tag) $tag (and (eq .Values.image.flavor "jvm") (not .Values.image.tag))) }}
{{- end }}
{{- end }}

{{/* The restricted Pod Security Standard, for the pod and for each container. */}}
{{- define "stagewatch.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ ternary 185 1001 (eq .Values.image.flavor "jvm") }}
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "stagewatch.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: ["ALL"]
{{- end }}

{{/* The names of the enabled profiles. */}}
{{- define "stagewatch.profileNames" -}}
{{- $names := list }}
{{- range .Values.profiles }}
{{- if kindIs "string" . }}{{ $names = append $names . }}{{ else }}{{ $names = append $names .name }}{{ end }}
{{- end }}
{{- join "," $names }}
{{- end }}

{{/* The image's arguments: the native executable takes the heap's cap as one. */}}
{{- define "stagewatch.heapArgs" -}}
{{- if and (eq .Values.image.flavor "native") .Values.jvm.maxHeap }}
args: [{{ printf "-Xmx%s" .Values.jvm.maxHeap | quote }}]
{{- end }}
{{- end }}

{{/* JAVA_OPTS_APPEND of the jvm flavor: appended by the image's launcher to its own options. */}}
{{- define "stagewatch.heapEnv" -}}
{{- if eq .Values.image.flavor "jvm" }}
- name: JAVA_OPTS_APPEND
  value: {{ trim (printf "%s %s" (ternary (printf "-Xmx%s" .Values.jvm.maxHeap) "" (not (empty .Values.jvm.maxHeap))) .Values.jvm.extraOptions) | quote }}
{{- end }}
{{- end }}

{{/* The label selector of the instance pods, for the uninstall hook's wait. */}}
{{- define "stagewatch.instanceSelector" -}}
{{- include "stagewatch.selectorLabels" . | replace ": " "=" | replace "\n" "," }}
{{- end }}

{{/* A hook of helm uninstall, and of Argo CD's deletion (Argo CD runs no Helm hooks); the argument: its weight. */}}
{{- define "stagewatch.hookAnnotations" -}}
helm.sh/hook: post-delete
helm.sh/hook-weight: {{ . | quote }}
helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
argocd.argoproj.io/hook: PostDelete
argocd.argoproj.io/hook-delete-policy: BeforeHookCreation,HookSucceeded
{{- end }}
