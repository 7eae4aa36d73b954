/**
 * The receivers added for issue 11 (msteamsv2, discord, telegram, webex, sns) through the config,
 * the AlertmanagerConfig and the operator merge: each renders with Secret references only; bad
 * input names its field path and never repeats a credential; the operator's version rules are
 * checked at load; the merged alertmanager.yml loads in the real amtool (0.25: every integration
 * it knows), and msteamsv2 (Alertmanager >= 0.28) is held to the operator's conversion.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { generate } from "../src/build.js";
import { run, type Io } from "../src/cli/program.js";
import { ConfigError } from "../src/config/errors.js";
import { parseConfig, RECEIVER_SINCE } from "../src/config/load.js";
import { INTEGRATIONS } from "../src/operator-merge/crd-integrations.js";
import { standaloneAlertmanagerConfig } from "../src/render/alertmanager-yaml.js";
import { toYaml } from "../src/render/yaml.js";
import { redirectReceivers } from "../src/sandbox/redirect.js";
import { verify } from "../src/verify/verify.js";
import { runTool } from "../src/verify/tools.js";
import { assertNoSentinel, filesUnder, sentinel } from "./support/sentinels.js";
import { requireTool } from "./support/tools.js";

const work = mkdtempSync(join(tmpdir(), "asa-integrations-"));
after(() => rmSync(work, { recursive: true, force: true }));

const ref = (key: string) => ({ secret: "alerting", key });
const RECEIVERS = [
  { name: "discord", type: "discord", webhookUrl: ref("discord-url") },
  { name: "telegram", type: "telegram", botToken: ref("tg-token"), chatId: -1001234567890 },
  { name: "webex", type: "webex", token: ref("webex-token"), roomId: "Y2lzY29zcGFyazovL3Vz" },
  { name: "sns", type: "sns", topicArn: "arn:aws:sns:eu-west-1:123456789012:ai-alerts" },
  { name: "sms", type: "sns", phoneNumber: "+4915112345678", region: "eu-central-1", receive: ["critical"] },
] as const;
const TEAMS_V2 = { name: "teams", type: "msteamsv2", webhookUrl: ref("teams-url") } as const;

function config(receivers: readonly unknown[], alertmanagerVersion = "0.25.0", extra = {}): unknown {
  return {
    namespace: "ml",
    monitoring: { operator: { alertmanagerVersion } },
    workloads: [
      {
        name: "llm",
        autoscaling: { minReplicas: 1, maxReplicas: 4, metrics: [{ type: "cpu", targetUtilization: 80 }] },
      },
    ],
    notifications: { receivers, ...extra },
  };
}

/** The problems of an invalid config, as `path: message` lines. */
function problems(input: unknown): string[] {
  try {
    parseConfig(input);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  assert.fail("the config was accepted");
}

describe("new receivers: the AlertmanagerConfig", () => {
  const g = generate(parseConfig(config([...RECEIVERS, TEAMS_V2], "0.28.0")));
  const byName = new Map(g.alertmanagerConfigs[0]?.spec.receivers.map((r) => [r.name, r]));

  it("references each credential as a Secret key selector, in the CRD's field", () => {
    const sel = (key: string) => ({ name: "alerting", key });
    assert.deepEqual(byName.get("discord")?.discordConfigs?.[0]?.apiURL, sel("discord-url"));
    assert.deepEqual(byName.get("telegram")?.telegramConfigs?.[0]?.botToken, sel("tg-token"));
    assert.deepEqual(byName.get("webex")?.webexConfigs?.[0]?.httpConfig, {
      authorization: { type: "Bearer", credentials: sel("webex-token") },
    });
    assert.deepEqual(byName.get("teams")?.msteamsv2Configs?.[0]?.webhookURL, sel("teams-url"));
  });

  it("carries the destinations, and SNS takes its region from the topic ARN", () => {
    const tg = byName.get("telegram")?.telegramConfigs?.[0];
    assert.equal(tg?.chatID, -1001234567890);
    assert.equal(tg?.parseMode, "HTML");
    assert.equal(byName.get("webex")?.webexConfigs?.[0]?.roomID, "Y2lzY29zcGFyazovL3Vz");
    const sns = byName.get("sns")?.snsConfigs?.[0];
    assert.equal(sns?.topicARN, "arn:aws:sns:eu-west-1:123456789012:ai-alerts");
    assert.deepEqual(sns?.sigv4, { region: "eu-west-1" });
    const sms = byName.get("sms")?.snsConfigs?.[0];
    assert.equal(sms?.phoneNumber, "+4915112345678");
    assert.deepEqual(sms?.sigv4, { region: "eu-central-1" });
  });

  it("routes critical and warning alerts to them by default, and tells them about resolutions", () => {
    const routes = g.alertmanagerConfigs[0]?.spec.route.routes ?? [];
    for (const name of ["discord", "telegram", "webex", "sns", "teams"]) {
      const route = routes.find((r) => r.receiver === name);
      assert.deepEqual(route?.matchers?.[0], {
        name: "severity",
        matchType: "=~",
        value: "critical|warning",
      });
    }
    const sms = routes.find((r) => r.receiver === "sms");
    assert.deepEqual(sms?.matchers?.[0], { name: "severity", matchType: "=", value: "critical" });
    assert.equal(byName.get("discord")?.discordConfigs?.[0]?.sendResolved, true);
    assert.equal(byName.get("sns")?.snsConfigs?.[0]?.sendResolved, true);
  });

  it("leaves Telegram's HTML escaping to Alertmanager (html/template in parse mode HTML)", () => {
    const tg = byName.get("telegram")?.telegramConfigs?.[0];
    assert.equal(tg?.parseMode, "HTML");
    assert.match(tg?.message ?? "", /<b>[^<]*\{\{ \.Annotations\.summary \}\}<\/b>/);
    assert.doesNotMatch(tg?.message ?? "", /&amp;|&lt;/, "escaping twice would show &amp;lt; in the chat");
  });

  it("is converted by the merge as the operator does, msteamsv2 included (Alertmanager 0.28)", () => {
    const merged = standaloneAlertmanagerConfig(g);
    assert.deepEqual(merged.rejected, []);
    assert.deepEqual(
      merged.problems.filter((p) => p.severity === "error"),
      [],
    );
    const out = new Map(merged.config.receivers.map((r) => [r.name.split("/").pop(), r]));
    const secrets = "/etc/alertmanager/secrets/ml/alerting";
    assert.equal(out.get("teams")?.msteamsv2_configs?.[0]?.webhook_url_file, `${secrets}/teams-url`);
    assert.equal(out.get("discord")?.discord_configs?.[0]?.webhook_url_file, `${secrets}/discord-url`);
    assert.equal(out.get("telegram")?.telegram_configs?.[0]?.bot_token_file, `${secrets}/tg-token`);
    assert.deepEqual(out.get("webex")?.webex_configs?.[0]?.http_config, {
      authorization: { type: "Bearer", credentials_file: `${secrets}/webex-token` },
    });
    assert.equal(out.get("sns")?.sns_configs?.[0]?.topic_arn, "arn:aws:sns:eu-west-1:123456789012:ai-alerts");
  });

  it("keeps its version table in step with the merge's", () => {
    for (const [type, since] of Object.entries(RECEIVER_SINCE)) {
      const spec = INTEGRATIONS[`${type}Configs`];
      assert.ok(spec, type);
      if (spec.since) assert.equal(spec.since, since, type);
    }
  });

  it("the sandbox redirects them with Alertmanager's own send_resolved defaults", () => {
    const merged = standaloneAlertmanagerConfig(g);
    const copy = structuredClone(merged.config);
    for (const r of copy.receivers)
      for (const [k, v] of Object.entries(r))
        if (k.endsWith("_configs") && Array.isArray(v)) for (const c of v) delete c.send_resolved;
    const redirected = redirectReceivers(copy, (n) => `http://127.0.0.1:1/${n}`);
    for (const name of ["discord", "telegram", "webex", "sns", "teams"]) {
      const r = redirected.receivers.find((x) => x.name.endsWith(`/${name}`));
      assert.deepEqual(r?.webhook_configs?.[0]?.send_resolved, true, name);
      assert.equal(Object.keys(r ?? {}).filter((k) => k.endsWith("_configs")).length, 1, name);
    }
  });
});

describe("new receivers: bad input names the field path", () => {
  const cases: [string, unknown, string, RegExp][] = [
    [
      "telegram without a chat",
      { name: "t", type: "telegram", botToken: ref("t") },
      "chatId",
      /required|chat id/,
    ],
    [
      "telegram chat 0",
      { name: "t", type: "telegram", botToken: ref("t"), chatId: 0 },
      "chatId",
      /must not be 0/,
    ],
    [
      "telegram chat as text",
      { name: "t", type: "telegram", botToken: ref("t"), chatId: "@ops" },
      "chatId",
      /chat id/,
    ],
    ["webex without room", { name: "w", type: "webex", token: ref("w") }, "roomId", /./],
    ["webex without token", { name: "w", type: "webex", roomId: "r" }, "token", /Secret reference/],
    ["discord without URL", { name: "d", type: "discord" }, "webhookUrl", /Secret reference/],
    ["msteamsv2 without URL", { name: "m", type: "msteamsv2" }, "webhookUrl", /Secret reference/],
    [
      "sns without destination",
      { name: "s", type: "sns" },
      "topicArn",
      /exactly one of topicArn, targetArn or phoneNumber \(got none\)/,
    ],
    [
      "sns with two destinations",
      {
        name: "s",
        type: "sns",
        topicArn: "arn:aws:sns:eu-west-1:123456789012:a",
        phoneNumber: "+491511234567",
      },
      "phoneNumber",
      /exactly one .*got topicArn and phoneNumber/,
    ],
    [
      "sns SMS without region",
      { name: "s", type: "sns", phoneNumber: "+491511234567" },
      "region",
      /required with phoneNumber/,
    ],
    ["sns bad topic", { name: "s", type: "sns", topicArn: "alerts" }, "topicArn", /SNS topic ARN/],
    [
      "sns bad phone",
      { name: "s", type: "sns", phoneNumber: "0151 123", region: "eu-west-1" },
      "phoneNumber",
      /E\.164/,
    ],
    [
      "telegram API URL",
      { name: "t", type: "telegram", botToken: ref("t"), chatId: 1, apiUrl: "tg.local" },
      "apiUrl",
      /http/,
    ],
    [
      "an unknown field",
      { name: "d", type: "discord", webhookUrl: ref("d"), avatar: "x" },
      "avatar",
      /unknown key/,
    ],
  ];
  for (const [what, receiver, field, message] of cases) {
    it(what, () => {
      const list = problems(config([receiver]));
      const path = `notifications.receivers[0].${field}`;
      assert.ok(
        list.some((l) => l.startsWith(`${path}:`) && message.test(l)),
        `expected ${path}: ${message}; got\n${list.join("\n")}`,
      );
    });
  }

  const versions: [string, unknown, string, string, RegExp][] = [
    [
      "msteamsv2 on Alertmanager 0.27",
      TEAMS_V2,
      "0.27.0",
      "type",
      /msteamsv2 needs Alertmanager >= 0\.28.*0\.27\.0.*reject the whole/,
    ],
    [
      "a Telegram forum topic on 0.25",
      { ...RECEIVERS[1], messageThreadId: 7 },
      "0.25.0",
      "messageThreadId",
      /needs Alertmanager >= 0\.26.*drops it/,
    ],
  ];
  for (const [what, receiver, version, field, message] of versions) {
    it(what, () => {
      const list = problems(config([receiver], version));
      assert.ok(
        list.some((l) => l.startsWith(`notifications.receivers[0].${field}:`) && message.test(l)),
        list.join("\n"),
      );
    });
  }

  it("accepts msteamsv2 from 0.28 and a forum topic from 0.26", () => {
    assert.ok(parseConfig(config([TEAMS_V2], "0.28.0")));
    assert.ok(parseConfig(config([{ ...RECEIVERS[1], messageThreadId: 7 }], "0.26.0")));
  });

  it("refuses every credential written inline, naming the field and repeating none", () => {
    const inline = [
      { name: "a", type: "discord", webhookUrl: `https://discord.com/api/webhooks/1/${sentinel("discord")}` },
      { name: "b", type: "telegram", botToken: `123456:${sentinel("telegram")}`, chatId: 5 },
      { name: "c", type: "webex", token: sentinel("webex"), roomId: "r" },
      { name: "d", type: "msteamsv2", webhookUrl: `https://prod.logic.azure.com/${sentinel("teams")}` },
    ];
    const list = problems(config(inline, "0.28.0"));
    for (const [i, field] of ["webhookUrl", "botToken", "token", "webhookUrl"].entries())
      assert.ok(
        list.some((l) =>
          l.startsWith(`notifications.receivers[${i}].${field}: inline credentials are not allowed`),
        ),
        list.join("\n"),
      );
    assertNoSentinel("the problems", list.join("\n"));
  });
});

describe("new receivers: render writes references only", () => {
  it("in both formats, and the merged file loads in amtool", async () => {
    const amtool = requireTool("amtool");
    const file = join(work, "config.yaml");
    writeFileSync(file, toYaml(config(RECEIVERS)));
    const io: Io = { out: () => undefined, err: () => undefined };
    for (const format of ["kubernetes", "prometheus"]) {
      const out = join(work, `out-${format}`);
      assert.equal(await run(["render", "-c", file, "-f", format, "-o", out], io), 0, format);
    }
    const objects = filesUnder(join(work, "out-kubernetes"))
      .map((f) => f.text)
      .join("\n");
    for (const key of ["discord-url", "tg-token", "webex-token"])
      assert.match(objects, new RegExp(`name: alerting\\n\\s+key: ${key}`), key);
    const yml = readFileSync(join(work, "out-prometheus", "alertmanager.yml"), "utf8");
    assert.match(yml, /credentials_file: \/etc\/alertmanager\/secrets\/ml\/alerting\/webex-token/);
    assert.doesNotMatch(yml, /discord\.com|api\.telegram\.org/);
    const r = runTool(amtool, ["check-config", "alertmanager.yml"], { "alertmanager.yml": yml });
    assert.ok(r.ok, r.output);
  });

  it("verify on amtool 0.25 for a 0.28 target checks a merge without msteamsv2, and says WARN", () => {
    requireTool("amtool");
    const g = generate(parseConfig(config([...RECEIVERS, TEAMS_V2], "0.28.0")));
    const c = verify(g, { tools: { promtool: null } }).find((x) => x.id === "amtool-check");
    assert.equal(c?.status, "warn", JSON.stringify(c));
    assert.match(
      c?.summary ?? "",
      /not checked for 0\.28\.0: amtool 0\.25\.\d+ is older.*without its msteamsv2Configs/,
    );
  });
});
