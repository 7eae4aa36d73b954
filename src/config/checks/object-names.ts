/**
 * Names of generated objects that Kubernetes, KEDA or `render -o` would refuse although each is a
 * valid Kubernetes name on its own: a ScaledObject whose name KEDA cannot put in the label of the HPA
 * it creates (label values have at most 63 characters, and KEDA's default HPA name adds `keda-hpa-`),
 * and objects whose file name `<kind>-<namespace>-<name>.yaml` would pass the 255 bytes most file
 * systems allow.
 */
import { formatPath, type ConfigProblem } from "../errors.js";
import { LIMITS } from "../limits.js";
import type { Config } from "../schema.js";

const KEDA_HPA_PREFIX = "keda-hpa-";

/** Problems of generated objects' names (see the module comment). */
export function objectNameProblems(config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (path: (string | number)[], message: string) =>
    problems.push({ path: formatPath(path), message });
  const fileName = (path: (string | number)[], kind: string, ns: string, name: string) => {
    const file = `${kind.toLowerCase()}-${ns}-${name}.yaml`;
    const bytes = Buffer.byteLength(file);
    if (bytes > LIMITS.fileNameBytes) {
      const most = name.length - (bytes - LIMITS.fileNameBytes);
      add(
        path,
        `is too long for the file render -o writes (${kind.toLowerCase()}-${ns}-<name>.yaml would be ${bytes} bytes; a file name may have ${LIMITS.fileNameBytes}): at most ${most} characters in namespace ${ns}`,
      );
    }
  };
  const labelValue = LIMITS.labelValueChars;
  config.workloads.forEach((w, i) => {
    const ns = w.namespace ?? config.namespace;
    const a = w.autoscaling;
    if (!a) return;
    if (a.engine === "keda") {
      const custom = a.keda?.scaledObjectName !== undefined;
      const soPath = custom
        ? ["workloads", i, "autoscaling", "keda", "scaledObjectName"]
        : ["workloads", i, "name"];
      const so = a.keda?.scaledObjectName ?? w.name;
      const hpa = a.keda?.hpaName;
      if (hpa === undefined && KEDA_HPA_PREFIX.length + so.length > labelValue) {
        add(
          soPath,
          `is ${so.length} characters; KEDA names its HPA ${KEDA_HPA_PREFIX}<name> and puts that in a label (at most ${labelValue} characters), so the ScaledObject name may have ${labelValue - KEDA_HPA_PREFIX.length}: shorten it, or set autoscaling.keda.hpaName`,
        );
      } else if (so.length > labelValue) {
        add(
          soPath,
          `is ${so.length} characters; KEDA puts the ScaledObject's name in a label (at most ${labelValue} characters)`,
        );
      }
      if (hpa !== undefined && hpa.length > labelValue)
        add(
          ["workloads", i, "autoscaling", "keda", "hpaName"],
          `is ${hpa.length} characters; KEDA puts the HPA's name in a label (at most ${labelValue} characters)`,
        );
      fileName(soPath, "ScaledObject", ns, so);
    } else {
      const named = w.hpaName !== undefined;
      fileName(
        ["workloads", i, named ? "hpaName" : "name"],
        "HorizontalPodAutoscaler",
        ns,
        w.hpaName ?? w.name,
      );
    }
  });
  fileName(["name"], "PrometheusRule", config.namespace, config.name);
  const n = config.notifications;
  if (n) {
    const placed =
      n.namespace !== undefined || n.matcherStrategy === "None"
        ? [n.namespace ?? config.namespace]
        : [...new Set(config.workloads.map((w) => w.namespace ?? config.namespace))];
    const longest = placed.reduce((a, b) => (b.length > a.length ? b : a));
    fileName(
      n.name !== undefined ? ["notifications", "name"] : ["name"],
      "AlertmanagerConfig",
      longest,
      n.name ?? config.name,
    );
  }
  return problems;
}
