{{/*
Cluster-scoped objects carry the release name, so that two releases (say, two operators with different
controllerIDs) never fight over one ClusterRole. Call with (list $ "postgres-pod").
*/}}
{{- define "cornac.clusterScopedName" -}}
{{- printf "%s-%s" (index . 0).Release.Name (index . 1) -}}
{{- end }}

{{- define "cornac.labels" -}}
app.kubernetes.io/name: cornac
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end }}

{{/*
The RoleBinding the operator creates in every namespace with clusters, pointing at this release's pod ClusterRole.
Without it the operator would bind the pods to a ClusterRole named like the pod ServiceAccount (postgres-pod),
which this chart does not create. It is named like the role, so that a namespace served by two releases, or moved
from a kustomize install (whose RoleBindings are named postgres-pod), gets one binding per release and keeps working
when another release is uninstalled.
*/}}
{{- define "cornac.podRoleBindingDefinition" -}}
{{- $root := index . 0 -}}
{{- $serviceAccount := index . 1 -}}
{{- $role := include "cornac.clusterScopedName" (list $root "postgres-pod") -}}
{{- dict "apiVersion" "rbac.authorization.k8s.io/v1" "kind" "RoleBinding" "metadata" (dict "name" $role) "roleRef" (dict "apiGroup" "rbac.authorization.k8s.io" "kind" "ClusterRole" "name" $role) "subjects" (list (dict "kind" "ServiceAccount" "name" $serviceAccount)) | toJson -}}
{{- end }}

{{/*
The ConfigMap's data: manifests/configmap.yaml (copied to files/, a test keeps the copy equal), the pod RoleBinding
of this release, then the user's overrides. Rendered as YAML for the ConfigMap and hashed for the pods' annotation.
*/}}
{{- define "cornac.configMapData" -}}
{{- $data := deepCopy (.Files.Get "files/configmap.yaml" | fromYaml).data -}}
{{- $data = mergeOverwrite $data (deepCopy .Values.configuration) -}}
{{- if and .Values.rbac.create (not (hasKey .Values.configuration "pod_service_account_role_binding_definition")) -}}
{{- $_ := set $data "pod_service_account_role_binding_definition" (include "cornac.podRoleBindingDefinition" (list . (get $data "pod_service_account_name" | toString))) -}}
{{- end -}}
{{- range $key, $value := $data }}
{{ $key }}: {{ $value | toString | toJson }}
{{- end }}
{{- end }}

{{/*
The OperatorConfiguration's `configuration`: files/postgresql-operator-default-configuration.yaml (a copy of
manifests/), the pod RoleBinding of this release, then the user's overrides.
*/}}
{{- define "cornac.operatorConfiguration" -}}
{{- $configuration := deepCopy (.Files.Get "files/postgresql-operator-default-configuration.yaml" | fromYaml).configuration -}}
{{- $configuration = mergeOverwrite $configuration (deepCopy .Values.operatorConfiguration) -}}
{{- $kubernetes := get $configuration "kubernetes" | default dict -}}
{{- $userKubernetes := get .Values.operatorConfiguration "kubernetes" | default dict -}}
{{- if and .Values.rbac.create (not (hasKey $userKubernetes "pod_service_account_role_binding_definition")) -}}
{{- $_ := set $kubernetes "pod_service_account_role_binding_definition" (include "cornac.podRoleBindingDefinition" (list . (get $kubernetes "pod_service_account_name" | default "postgres-pod" | toString))) -}}
{{- $_ := set $configuration "kubernetes" $kubernetes -}}
{{- end -}}
{{- toYaml $configuration }}
{{- end }}

{{/* Scheduling and metadata shared by the operator's and the UI's pods. */}}
{{- define "cornac.podScheduling" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
{{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.priorityClassName }}
priorityClassName: {{ . | quote }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector:
{{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
{{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
{{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{- define "cornac.uiLoginSecret" -}}
{{- default "postgres-operator-ui-login" .Values.ui.existingSecret -}}
{{- end }}
