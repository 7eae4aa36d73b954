/**
 * Live delivery of the integrations added for issue 11, on Debian's real Alertmanager 0.25 on
 * loopback: the alertmanager.yml that `render -f prometheus` writes for discord, telegram, webex
 * and sns, each pointed at a local HTTP server, gets one critical alert through Alertmanager's API,
 * and the request each integration makes is checked (method, path, credentials, body fields, our
 * message templates rendered). msteamsv2 needs Alertmanager 0.28, which the tests do not have: it
 * is covered by the merge and the operator's golden case only.
 *
 * Alertmanager 0.25 has no `webhook_url_file` (discord) or `bot_token_file` (telegram): the merge
 * writes placeholders naming the Secret's file, which this test substitutes as a deployment would.
 * The webex token is read from its `credentials_file`, a file in Alertmanager's directory. SNS takes
 * the AWS credentials of the process (the pod's, in a cluster): fake ones in the environment here.
 */
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { generate } from "../src/build.js";
import { parseConfig } from "../src/config/load.js";
import { standaloneAlertmanagerConfig } from "../src/render/alertmanager-yaml.js";
import { toYaml } from "../src/render/yaml.js";
import { startAlertmanager, stopAll, type AlertmanagerSandbox } from "../src/sandbox/index.js";
import { alertInstances } from "../src/verify/alert-labels.js";
import { requireTool } from "./support/tools.js";

/** One HTTP request an integration made. */
interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** What the local server answers, per service (what the real API answers on success). */
function answer(path: string): { status: number; type: string; body: string } {
  if (path.startsWith("/telegram/"))
    return {
      status: 200,
      type: "application/json",
      body: JSON.stringify({
        ok: true,
        result: { message_id: 1, date: 0, chat: { id: CHAT_ID, type: "supergroup" }, text: "ok" },
      }),
    };
  if (path.startsWith("/sns"))
    return {
      status: 200,
      type: "text/xml",
      body:
        '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult>' +
        "<MessageId>00000000-0000-0000-0000-000000000001</MessageId></PublishResult>" +
        "<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></PublishResponse>",
    };
  if (path.startsWith("/webex/"))
    return { status: 200, type: "application/json", body: JSON.stringify({ id: "m1" }) };
  return { status: 204, type: "text/plain", body: "" };
}

const CHAT_ID = -1001234567890;
const BOT_TOKEN = "123456:test-bot-token";
const WEBEX_TOKEN = "test-webex-token";
const TOPIC = "arn:aws:sns:eu-west-1:123456789012:ai-alerts";
const AWS_ENV = {
  AWS_ACCESS_KEY_ID: "AKIATESTTESTTESTTEST",
  AWS_SECRET_ACCESS_KEY: "test-secret-access-key",
  AWS_EC2_METADATA_DISABLED: "true",
};

describe("live Alertmanager 0.25: discord, telegram, webex and sns deliver to their APIs", () => {
  requireTool("prometheus-alertmanager", "alertmanager");
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "/";
      requests.push({
        method: req.method ?? "?",
        path,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      const a = answer(path);
      res.writeHead(a.status, { "content-type": a.type }).end(a.body);
    });
  });
  const savedEnv: Record<string, string | undefined> = {};
  let am: AlertmanagerSandbox | undefined;
  let base = "";
  let summary = "";
  let title = "";

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const ref = (key: string) => ({ secret: "alerting", key });
    const config = parseConfig({
      namespace: "ml",
      monitoring: { operator: { alertmanagerVersion: "0.25.0" } },
      workloads: [
        {
          name: "llm",
          autoscaling: { minReplicas: 1, maxReplicas: 4, metrics: [{ type: "cpu", targetUtilization: 80 }] },
        },
      ],
      notifications: {
        groupWait: "1s",
        groupInterval: "1s",
        repeatInterval: "1h",
        defaultInhibitions: false,
        receivers: [
          { name: "discord", type: "discord", webhookUrl: ref("discord-url") },
          {
            name: "telegram",
            type: "telegram",
            botToken: ref("tg-token"),
            chatId: CHAT_ID,
            apiUrl: `${base}/telegram`,
          },
          {
            name: "webex",
            type: "webex",
            token: ref("webex-token"),
            roomId: "room-ai",
            apiUrl: `${base}/webex/v1/messages`,
          },
          { name: "sns", type: "sns", topicArn: TOPIC, apiUrl: `${base}/sns` },
        ],
      },
    });
    const g = generate(config);
    const merged = standaloneAlertmanagerConfig(g, { secretsDir: "secrets" });
    assert.deepEqual(merged.rejected, [], JSON.stringify(merged.problems));
    // The two placeholders, substituted as a deployment would (no *_file before Alertmanager 0.26).
    const yaml = toYaml(merged.config)
      .replace(
        /https:\/\/webhook-url-file-needs-alertmanager-0-26\.invalid\/ml\/alerting\/discord-url/,
        `${base}/discord/hook`,
      )
      .replace(
        /https:\/\/bot-token-file-needs-alertmanager-0-26\.invalid\/ml\/alerting\/tg-token/,
        BOT_TOKEN,
      );
    assert.doesNotMatch(yaml, /\.invalid\//, "every placeholder substituted");
    for (const [k, v] of Object.entries(AWS_ENV)) {
      savedEnv[k] = process.env[k];
      process.env[k] = v;
    }
    am = await startAlertmanager({
      configYaml: yaml,
      extraFiles: { "secrets/ml/alerting/webex-token": WEBEX_TOKEN },
    });
    const critical = alertInstances(g.resolved).find((i) => i.labels.severity === "critical" && i.workload);
    assert.ok(critical, "a critical alert of the workload");
    summary = `${critical.alert} of llm: <queue> & "GPU" stuck`;
    title = `[FIRING] CRITICAL ml/llm: ${critical.labels.event?.replace(/_/g, " ")}`;
    await am.postAlerts([
      {
        labels: { ...critical.labels },
        annotations: {
          summary,
          description: "stuck at 4 of 4 replicas",
          runbook_url: "https://runbooks.example/ai#at-max",
        },
        startsAt: new Date(),
      },
    ]);
    const want = ["/discord/", "/telegram/", "/webex/", "/sns"];
    const deadline = Date.now() + 20_000;
    while (!want.every((p) => requests.some((r) => r.path.startsWith(p))) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
  });

  after(async () => {
    await am?.stop();
    await stopAll();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    for (const [k, v] of Object.entries(savedEnv)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  const one = (prefix: string): Recorded => {
    const r = requests.find((x) => x.path.startsWith(prefix));
    assert.ok(
      r,
      `no request to ${prefix}; got ${requests.map((x) => `${x.method} ${x.path}`).join(", ") || "none"}\n${am?.output().slice(-3000)}`,
    );
    return r;
  };

  it("discord: POSTs an embed with our title, the summary and the runbook link to the webhook URL", () => {
    const r = one("/discord/");
    assert.equal(r.method, "POST");
    assert.equal(r.path, "/discord/hook");
    const body = JSON.parse(r.body) as { embeds: { title: string; description: string; color: number }[] };
    assert.equal(body.embeds[0]?.title, title);
    assert.match(body.embeds[0]?.description ?? "", /\*\*.*<queue> & "GPU" stuck\*\*/);
    assert.match(body.embeds[0]?.description ?? "", /\[Runbook\]\(https:\/\/runbooks\.example\/ai#at-max\)/);
    assert.equal(body.embeds[0]?.color, 0x992d22, "Alertmanager's red for a firing alert");
  });

  it("telegram: sendMessage with the bot token in the path, the chat id, HTML with the alert text escaped once", () => {
    const r = one("/telegram/");
    assert.equal(r.method, "POST");
    assert.equal(r.path, `/telegram/bot${BOT_TOKEN}/sendMessage`);
    const body = (
      /json/.test(r.headers["content-type"] ?? "")
        ? JSON.parse(r.body)
        : Object.fromEntries(new URLSearchParams(r.body))
    ) as Record<string, unknown>;
    assert.equal(String(body.chat_id), String(CHAT_ID));
    assert.equal(body.parse_mode, "HTML");
    const text = String(body.text);
    assert.ok(text.startsWith(`<b>${title}</b>`), text);
    // Escaped once, by Alertmanager's html/template (numeric entities are Telegram HTML too).
    assert.match(text, /&lt;queue&gt; &amp; &#34;GPU&#34; stuck<\/b>/);
    assert.match(text, /<a href="https:\/\/runbooks\.example\/ai#at-max">Runbook<\/a>/);
  });

  it("webex: the bot token as Bearer from its credentials file, the room and our markdown", () => {
    const r = one("/webex/");
    assert.equal(r.method, "POST");
    assert.equal(r.path, "/webex/v1/messages");
    assert.equal(r.headers.authorization, `Bearer ${WEBEX_TOKEN}`);
    const body = JSON.parse(r.body) as { roomId: string; markdown: string };
    assert.equal(body.roomId, "room-ai");
    assert.ok(body.markdown.startsWith(`**${title}**`), body.markdown);
    assert.match(body.markdown, /stuck at 4 of 4 replicas/);
  });

  it("sns: a signed Publish to the topic with our subject and plain-text message", () => {
    const r = one("/sns");
    assert.equal(r.method, "POST");
    assert.match(
      String(r.headers.authorization),
      /^AWS4-HMAC-SHA256 Credential=AKIATESTTESTTESTTEST\/\d+\/eu-west-1\/sns\//,
    );
    const form = new URLSearchParams(r.body);
    assert.equal(form.get("Action"), "Publish");
    assert.equal(form.get("TopicArn"), TOPIC);
    assert.equal(form.get("Subject"), title);
    assert.match(
      form.get("Message") ?? "",
      /<queue> & "GPU" stuck\nstuck at 4 of 4 replicas\nRunbook: https:\/\/runbooks\.example\/ai#at-max/,
    );
  });
});
