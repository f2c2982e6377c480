// Schedule benchmark: prints figures, asserts nothing.
//   node bench/schedule/run.mjs            (after `pnpm run build`)
// Time to parse an expression and compute its next 1,000 fire times, for stepline,
// croner and cron-parser given the same schedule in their own dialects. Median of
// repeated runs after a warm-up; every library parses anew in each run. stepline
// keeps each zone's UTC offsets once read (a per-process cache, warm after the
// warm-up); its first call, cache cold, is shown apart.
process.env.TZ = "UTC"; // croner and cron-parser read UTC schedules through the local zone

const { cpus } = await import("node:os");
const { Cron } = await import("croner");
const { CronExpressionParser } = await import("cron-parser");
const { nextFireTimes, parseScheduleExpression } = await import("../../packages/core/dist/schedule/index.js");

const FROM = Date.UTC(2025, 0, 1, 0, 0, 0);
const COUNT = 1000;

/** [label, AWS expression, zone, croner pattern, cron-parser pattern (null: not supported)] */
const CASES = [
  ["every 5 minutes", "cron(0/5 * * * ? *)", "UTC", "*/5 * * * *", "*/5 * * * *"],
  ["daily 03:00", "cron(0 3 * * ? *)", "UTC", "0 3 * * *", "0 3 * * *"],
  ["weekdays 09:15", "cron(15 9 ? * MON-FRI *)", "UTC", "15 9 * * 1-5", "15 9 * * 1-5"],
  ["last day of month", "cron(0 0 L * ? *)", "UTC", "0 0 L * *", "0 0 L * *"],
  ["15W (nearest weekday)", "cron(0 10 15W * ? *)", "UTC", "0 10 15W * *", null],
  ["3#2 (2nd Tuesday)", "cron(0 9 ? * 3#2 *)", "UTC", "0 9 * * 2#2", "0 9 * * 2#2"],
  ["6L (last Friday)", "cron(15 10 ? * 6L *)", "UTC", "15 10 * * 5#L", "15 10 * * 5L"],
  ["leap day 29 Feb", "cron(0 0 29 2 ? *)", "UTC", "0 0 29 2 *", "0 0 29 2 *"],
  ["daily 03:00 New York", "cron(0 3 * * ? *)", "America/New_York", "0 3 * * *", "0 3 * * *"],
  [
    "*/15 8-17 weekdays London",
    "cron(0/15 8-17 ? * MON-FRI *)",
    "Europe/London",
    "*/15 8-17 * * 1-5",
    "*/15 8-17 * * 1-5",
  ],
  ["hourly :30 Kolkata", "cron(30 * * * ? *)", "Asia/Kolkata", "30 * * * *", "30 * * * *"],
  ["MON#1 09:00 Adelaide", "cron(0 9 ? * MON#1 *)", "Australia/Adelaide", "0 9 * * 1#1", "0 9 * * 1#1"],
];

function stepline(expression, zone, count) {
  const schedule = parseScheduleExpression(expression);
  return nextFireTimes(schedule, { from: FROM, count, timezone: zone });
}

function croner(pattern, zone, count) {
  const options = { mode: "5-part", domAndDow: true, ...(zone === "UTC" ? {} : { timezone: zone }) };
  return new Cron(pattern, options).nextRuns(count, new Date(FROM)).map((d) => d.getTime());
}

function cronParser(pattern, zone, count) {
  const options = { currentDate: new Date(FROM), ...(zone === "UTC" ? {} : { tz: zone }) };
  return CronExpressionParser.parse(pattern, options)
    .take(count)
    .map((d) => d.getTime());
}

/** Median ms of `fn` after a warm-up; stops early once samples take more than ~3 s. */
function time(fn) {
  for (let i = 0; i < 5; i++) fn();
  const samples = [];
  const budget = performance.now() + 3000;
  while (samples.length < 41 && (samples.length < 7 || performance.now() < budget)) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const ms = (x) => (x === undefined ? "n/a" : x < 1 ? x.toFixed(3) : x < 100 ? x.toFixed(2) : x.toFixed(0));
const rows = [];
const totals = { stepline: 0, faster: 0 };
for (const [label, aws, zone, cronerPattern, parserPattern] of CASES) {
  const coldStart = performance.now();
  const ours = stepline(aws, zone, COUNT);
  const cold = performance.now() - coldStart;
  // AWS years end in 2199: the leap day has fewer than 1,000 fire times; every library computes as many.
  const n = ours.length;
  const peerC = croner(cronerPattern, zone, n);
  const peerP = parserPattern === null ? undefined : cronParser(parserPattern, zone, n);
  const agree = (peer) =>
    peer === undefined ? "" : peer.length === n && peer.every((t, i) => t === ours[i]) ? "=" : "≠";
  const s = time(() => stepline(aws, zone, n));
  const c = time(() => croner(cronerPattern, zone, n));
  const p = parserPattern === null ? undefined : time(() => cronParser(parserPattern, zone, n));
  const faster = Math.min(c, p ?? Number.POSITIVE_INFINITY);
  totals.stepline += s;
  totals.faster += faster;
  rows.push([
    label,
    zone,
    String(n),
    ms(cold),
    ms(s),
    `${ms(c)} ${agree(peerC)}`,
    `${ms(p)} ${agree(peerP)}`,
    `${(s / faster).toFixed(3)}`,
  ]);
}

console.log(`stepline schedule bench — node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? "?"})`);
console.log(
  `next fire times after ${new Date(FROM).toISOString()}: parse + n times, median ms; = / ≠: same times as stepline`,
);
console.log("");
const head = ["expression", "zone", "n", "stepline 1st", "stepline", "croner", "cron-parser", "ratio"];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r) => r.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
console.log(line(head));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const r of rows) console.log(line(r));
console.log("");
console.log(
  `total: stepline ${ms(totals.stepline)} ms, faster peer per row ${ms(totals.faster)} ms, ratio ${(totals.stepline / totals.faster).toFixed(3)}`,
);
console.log("ratio: stepline ÷ the faster of croner and cron-parser (below 1: stepline is faster)");
