/**
 * The sandbox's HTML timeline report, opened from disk in the real Chromium (Debian's, driven by
 * playwright-core): it draws what the timeline says, fetches nothing, shows PASS/FAIL in words,
 * and survives hostile labels. A missing Chromium fails these tests, it never skips them.
 */
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { findExecutable } from "../src/tools/executables.js";
import {
  chartSpecs,
  jsonForScript,
  reportHtml,
  writeReport,
  type ChartSpec,
  type DrawnAnnotation,
  type PageSummary,
} from "../src/sandbox/report/index.js";
import { assignLanes, lanesUsed } from "../src/sandbox/report/lanes.js";
import type { Samples, SandboxTimeline } from "../src/sandbox/timeline.js";

// ---------------------------------------------------------------------------------------------
// Fixture: a GPU LLM service hit by a traffic spike (desired 2 -> 6 -> 8), and an embedder whose
// unavailable-replicas alert went to the pager instead of the team channel (a routing bug).

const DURATION = 600;
const EVERY = 15;
/** 0, 15, …, 600: 41 samples per series. */
const SAMPLES = DURATION / EVERY + 1;

function sampled(f: (t: number) => number): Samples {
  return Array.from({ length: SAMPLES }, (_, i): [number, number] => [i * EVERY, f(i * EVERY)]);
}

const llmDesired = (t: number) => (t < 90 ? 2 : t < 150 ? 6 : t < 465 ? 8 : 2);
const embedderDesired = (t: number) => (t < 210 ? 1 : 2);

function fixture(): SandboxTimeline {
  return {
    scenario: {
      name: "gpu-traffic-spike",
      description: "A 4x traffic spike on llm-chat; the embedder loses a node at 3:20.",
      speed: 30,
    },
    config: "llm-serving",
    startedAt: "2025-01-15T10:00:00.000Z",
    durationSeconds: DURATION,
    workloads: [
      {
        namespace: "ai-serving",
        name: "llm-chat",
        hpa: "llm-chat",
        minReplicas: 2,
        maxReplicas: 8,
        series: {
          desired: sampled(llmDesired),
          current: sampled((t) => llmDesired(Math.max(0, t - 15))),
          available: sampled((t) => Math.min(7, llmDesired(Math.max(0, t - 75)))),
          gpuUtilization: sampled((t) => (t < 60 ? 42 : t < 300 ? Math.max(55, 97 - (t - 60) / 8) : 38)),
          queuePerReplica: sampled((t) => (t < 60 ? 3 : t < 300 ? Math.max(6, 40 - (t - 60) / 6) : 2)),
        },
        targets: { gpuUtilization: 70, queuePerReplica: 10 },
      },
      {
        namespace: "ai-serving",
        name: "embedder",
        hpa: "embedder",
        minReplicas: 1,
        maxReplicas: 4,
        series: {
          desired: sampled(embedderDesired),
          current: sampled(embedderDesired),
          available: sampled((t) => (t < 200 ? 1 : 0 + (t >= 420 ? 2 : 1))),
          queuePerReplica: sampled((t) => (t < 200 ? 8 : t < 420 ? 26 : 12)),
        },
        targets: { queuePerReplica: 20 },
      },
    ],
    steps: [
      { t: 0, label: "baseline load on every workload" },
      { t: 60, workload: "llm-chat", label: "llm-chat: traffic spike, queue 40/replica" },
      { t: 200, workload: "embedder", label: "embedder: node drained, one replica lost" },
      { t: 300, workload: "llm-chat", label: "llm-chat: traffic back to normal" },
    ],
    alerts: [
      {
        alertname: "AIQueueBacklogHigh",
        workload: "llm-chat",
        namespace: "ai-serving",
        severity: "critical",
        labels: { alertname: "AIQueueBacklogHigh", workload: "llm-chat", namespace: "ai-serving" },
        pendingAt: 75,
        firingAt: 135,
        endedAt: 330,
      },
      {
        alertname: "HPAMaxedOut",
        workload: "llm-chat",
        namespace: "ai-serving",
        severity: "warning",
        labels: { alertname: "HPAMaxedOut", workload: "llm-chat", namespace: "ai-serving" },
        pendingAt: 165,
        firingAt: 225,
        endedAt: 480,
      },
      {
        alertname: "HPAReplicasUnavailable",
        workload: "embedder",
        namespace: "ai-serving",
        severity: "warning",
        labels: { alertname: "HPAReplicasUnavailable", workload: "embedder", namespace: "ai-serving" },
        pendingAt: 210,
        firingAt: 270,
      },
    ],
    notifications: [
      notification(166, "oncall-pager", "firing", "AIQueueBacklogHigh", "llm-chat", 106, true),
      notification(256, "team-slack", "firing", "HPAMaxedOut", "llm-chat", 196, true),
      notification(301, "oncall-pager", "firing", "HPAReplicasUnavailable", "embedder", undefined, false),
      notification(362, "oncall-pager", "resolved", "AIQueueBacklogHigh", "llm-chat", 62, true),
    ],
    expectations: [
      expectation("oncall-pager", "AIQueueBacklogHigh", "llm-chat", "firing", [60, 240], 166),
      expectation("team-slack", "HPAMaxedOut", "llm-chat", "firing", [150, 330], 256),
      expectation("oncall-pager", "AIQueueBacklogHigh", "llm-chat", "resolved", [300, 420], 362),
      expectation("team-slack", "HPAReplicasUnavailable", "embedder", "firing", [200, 330], undefined),
    ],
    passed: false,
  };
}

function notification(
  t: number,
  receiver: string,
  status: "firing" | "resolved",
  alertname: string,
  workload: string,
  latencySeconds: number | undefined,
  expected: boolean,
): SandboxTimeline["notifications"][number] {
  const labels = { alertname, workload, namespace: "ai-serving" };
  return { t, receiver, status, alerts: [{ alertname, workload, status, labels }], latencySeconds, expected };
}

function expectation(
  receiver: string,
  alertname: string,
  workload: string,
  status: "firing" | "resolved",
  window: [number, number],
  receivedAt: number | undefined,
): SandboxTimeline["expectations"][number] {
  return { receiver, alertname, workload, status, window, receivedAt, ok: receivedAt !== undefined };
}

// ---------------------------------------------------------------------------------------------
// Browser plumbing.

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

let browser: Browser | undefined;
const dirs: string[] = [];

before(async () => {
  const executablePath = findExecutable("chromium", "chromium-browser");
  if (!executablePath)
    throw new Error("chromium not found: apt-get install -y --no-install-recommends chromium");
  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout: 60_000 });
});

after(async () => {
  await browser?.close().catch(() => undefined);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "sandbox-report-"));
  dirs.push(d);
  return d;
}

/** A page opened from `file`, with everything it logged, threw or requested. */
interface Opened {
  readonly page: Page;
  readonly errors: string[];
  readonly requests: string[];
  readonly summary: PageSummary;
}

async function open(file: string): Promise<Opened> {
  assert.ok(browser, "Chromium did not start");
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") errors.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("requestfailed", (r) => errors.push(`requestfailed: ${r.url()}`));
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  await page
    .waitForFunction(
      () => (window as { __timeline?: { ready?: boolean } }).__timeline?.ready === true,
      null,
      {
        timeout: 10_000,
      },
    )
    .catch((e: Error) => {
      throw new Error(`${e.message}\n${errors.join("\n")}`);
    });
  const summary = (await page.evaluate(() =>
    JSON.parse(JSON.stringify((window as unknown as { __timeline: unknown }).__timeline)),
  )) as PageSummary;
  return { page, errors, requests, summary };
}

function chart(summary: PageSummary, testId: string): PageSummary["charts"][number] {
  const c = summary.charts.find((x) => x.testId === testId);
  assert.ok(c, `chart ${testId} missing; drawn: ${summary.charts.map((x) => x.testId).join(", ")}`);
  return c;
}

function annotations(
  c: PageSummary["charts"][number],
  kind: DrawnAnnotation["kind"],
): [string, string | null][] {
  return c.annotations
    .filter((a) => a.kind === kind)
    .map((a): [string, string | null] => [a.id, a.label])
    .sort(([a], [b]) => a.localeCompare(b));
}

/** Pixel x of scenario second `t` on chart `c`. */
function px(c: PageSummary["charts"][number], t: number): number {
  return c.chartArea.left + (t / DURATION) * (c.chartArea.right - c.chartArea.left);
}

function near(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) < 2, `${what}: drawn at x=${actual}, expected x=${expected}`);
}

// ---------------------------------------------------------------------------------------------

describe("sandbox report in Chromium", () => {
  let opened: Opened;
  let files: { json: string; html: string };
  const timeline = fixture();

  before(async () => {
    files = writeReport(join(tempDir(), "report"), timeline);
    opened = await open(files.html);
  });

  test("timeline.json is the timeline, pretty-printed", () => {
    const text = readFileSync(files.json, "utf8");
    assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(timeline)));
    assert.match(text, /^\{\n {2}"scenario": \{\n/);
  });

  test("the page loads with no error and requests nothing but itself", () => {
    assert.deepEqual(opened.errors, []);
    assert.deepEqual(opened.requests, [pathToFileURL(files.html).href]);
  });

  test("one replicas chart per workload and one signals chart per workload with signals", () => {
    assert.deepEqual(
      opened.summary.charts.map((c) => [c.testId, c.kind]),
      [
        ["chart-ai-serving-llm-chat", "replicas"],
        ["chart-ai-serving-llm-chat-signals", "signals"],
        ["chart-ai-serving-embedder", "replicas"],
        ["chart-ai-serving-embedder-signals", "signals"],
      ],
    );
    for (const c of opened.summary.charts) {
      assert.ok(c.chartArea.right - c.chartArea.left > 600, `${c.testId} is too narrow`);
    }
  });

  test("the charts draw the expected series with every sample, on their own axes", () => {
    const series = (id: string) =>
      chart(opened.summary, id).datasets.map((d) => [d.label, d.points, d.visible, d.yAxisID] as const);
    const all = (axis: string, labels: string[]) => labels.map((l) => [l, SAMPLES, true, axis] as const);
    const replicas = all("y", ["desired", "current", "available"]);
    assert.deepEqual(series("chart-ai-serving-llm-chat"), replicas);
    assert.deepEqual(series("chart-ai-serving-llm-chat-signals"), [
      ...all("gpu", ["GPU utilisation %"]),
      ...all("queue", ["queue per replica"]),
    ]);
    assert.deepEqual(series("chart-ai-serving-embedder"), replicas);
    assert.deepEqual(series("chart-ai-serving-embedder-signals"), all("queue", ["queue per replica"]));
    // llm-chat ends back at min 2: every replica series' last point is on the min line, at the end.
    const llm = chart(opened.summary, "chart-ai-serving-llm-chat");
    const min = llm.annotations.find((a) => a.id === "line-min");
    assert.ok(min);
    for (const d of llm.datasets) {
      assert.ok(d.last, d.label);
      near(d.last.x, px(llm, DURATION), `${d.label} last x`);
      assert.ok(Math.abs(d.last.y - min.y) < 2, `${d.label} ends at y=${d.last.y}, min 2 is at y=${min.y}`);
    }
  });

  test("min/max and target lines are drawn with their values", () => {
    assert.deepEqual(annotations(chart(opened.summary, "chart-ai-serving-llm-chat"), "line"), [
      ["line-max", "max 8"],
      ["line-min", "min 2"],
    ]);
    assert.deepEqual(annotations(chart(opened.summary, "chart-ai-serving-llm-chat-signals"), "line"), [
      ["line-target-gpu", "GPU target 70%"],
      ["line-target-queue", "queue target 10/replica"],
    ]);
    assert.deepEqual(annotations(chart(opened.summary, "chart-ai-serving-embedder-signals"), "line"), [
      ["line-target-queue", "queue target 20/replica"],
    ]);
  });

  test("each alert's pending and firing spans are labelled bands on its own workload's chart", () => {
    const llm = chart(opened.summary, "chart-ai-serving-llm-chat");
    assert.deepEqual(annotations(llm, "band"), [
      ["band-0-firing", "AIQueueBacklogHigh firing"],
      ["band-0-pending", "AIQueueBacklogHigh pending"],
      ["band-1-firing", "HPAMaxedOut firing"],
      ["band-1-pending", "HPAMaxedOut pending"],
    ]);
    const embedder = chart(opened.summary, "chart-ai-serving-embedder");
    assert.deepEqual(annotations(embedder, "band"), [
      ["band-2-firing", "HPAReplicasUnavailable firing"],
      ["band-2-pending", "HPAReplicasUnavailable pending"],
    ]);
    // Where they were drawn: from pending to firing, from firing to the end (or the scenario's end).
    const spans: Record<string, [number, number]> = {
      "band-0-pending": [75, 135],
      "band-0-firing": [135, 330],
      "band-1-pending": [165, 225],
      "band-1-firing": [225, 480],
    };
    for (const a of llm.annotations.filter((x) => x.kind === "band")) {
      const span = spans[a.id];
      assert.ok(span, a.id);
      near(a.x, px(llm, span[0]), `${a.id} start`);
      near(a.x2, px(llm, span[1]), `${a.id} end`);
    }
    const firing = embedder.annotations.find((a) => a.id === "band-2-firing");
    assert.ok(firing);
    near(firing.x2, px(embedder, DURATION), "still-firing band ends at the scenario's end");
    // The signals chart shows the same bands, unlabelled.
    assert.deepEqual(annotations(chart(opened.summary, "chart-ai-serving-embedder-signals"), "band"), [
      ["band-2-firing", null],
      ["band-2-pending", null],
    ]);
  });

  test("each notification is a mark labelled with receiver and latency, at its time", () => {
    const llm = chart(opened.summary, "chart-ai-serving-llm-chat");
    assert.deepEqual(annotations(llm, "mark"), [
      ["mark-0", "oncall-pager +106s"],
      ["mark-1", "team-slack +196s"],
      ["mark-3", "oncall-pager resolved +62s"],
    ]);
    const embedder = chart(opened.summary, "chart-ai-serving-embedder");
    assert.deepEqual(annotations(embedder, "mark"), [["mark-2", "UNEXPECTED oncall-pager"]]);
    const at: Record<string, number> = { "mark-0": 166, "mark-1": 256, "mark-3": 362 };
    for (const m of llm.annotations.filter((a) => a.kind === "mark")) {
      near((m.x + m.x2) / 2, px(llm, at[m.id] ?? NaN), m.id);
      assert.ok(m.y2 <= llm.chartArea.bottom && m.y >= llm.chartArea.top, `${m.id} inside the chart`);
    }
  });

  test("steps are vertical lines labelled with the step, on the charts they concern", () => {
    const llm = chart(opened.summary, "chart-ai-serving-llm-chat");
    assert.deepEqual(annotations(llm, "step"), [
      ["step-0", "1. baseline load on every workload"],
      ["step-1", "2. llm-chat: traffic spike, queue 40/replica"],
      ["step-3", "4. llm-chat: traffic back to normal"],
    ]);
    assert.deepEqual(annotations(chart(opened.summary, "chart-ai-serving-embedder"), "step"), [
      ["step-0", "1. baseline load on every workload"],
      ["step-2", "3. embedder: node drained, one replica lost"],
    ]);
    const spike = llm.annotations.find((a) => a.id === "step-1");
    assert.ok(spike);
    near(spike.x, px(llm, 60), "step 2");
  });

  test("the header says FAIL in words and why", async () => {
    const verdict = await opened.page.getByTestId("verdict").innerText();
    assert.match(verdict, /^FAIL\b/);
    assert.match(
      verdict,
      /3 of 4 expected notifications arrived in their window; 1 unexpected notification\./,
    );
    assert.match(await opened.page.title(), /gpu-traffic-spike — FAIL/);
    const header = await opened.page.locator("header").innerText();
    assert.match(header, /A 4x traffic spike on llm-chat/);
    assert.match(header, /Speed:?\s*30×/);
  });

  test("the expectations table lists every expectation, the missed one as FAILED", async () => {
    const rows = await opened.page
      .getByTestId("expectations")
      .locator("tbody tr")
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)));
    assert.deepEqual(rows, [
      ["oncall-pager", "AIQueueBacklogHigh", "llm-chat", "firing", "1:00–4:00", "2:46", "✔ ok"],
      ["team-slack", "HPAMaxedOut", "llm-chat", "firing", "2:30–5:30", "4:16", "✔ ok"],
      ["oncall-pager", "AIQueueBacklogHigh", "llm-chat", "resolved", "5:00–7:00", "6:02", "✔ ok"],
      ["team-slack", "HPAReplicasUnavailable", "embedder", "firing", "3:20–5:30", "not received", "✘ FAILED"],
    ]);
  });

  test("the unexpected notifications table lists the one unexpected notification", async () => {
    const rows = await opened.page
      .getByTestId("unexpected")
      .locator("tbody tr")
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)));
    assert.deepEqual(rows, [["5:01", "oncall-pager", "firing", "HPAReplicasUnavailable (embedder)"]]);
  });

  test("a full-page screenshot is saved (and copied to SANDBOX_SCREENSHOT_DIR when set)", async () => {
    const png = join(tempDir(), "timeline.png");
    await opened.page.screenshot({ path: png, fullPage: true });
    const bytes = readFileSync(png);
    assert.equal(bytes.subarray(1, 4).toString("latin1"), "PNG");
    assert.ok(bytes.length > 50_000, `screenshot is only ${bytes.length} bytes`);
    const out = process.env.SANDBOX_SCREENSHOT_DIR;
    if (out) {
      mkdirSync(out, { recursive: true });
      copyFileSync(png, join(out, "timeline-example.png"));
    }
  });
});

describe("reportHtml escaping", () => {
  const hostile = "</script><script>window.__pwned=1</script><!--";
  const base = fixture();
  const timeline: SandboxTimeline = {
    ...base,
    scenario: {
      ...base.scenario,
      name: `spike ${hostile}`,
      description: "line\u2028separator\u2029end & <b>",
    },
    workloads: [{ ...base.workloads[0]!, name: `llm${hostile}` }],
    steps: [{ t: 60, label: `step ${hostile}` }],
  };

  test("jsonForScript leaves nothing that can end or confuse a script element, and round-trips", () => {
    const json = jsonForScript(timeline);
    assert.doesNotMatch(json, /[<>&\u2028\u2029]/);
    assert.deepEqual(JSON.parse(json), JSON.parse(JSON.stringify(timeline)));
  });

  test("a hostile workload label does not break out of the data script", () => {
    const html = reportHtml(timeline);
    // Exactly the page's four script elements: data, Chart.js, the annotation plugin, the page's own.
    assert.equal(html.match(/<script\b/gi)?.length, 4);
    assert.equal(html.match(/<\/script>/gi)?.length, 4);
    assert.doesNotMatch(html, /window\.__pwned=1<\/script>/);
  });

  test("in Chromium the page draws the hostile labels as text and runs none of them", async () => {
    const dir = tempDir();
    const { html } = writeReport(dir, timeline);
    const { page, errors, summary } = await open(html);
    assert.deepEqual(errors, []);
    assert.equal(await page.evaluate(() => (window as { __pwned?: number }).__pwned), undefined);
    const data = await page.evaluate(() => JSON.parse(document.getElementById("report-data")!.textContent!));
    assert.deepEqual(data.timeline, JSON.parse(JSON.stringify(timeline)));
    const c = chart(summary, `chart-ai-serving-llm${hostile}`);
    assert.equal(await page.getByTestId(`chart-ai-serving-llm${hostile}`).count(), 1);
    assert.deepEqual(annotations(c, "step"), [["step-0", `1. step ${hostile}`]]);
    assert.match(
      await page.locator("h1").innerText(),
      /spike <\/script><script>window.__pwned=1<\/script><!--/,
    );
  });
});

describe("report content without a browser", () => {
  test("a passing run says PASS and that nothing unexpected arrived; no source map is referenced", () => {
    const t = fixture();
    const passing: SandboxTimeline = {
      ...t,
      notifications: t.notifications.filter((n) => n.expected),
      expectations: t.expectations.filter((e) => e.ok),
      passed: true,
    };
    const html = reportHtml(passing);
    assert.match(
      html,
      /<strong>PASS<\/strong> 3 of 3 expected notifications arrived in their window; 0 unexpected/,
    );
    assert.match(html, /<p data-testid="unexpected" class="none">No unexpected notification arrived\.<\/p>/);
    assert.doesNotMatch(html, /FAIL/);
    assert.doesNotMatch(html, /sourceMappingURL/);
    assert.equal(reportHtml(passing), html, "the same timeline gives the same page");
  });

  test("a cluster-wide alert, notification and step are drawn on every workload's charts", () => {
    const t = fixture();
    const heartbeat = { alertname: "Heartbeat", severity: "none" };
    const clusterWide: SandboxTimeline = {
      ...t,
      alerts: [
        {
          alertname: "RuleFailures",
          severity: "warning",
          labels: { alertname: "RuleFailures" },
          firingAt: 10,
        },
        { ...heartbeat, labels: heartbeat, pendingAt: 0, firingAt: 0 },
      ],
      notifications: [
        {
          t: 40,
          receiver: "platform",
          status: "firing",
          alerts: [{ alertname: "RuleFailures", status: "firing", labels: { alertname: "RuleFailures" } }],
          expected: true,
        },
        {
          t: 45,
          receiver: "deadmansswitch",
          status: "firing",
          alerts: [{ alertname: "Heartbeat", status: "firing", labels: heartbeat }],
          expected: true,
        },
      ],
      steps: [{ t: 5, label: "start" }],
    };
    type WithAnnotations = { annotation: { annotations: Record<string, unknown> } };
    const ids = (spec: ChartSpec) =>
      Object.keys((spec.config.options?.plugins as WithAnnotations).annotation.annotations);
    const specs = chartSpecs(clusterWide);
    assert.equal(specs.length, 4);
    for (const spec of specs) {
      const drawn = ids(spec);
      assert.ok(drawn.includes("band-0-firing"), `${spec.testId} has the RuleFailures band`);
      assert.ok(!drawn.includes("band-0-pending"), `${spec.testId}: RuleFailures was never pending`);
      assert.ok(drawn.includes("step-0"), `${spec.testId} has the step`);
      assert.equal(drawn.includes("mark-0"), spec.kind === "replicas", `${spec.testId} RuleFailures mark`);
      // The heartbeat fires all the time by design: it stays in the tables, off the charts.
      assert.deepEqual(
        drawn.filter((id) => id.startsWith("band-1") || id.startsWith("mark-1")),
        [],
        spec.testId,
      );
    }
  });
});

describe("label lanes", () => {
  test("labels close in time take the next lane; far apart ones share the first", () => {
    const placed = assignLanes(
      [
        { t: 0, text: "team-slack +31s" },
        { t: 10, text: "oncall-pager +40s" },
        { t: 500, text: "team-slack resolved +12s" },
      ],
      600,
      3,
    );
    assert.deepEqual(placed, [
      { lane: 0, text: "team-slack +31s" },
      { lane: 1, text: "oncall-pager +40s" },
      { lane: 0, text: "team-slack resolved +12s" },
    ]);
    assert.equal(lanesUsed(placed), 2);
    assert.equal(lanesUsed([]), 0);
  });

  test("when every lane is busy, the label before is shortened to end where the next starts", () => {
    const text = "a label long enough to need about two hundred pixels";
    const placed = assignLanes(
      [0, 6, 12, 48].map((t) => ({ t, text })),
      600,
      3,
    );
    assert.deepEqual(
      placed.map((p) => p.lane),
      [0, 1, 2, 0],
    );
    // 48 s of 600 is 80 px of the assumed 1,000: the first label keeps about 10 characters.
    assert.match(placed[0]!.text, /^a label l?o?…$/);
    assert.equal(placed[3]!.text, text);
  });
});

// ---------------------------------------------------------------------------------------------
// A real run: the bundled example's gpu-spike scenario on the real Prometheus and Alertmanager,
// then its report in Chromium. What the page draws must be what the run recorded.

describe("the report of a real sandbox run", () => {
  test("gpu-spike: replicas, signals, alert bands and notification marks as recorded, no console error", async () => {
    const { loadConfigFile } = await import("../src/config/load.js");
    const { runSandbox } = await import("../src/sandbox/run.js");
    const { loadScenario } = await import("../src/sandbox/scenario/load.js");
    const { stopAll } = await import("../src/sandbox/index.js");
    let timeline: SandboxTimeline;
    try {
      timeline = await runSandbox({
        config: loadConfigFile("examples/llm-serving.yaml"),
        scenario: loadScenario("gpu-spike"),
        speed: 30,
      });
    } finally {
      await stopAll();
    }
    assert.equal(timeline.passed, true, "the run passed");
    const dir = tempDir();
    const { html } = writeReport(dir, timeline);
    const opened = await open(html);
    try {
      assert.deepEqual(opened.errors, []);
      assert.deepEqual(opened.requests, [pathToFileURL(html).href], "the page fetches nothing");
      const replicas = chart(opened.summary, "chart-ml-serving-llm-chat");
      assert.deepEqual(
        replicas.datasets.map((d) => d.label),
        ["desired", "current", "available"],
      );
      for (const d of replicas.datasets) assert.ok(d.points > 10, `${d.label} has its samples`);
      const bands = annotations(replicas, "band").map(([, label]) => label ?? "");
      for (const alert of ["AIWorkloadAtMaxReplicas", "AIWorkloadGpuSaturated", "AIWorkloadQueueBacklog"])
        assert.ok(
          bands.some((b) => b.includes(alert) && b.includes("firing")),
          `a firing band of ${alert}: ${bands.join(" | ")}`,
        );
      const delivered = timeline.notifications.filter((n) => n.alerts.some((a) => a.workload === "llm-chat"));
      const marks = annotations(replicas, "mark");
      assert.equal(marks.length, delivered.length, "one mark per delivered notification of the workload");
      const signals = chart(opened.summary, "chart-ml-serving-llm-chat-signals");
      assert.ok(signals.datasets.some((d) => /GPU/.test(d.label) && d.points > 10));
      const shot = join(dir, "timeline-real-run.png");
      await opened.page.screenshot({ path: shot, fullPage: true });
      if (process.env.SANDBOX_SCREENSHOT_DIR) {
        mkdirSync(process.env.SANDBOX_SCREENSHOT_DIR, { recursive: true });
        copyFileSync(shot, join(process.env.SANDBOX_SCREENSHOT_DIR, "timeline-real-run.png"));
      }
    } finally {
      await opened.page.close();
    }
  });
});
