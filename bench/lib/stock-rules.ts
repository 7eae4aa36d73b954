/**
 * Rule set A: the two HPA alerts of kube-prometheus-stack (kubernetes-mixin, group kubernetes-apps),
 * as the chart renders them with its defaults (job="kube-state-metrics", namespace=~".*"),
 * including the min != max guard of KubeHpaMaxedOut (chart 82.10.2+). Upstream:
 * kubernetes-monitoring/kubernetes-mixin `alerts/apps_alerts.libsonnet`, rendered by
 * prometheus-community/helm-charts `charts/kube-prometheus-stack/templates/prometheus/rules-1.14/kubernetes-apps.yaml`.
 */
const S = `job="kube-state-metrics", namespace=~".*"`;

export const STOCK_RULE_GROUPS = [
  {
    name: "kubernetes-apps",
    rules: [
      {
        alert: "KubeHpaReplicasMismatch",
        annotations: {
          description:
            "HPA {{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler  }} has not matched the desired number of replicas for longer than 15 minutes.",
          runbook_url: "https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubehpareplicasmismatch",
          summary: "HPA has not matched desired number of replicas.",
        },
        expr: [
          `(kube_horizontalpodautoscaler_status_desired_replicas{${S}}`,
          `  !=`,
          `kube_horizontalpodautoscaler_status_current_replicas{${S}})`,
          `  and`,
          `(kube_horizontalpodautoscaler_status_current_replicas{${S}}`,
          `  >`,
          `kube_horizontalpodautoscaler_spec_min_replicas{${S}})`,
          `  and`,
          `(kube_horizontalpodautoscaler_status_current_replicas{${S}}`,
          `  <`,
          `kube_horizontalpodautoscaler_spec_max_replicas{${S}})`,
          `  and`,
          `changes(kube_horizontalpodautoscaler_status_current_replicas{${S}}[15m]) == 0`,
        ].join("\n"),
        for: "15m",
        labels: { severity: "warning" },
      },
      {
        alert: "KubeHpaMaxedOut",
        annotations: {
          description:
            "HPA {{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler  }} has been running at max replicas for longer than 15 minutes.",
          runbook_url: "https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubehpamaxedout",
          summary: "HPA is running at max replicas",
        },
        expr: [
          `(kube_horizontalpodautoscaler_status_current_replicas{${S}}`,
          `  ==`,
          `kube_horizontalpodautoscaler_spec_max_replicas{${S}})`,
          `and on (namespace, horizontalpodautoscaler, cluster)`,
          `(kube_horizontalpodautoscaler_spec_max_replicas{${S}}`,
          `  !=`,
          `kube_horizontalpodautoscaler_spec_min_replicas{${S}})`,
        ].join("\n"),
        for: "15m",
        labels: { severity: "warning" },
      },
    ],
  },
] as const;
