/**
 * The limits of src/config/limits.ts: the largest value each allows is accepted and renders into
 * objects every later stage accepts; one past it is refused by `parseConfig` too (the Pulumi
 * component's path, no YAML involved); and the readers and message helpers they rest on (UTF-8,
 * aliases, truncation) do what they say. The hostile inputs themselves are the corpus
 * (test/invalid-corpus.test.ts).
 */
import assert from "node:assert/strict";
import { isUtf8 } from "node:buffer";
import { describe, it } from "node:test";
import { generate, kubernetesObjects } from "../src/build.js";
import { strictMatcher } from "../src/config/checks/notifications.js";
import { ConfigError, printable } from "../src/config/errors.js";
import { INT32_MAX, LIMITS } from "../src/config/limits.js";
import { parseConfig, parseConfigYaml } from "../src/config/load.js";
import { firstInvalidUtf8 } from "../src/config/text-input.js";
import { parseYaml } from "../src/config/yaml-input.js";
import { standaloneAlertmanagerConfig } from "../src/render/alertmanager-yaml.js";
import { schemaViolations } from "../src/render/schema-check.js";

/** Every limit at its largest allowed value. */
const AT_THE_LIMITS = {
  name: "c".repeat(LIMITS.labelValueChars),
  namespace: "ml",
  alerts: {
    AIWorkloadAtMaxReplicas: { for: "6h" },
    AIWorkloadScalingFlapping: { window: "6h" },
  },
  workloads: [
    {
      name: "llm",
      autoscaling: {
        minReplicas: INT32_MAX,
        maxReplicas: INT32_MAX,
        metrics: [{ type: "queue", server: "vllm", targetPerReplica: INT32_MAX }],
        behavior: { scaleUp: { policies: [{ type: "Pods", value: INT32_MAX, periodSeconds: 60 }] } },
      },
    },
    {
      name: "b".repeat(LIMITS.labelValueChars - "keda-hpa-".length),
      autoscaling: {
        engine: "keda",
        minReplicas: 0,
        maxReplicas: 4,
        metrics: [{ type: "prometheus", query: "sum(gateway_queue)", threshold: INT32_MAX }],
        keda: { pollingInterval: INT32_MAX, cooldownPeriod: INT32_MAX },
      },
    },
  ],
  notifications: {
    groupWait: "120h",
    groupInterval: "120h",
    repeatInterval: "120h",
    receivers: [
      { name: "oncall", type: "pagerduty", routingKey: { secret: "pd", key: "key" } },
      { name: "feed", type: "webhook", url: { secret: "hook", key: "url" }, maxAlerts: INT32_MAX },
    ],
  },
};

function problems(input: unknown): string[] {
  try {
    parseConfig(input);
    return [];
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.problems.map((p) => `${p.path}: ${p.message}`);
  }
}

describe("limits: the largest allowed values", () => {
  it("are accepted, and render into objects that pass their schemas and the operator's merge", () => {
    const g = generate(parseConfig(AT_THE_LIMITS));
    assert.deepEqual(schemaViolations(kubernetesObjects(g)), []);
    const merged = standaloneAlertmanagerConfig(g);
    assert.deepEqual(
      merged.problems.filter((p) => p.severity === "error"),
      [],
    );
  });

  it("one past each is refused by parseConfig as well as from YAML", () => {
    const past = structuredClone(AT_THE_LIMITS) as typeof AT_THE_LIMITS & Record<string, unknown>;
    past.name += "c";
    past.alerts.AIWorkloadAtMaxReplicas.for = "6h0m1s";
    const [w0, w1] = past.workloads as unknown as [
      { autoscaling: { maxReplicas: number } },
      { name: string; autoscaling: { keda: { pollingInterval: number } } },
    ];
    w0.autoscaling.maxReplicas = INT32_MAX + 1;
    w1.name += "b";
    w1.autoscaling.keda.pollingInterval = INT32_MAX + 1;
    past.notifications.repeatInterval = "120h1s";
    const found = problems(past);
    for (const path of [
      "name",
      "alerts.AIWorkloadAtMaxReplicas.for",
      "workloads[0].autoscaling.maxReplicas",
      "workloads[1].autoscaling.keda.pollingInterval",
    ])
      assert.ok(
        found.some((p) => p.startsWith(`${path}: `)),
        `${path} in\n${found.join("\n")}`,
      );
    // Cross-field limits come once the structure is sound.
    past.name = "ok";
    past.alerts.AIWorkloadAtMaxReplicas.for = "6h";
    w0.autoscaling.maxReplicas = INT32_MAX;
    w1.autoscaling.keda.pollingInterval = 1;
    assert.deepEqual(problems(past), [
      'notifications.repeatInterval: must be at most 120h (Alertmanager keeps its notification log for --data.retention, 120h by default), got "120h1s"',
      `workloads[1].name: is ${w1.name.length} characters; KEDA names its HPA keda-hpa-<name> and puts that in a label (at most 63 characters), so the ScaledObject name may have 54: shorten it, or set autoscaling.keda.hpaName`,
    ]);
  });

  it("refuse a text over the size limit given to parseConfigYaml directly", () => {
    const text = `namespace: ml\n${"#".repeat(LIMITS.fileBytes)}\n`;
    assert.throws(
      () => parseConfigYaml(text, "big.yaml"),
      /big\.yaml: is 1048591 bytes, more than the 1 MiB a config may have$/,
    );
  });
});

describe("limits: YAML aliases", () => {
  it("count what they expand to, not how often they are used: an anchor used 500 times is fine", () => {
    const text = `defaults: &d { existingHpa: true }\nlist: [${Array.from({ length: 500 }, () => "*d").join(", ")}]\n`;
    const [data] = parseYaml(text, { source: "x" }) as [{ list: unknown[] }];
    assert.equal(data.list.length, 500);
  });

  it("refuse a document that expands past the limit, with where", () => {
    const text = `a: &a [${Array.from({ length: 1000 }, (_, i) => i).join(",")}]\nb: [${Array.from({ length: 201 }, () => "*a").join(",")}]\n`;
    assert.throws(
      () => parseYaml(text, { source: "x" }),
      /line 2, column 4: expands to more than 200000 values/,
    );
  });
});

describe("limits: UTF-8", () => {
  it("finds the first bad byte exactly where Node's decoder says the bytes are not UTF-8", () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pieces = [[0x41], [0xc3, 0xa9], [0xe2, 0x82, 0xac], [0xf0, 0x9f, 0x98, 0x80], [0xed, 0x9f, 0xbf]];
    for (let n = 0; n < 3000; n++) {
      const bytes: number[] = [];
      while (bytes.length < 12) bytes.push(...(pieces[Math.floor(random() * pieces.length)] as number[]));
      if (random() < 0.7) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      const buf = Buffer.from(bytes);
      const bad = firstInvalidUtf8(buf);
      assert.equal(bad === -1, isUtf8(buf), buf.toString("hex"));
      if (bad > 0) assert.ok(isUtf8(buf.subarray(0, bad)), `prefix of ${buf.toString("hex")}`);
    }
  });
});

describe("limits: printable messages", () => {
  it("cut quoted values to 80 characters and never inside an escape", () => {
    const long = JSON.stringify(`${"a".repeat(76)}\u0001${"b".repeat(100)}`);
    const out = printable(`got ${long}`);
    assert.equal(out, `got "${"a".repeat(76)}..."`);
    assert.ok(printable(`got ${JSON.stringify("x".repeat(90))}`).endsWith(`${"x".repeat(77)}..."`));
  });

  it("escape control and bidirectional characters, keep one line, and stop at the message limit", () => {
    assert.equal(printable("a\u001b[31mb\u202ec\nd"), "a\\u001b[31mb\\u202ec\\nd");
    assert.equal(printable(`${"word ".repeat(500)}`).length, LIMITS.messageChars);
  });
});

describe("limits: matchers", () => {
  it("accepts what Alertmanager reads as written, and Go-only regexes", () => {
    for (const m of [
      'severity="critical"',
      "severity=critical",
      'event=~"scaled_(up|down)"',
      'summary="a=b"',
      "x!~(?U)a+",
    ])
      assert.notEqual(typeof strictMatcher(m), "string", m);
  });
});
