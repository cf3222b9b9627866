/**
 * Renders docs/benchmarks.md from the measurements: every number in it comes from `results`; the
 * prose around the numbers (methods, goals, reasons for a miss) is fixed text chosen by the results.
 */
import type { OverheadRun } from './phases/overhead.ts';
import type { LatencyRun } from './phases/latency.ts';
import type { Block, SideResult } from './phases/throughput.ts';
import type { ScalingRun } from './phases/scaling.ts';
import type { CallCount, TokenCount } from './phases/upstream.ts';
import type { ParseRun } from './phases/emulator-parse.ts';
import type { BodyLimitRun } from './phases/body-limit.ts';
import type { ImagePipelineResult, ImagePipelineSkipped } from './phases/image-pipeline.ts';
import type { FirstRender } from './phases/first-render.ts';
import type { FrameAnalysisResult } from './phases/frame-analysis.ts';
import { fmt, fmtSpread, median, ratios, spread, type Spread } from './lib/stats.ts';

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  loadBefore: number[];
  loadAfter: number[];
  commit: string;
  dirty: boolean;
  date: string;
  quick: boolean;
  durationS: number;
  /** 1-minute load average when each phase started (shows other work during the run). */
  phaseLoad?: Record<string, number>;
}

type Failed = { error: string };
type Maybe<T> = T | Failed;

export interface BenchResults {
  machine: Machine;
  overhead: Maybe<OverheadRun[]>;
  latency: Maybe<LatencyRun[]>;
  throughput: Maybe<Block[][]>;
  scaling: Maybe<ScalingRun[] | string>;
  upstream: Maybe<{ calls: CallCount[]; tokens: TokenCount }>;
  emulatorParse: Maybe<{
    runs: ParseRun[];
    equivalent: boolean;
    cases: number;
    dataUrlBytes: number;
  }>;
  bodyLimit?: Maybe<{ runs: BodyLimitRun[]; postBytes: number }>;
  /** Browser phases (Chromium, the built element); a string says why one did not run. */
  imagePipeline?: Maybe<ImagePipelineResult | ImagePipelineSkipped>;
  firstRender?: Maybe<FirstRender | ImagePipelineSkipped>;
  frameAnalysis?: Maybe<FrameAnalysisResult | ImagePipelineSkipped>;
}

const skipped = (value: unknown): value is ImagePipelineSkipped =>
  typeof value === 'object' && value !== null && 'skipped' in value;

const failed = (value: unknown): value is Failed =>
  typeof value === 'object' && value !== null && 'error' in value;
const ms = (value: number) => `${fmt(value)} ms`;
const mib = (value: number) => `${fmt(value, 0)} MiB`;
const medianOf = (values: number[]) => median(values);

interface Goal {
  name: string;
  target: string;
  measured: string;
  met: boolean | undefined;
  why?: string;
}

export function renderReport(r: BenchResults): string {
  const out: string[] = [];
  const goals: Goal[] = [];
  const m = r.machine;
  // Only the load before counts: the bench itself keeps both cores busy, so the load after is its own.
  const busy = (m.loadBefore[0] ?? 0) > m.cores * 0.75;

  out.push('# Benchmarks', '');
  out.push(
    `> Written by \`npm run bench\` (scripts/bench/run.ts) on ${m.date.slice(0, 16).replace('T', ' ')} UTC, commit \`${m.commit}\`${m.dirty ? ' with uncommitted changes' : ''}, in ${fmt(m.durationS / 60, 1)} min. Do not edit by hand: run it again.` +
      (m.quick ? ' **This was a `--quick` run: too few samples for conclusions.**' : ''),
    '',
  );
  out.push('## Machine', '');
  out.push('| | |', '| --- | --- |');
  out.push(`| CPU | ${m.cpuModel}, ${m.cores} cores (as Node sees them) |`);
  out.push(`| memory | ${fmt(m.memoryGiB, 1)} GiB |`);
  out.push(`| Node | ${m.node} |`);
  out.push(`| OS | ${m.os} |`);
  out.push(
    `| load average (1/5/15 min) before / after | ${m.loadBefore.map((v) => fmt(v, 2)).join(' / ')} — ${m.loadAfter.map((v) => fmt(v, 2)).join(' / ')} |`,
  );
  out.push('');
  if (busy) {
    out.push(
      `**The machine was busy with other work when this started (1-minute load average ${fmt(m.loadBefore[0] ?? 0, 2)}, above ${fmt(m.cores * 0.75, 1)} on ${m.cores} cores; the load after is mostly the bench's own).** ` +
        'Absolute times are inflated and noisy; the ratios are less affected because every figure and its baseline were measured interleaved, in the same minutes, but treat small differences as noise.',
      '',
    );
  }

  if (m.phaseLoad && Object.keys(m.phaseLoad).length)
    out.push(
      `1-minute load average when each phase started: ${Object.entries(m.phaseLoad)
        .map(([phase, load]) => `${phase} ${fmt(load, 2)}`)
        .join(', ')}.`,
      '',
    );
  // The bench's own processes (load generator, proxy, emulator; Chromium at the end) rarely keep more
  // than three runnable per core: clearly more means other work shared the machine.
  const peakLoad = Math.max(m.loadAfter[0] ?? 0, ...Object.values(m.phaseLoad ?? {}));
  if (!busy && peakLoad > m.cores * 3) {
    out.push(
      `**The 1-minute load average reached ${fmt(peakLoad, 2)} during this run, more than the bench's own processes account for on ${m.cores} cores: other work probably shared the machine.** ` +
        'Blocks measured meanwhile are slower and noisier (their per-run spread shows it); every ratio still compares figures taken in the same minutes, but treat single outliers as noise.',
      '',
    );
  }

  out.push('## How it is measured', '');
  out.push(
    '- The proxy runs as its own process (`node --import tsx server/index.ts`) in **real mode** against the standalone emulator (`server/emulator/main.ts`, processing delay 0), so its CPU time and memory (read from `/proc`) are its own. `LOG_LEVEL=info`, log to `/dev/null`; abuse limits raised far above the load; results are delivered to a webhook receiver in the bench process, after which the proxy deletes the dossier.',
    '- Every figure is a **ratio against a baseline measured in the same run**, interleaved (request by request, or block by block with alternating order), and given as the median over three runs with the spread `[min–max]` of the three per-run ratios. Baseline and project columns show the medians of the per-run values.',
    '- Baselines: for requests, the emulator called directly with a bearer token; for whole verifications, the same flow sent to the emulator directly (create dossier, create process, Set images per side as dataURL JSON, start, Get process every 50 ms until final, delete); for callback → browser, a minimal relay that pushes the callback body to an SSE client (scripts/bench/relay.ts).',
    '- A verification through the proxy is what the element does: create a capture session, upload each side as a raw JPEG, submit, read the status every 50 ms until it is final. A `503 overloaded` or `429` answered with `Retry-After` is waited out and retried (plus up to 100 ms of jitter) and is **not** a failure. A request that gets no answer at all (connect timeout, connection reset) is sent again up to twice, after 0.5 and 1 s, as browsers and the element do; those are counted and shown, on both sides. Any other answer, a third network error, or no final status within 60 s is a failure.',
    "- Loopback only; load generator, proxy and emulator share the machine's cores.",
    '',
  );

  // ---- overhead ----
  out.push('## Proxy overhead', '');
  if (failed(r.overhead)) out.push(`Not measured: ${r.overhead.error}`, '');
  else {
    const o = r.overhead;
    const col = (pick: (run: OverheadRun) => number) => o.map(pick);
    const row = (figure: string, baseline: string, base: number[], project: number[]) =>
      `| ${figure} | ${baseline} ${ms(medianOf(base))} | ${ms(medianOf(project))} | ${fmtSpread(ratios(project, base))} |`;
    const statusP50 = ratios(
      col((x) => x.status.cached.p50),
      col((x) => x.status.direct.p50),
    );
    const uncachedP50 = ratios(
      col((x) => x.status.uncached.p50),
      col((x) => x.status.direct.p50),
    );
    const uploadP50 = ratios(
      col((x) => x.upload.proxy.p50),
      col((x) => x.upload.direct.p50),
    );
    out.push(
      `${o[0]!.status.n} status requests and ${o[0]!.upload.n} uploads per run and side, one at a time over keep-alive connections, sides interleaved request by request.`,
      '',
    );
    out.push('| figure | baseline | project | ratio [spread] |', '| --- | --- | --- | --- |');
    out.push(
      row(
        'GET session status, p50',
        'direct Get process',
        col((x) => x.status.direct.p50),
        col((x) => x.status.cached.p50),
      ),
    );
    out.push(
      row(
        'GET session status, p99',
        'direct Get process',
        col((x) => x.status.direct.p99),
        col((x) => x.status.cached.p99),
      ),
    );
    out.push(
      row(
        'the same without the token cache (before), p50',
        'direct Get process',
        col((x) => x.status.direct.p50),
        col((x) => x.status.uncached.p50),
      ),
    );
    out.push(
      row(
        'the same without the token cache (before), p99',
        'direct Get process',
        col((x) => x.status.direct.p99),
        col((x) => x.status.uncached.p99),
      ),
    );
    const kb = Math.round(o[0]!.upload.bytes / 1000);
    const jsonKb = Math.round(o[0]!.upload.dataUrlBytes / 1000);
    out.push(
      row(
        `${kb} KB JPEG upload (raw PUT), p50`,
        `direct Set images, dataURL JSON (${jsonKb} KB)`,
        col((x) => x.upload.direct.p50),
        col((x) => x.upload.proxy.p50),
      ),
    );
    out.push(
      row(
        `${kb} KB JPEG upload (raw PUT), p99`,
        `direct Set images, dataURL JSON (${jsonKb} KB)`,
        col((x) => x.upload.direct.p99),
        col((x) => x.upload.proxy.p99),
      ),
    );
    out.push('');
    out.push(
      `The verified-token cache (before → after) takes the status GET from ${fmt(uncachedP50.median)}× to ${fmt(statusP50.median)}× the direct call at p50.`,
      '',
    );
    goals.push({
      name: 'status GET p50',
      target: '≤ 1.2× direct',
      measured: `${fmtSpread(statusP50)}×`,
      met: statusP50.median <= 1.2,
      why:
        `The proxy adds ${ms(medianOf(col((x) => x.status.cached.p50 - x.status.direct.p50)))} per status GET at p50. ` +
        'A status GET through the proxy is one more HTTP request handled by two Hono apps (the server and the proxy) with their middleware (security headers, CORS/origin guard, cache headers), a store read and the answer built from the session record, against the emulator answering from a map. The JWE decryption is gone with the token cache; what is left is fixed per-request work, measured in tenths of a millisecond against a baseline that is itself a fraction of a millisecond, so the ratio is large and, on a busy machine, noisy.' +
        (r.bodyLimit && !failed(r.bodyLimit)
          ? ` The baseline itself got faster: the emulator no longer runs hono/body-limit, which made every request it answers (GETs too) go through a web stream (a small GET ${ms(medianOf(r.bodyLimit.runs.map((x) => x.get.hono)))} before, ${ms(medianOf(r.bodyLimit.runs.map((x) => x.get.headerFirst)))} now, in the body-size section below); the proxy's own time did not change with that.`
          : ''),
    });
    goals.push({
      name: '1 MB upload p50',
      target: '≤ 1.3× direct',
      measured: `${fmtSpread(uploadP50)}×`,
      met: uploadP50.median <= 1.3,
      why:
        `The proxy adds ${ms(medianOf(col((x) => x.upload.proxy.p50 - x.upload.direct.p50)))} per image at p50. ` +
        'Through the proxy the image crosses two HTTP hops: the proxy reads the raw body straight into one buffer of the announced size, checks its header, base64-encodes it into the one buffer that holds the Set images JSON (server/assure/images-body.ts) and sends those 1.33 MB to the emulator as bytes, which then does exactly the work of the direct call. No copy is left to remove on that path but the one fetch makes of a byte body; what remains is one more full receive, one encode and one more full send over loopback, on cores the emulator and the load generator share, so the ratio is bounded below by 1 + (receive + encode + send) / (direct time). The faster emulator parse (the last section) makes the baseline faster and this ratio larger, without the proxy changing.' +
        (!failed(r.emulatorParse)
          ? ` Its parse of this image went from ${ms(medianOf(r.emulatorParse.runs.map((x) => x.regex)))} to ${ms(medianOf(r.emulatorParse.runs.map((x) => x.scan)))}, on both sides of this comparison.`
          : ''),
    });
  }

  // ---- throughput ----
  out.push('## Throughput, latency and memory under load', '');
  if (failed(r.throughput)) out.push(`Not measured: ${r.throughput.error}`, '');
  else {
    const t = r.throughput;
    const levels = t[0]!.map((b) => b.concurrency);
    const at = (c: number) => t.map((run) => run.find((b) => b.concurrency === c)!);
    out.push(
      `Closed loop: c workers each run verifications back to back (passport: front and selfie, ${fmt(300, 0)} KB JPEGs), fresh proxy and emulator processes for every block. The proxy runs with its defaults (MAX_UPSTREAM_CONCURRENCY=64, token cache on).`,
      '',
    );
    out.push(
      '| c | verifications per side and run | direct /s | proxy /s | ratio [spread] | direct p99 | proxy p99 | ratio [spread] |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const c of levels) {
      const blocks = at(c);
      const counts = blocks
        .map(
          (b) =>
            `${b.project.completed + b.project.failed}/${b.direct.completed + b.direct.failed}`,
        )
        .join(', ');
      const dps = blocks.map((b) => b.direct.perSecond);
      const pps = blocks.map((b) => b.project.perSecond);
      const d99 = blocks.map((b) => b.direct.p99);
      const p99 = blocks.map((b) => b.project.p99);
      out.push(
        `| ${c} | ${counts} (proxy/direct; target ${blocks[0]!.total}, ${fmt(blocks[0]!.maxMs / 1000, 0)} s bound) | ${fmt(medianOf(dps))} | ${fmt(medianOf(pps))} | ${fmtSpread(ratios(pps, dps))} | ${ms(medianOf(d99))} | ${ms(medianOf(p99))} | ${fmtSpread(ratios(p99, d99))} |`,
      );
    }
    out.push('');
    out.push(
      '| c | failed verifications, proxy (3 runs) | failed, direct | refusals retried, proxy | network errors retried, proxy / direct | peak RSS direct (emulator) | peak RSS proxy | ratio | server CPU per verification: direct (emulator) | proxy + emulator | ratio |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const c of levels) {
      const blocks = at(c);
      const pf = blocks.map((b) => b.project.failed);
      const df = blocks.map((b) => b.direct.failed);
      const dm = blocks.map((b) => b.direct.peakMiB);
      const pm = blocks.map((b) => b.project.peakMiB);
      const dc = blocks.map((b) => b.direct.cpuMs);
      const pc = blocks.map((b) => b.project.cpuMs);
      out.push(
        `| ${c} | ${pf.join(', ')} | ${df.join(', ')} | ${blocks.map((b) => b.project.retries).join(', ')} | ${blocks.map((b) => `${b.project.networkRetries}/${b.direct.networkRetries}`).join(', ')} | ${mib(medianOf(dm))} | ${mib(medianOf(pm))} | ${fmtSpread(ratios(pm, dm))} | ${ms(medianOf(dc))} | ${ms(medianOf(pc))} | ${fmtSpread(ratios(pc, dc))} |`,
      );
    }
    out.push('');
    const reasons = new Map<string, number>();
    for (const run of t)
      for (const b of run)
        for (const side of [b.project, b.direct, b.uncapped])
          for (const [k, v] of Object.entries(side?.failures ?? {}))
            reasons.set(k, (reasons.get(k) ?? 0) + v);
    if (reasons.size)
      out.push(
        `Failure reasons (all blocks, both sides): ${[...reasons].map(([k, v]) => `${v}× \`${k}\``).join('; ')}.`,
        '',
      );

    const lowest = Math.min(...levels);
    const highest = Math.max(...levels);
    const mid = levels.includes(50) ? 50 : levels[Math.min(1, levels.length - 1)]!;
    // Memory per in-flight verification: the slope of peak RSS between c = 50 and the highest c.
    const slope = (pick: (b: Block) => number) =>
      spread(
        t.map(
          (run) =>
            (pick(run.find((b) => b.concurrency === highest)!) -
              pick(run.find((b) => b.concurrency === mid)!)) /
            (highest - mid),
        ),
      );
    const perProxy = slope((b) => b.project.peakMiB);
    const perDirect = slope((b) => b.direct.peakMiB);
    const rssGrowth = ratios(
      at(highest).map((b) => b.project.peakMiB),
      at(mid).map((b) => b.project.peakMiB),
    );
    const throughputRatios = levels.map((c) => ({
      c,
      s: ratios(
        at(c).map((b) => b.project.perSecond),
        at(c).map((b) => b.direct.perSecond),
      ),
    }));
    const worst = throughputRatios.reduce((a, b) => (b.s.median < a.s.median ? b : a));
    const failuresAtTop = at(highest).reduce((sum, b) => sum + b.project.failed, 0);
    const cpuRatio = ratios(
      at(mid).map((b) => b.project.cpuMs),
      at(mid).map((b) => b.direct.cpuMs),
    );
    const proxyOwn = medianOf(at(mid).map((b) => b.project.ownCpuMs));
    const emulatorInProject = medianOf(at(mid).map((b) => b.project.cpuMs - b.project.ownCpuMs));
    const emulatorDirect = medianOf(at(mid).map((b) => b.direct.cpuMs));
    out.push(
      `**Memory per in-flight verification** (growth of peak RSS from c = ${mid} to c = ${highest}, divided by the ${highest - mid} extra verifications): proxy ${fmtSpread(perProxy)} MiB, direct (emulator) ${fmtSpread(perDirect)} MiB. ` +
        `Peak RSS of the proxy at c = ${highest} is ${fmtSpread(rssGrowth)}× its c = ${mid} figure. ` +
        `Admission control holds at most MAX_UPSTREAM_CONCURRENCY uploads (and their bodies) at once, so past that point more concurrent users wait in their browsers, not in the proxy's memory. One proxy process handled about ${fmt(medianOf(at(mid).map((b) => b.project.perSecond)), 0)} verifications/s here (c = ${mid}), on a core shared with the emulator and the load generator.`,
      '',
    );
    const uncapped = t[0]!.find((b) => b.uncapped);
    if (uncapped?.uncapped) {
      const u = uncapped.uncapped;
      const w = uncapped.project;
      out.push(`### Admission control, before and after (c = ${uncapped.concurrency}, run 1)`, '');
      out.push(
        '| figure | MAX_UPSTREAM_CONCURRENCY=0 (before) | default 64 (after) |',
        '| --- | --- | --- |',
      );
      out.push(`| verifications/s | ${fmt(u.perSecond)} | ${fmt(w.perSecond)} |`);
      out.push(`| p99 end to end | ${ms(u.p99)} | ${ms(w.p99)} |`);
      out.push(
        `| failed verifications | ${u.failed} of ${u.completed + u.failed} | ${w.failed} of ${w.completed + w.failed} |`,
      );
      out.push(`| refusals retried | ${u.retries} | ${w.retries} |`);
      out.push(`| network errors retried | ${u.networkRetries} | ${w.networkRetries} |`);
      out.push(`| peak RSS of the proxy | ${mib(u.peakMiB)} | ${mib(w.peakMiB)} |`);
      out.push(`| server CPU per verification | ${ms(u.cpuMs)} | ${ms(w.cpuMs)} |`);
      out.push('');
    }
    goals.push({
      name: 'throughput',
      target: '≥ 0.6× direct at every c',
      measured: throughputRatios.map(({ c, s }) => `c=${c}: ${fmt(s.median)}`).join(', '),
      met: worst.s.median >= 0.6,
      why: `Throughput is bounded by CPU, and on ${m.cores} cores the proxy, the emulator and the load generator share them: every CPU millisecond the proxy spends is taken from the emulator. At c = ${mid} the server side spends ${fmt(cpuRatio.median)}× the direct flow's CPU per verification (table above): the proxy itself ${ms(proxyOwn)}, the emulator ${ms(emulatorInProject)} (against ${ms(emulatorDirect)} when called directly: it also sends the callback). Each Assure call is a second HTTP exchange (fetch on one end, node http on both), each image is received once more and sent on base64-encoded as a 1.33× larger JSON body, each request runs the middleware chain, a session token is issued per upload, and the result is delivered by webhook and the dossier deleted. If throughput follows server CPU, 0.6× needs proxy + emulator at most ${ms(emulatorDirect / 0.6)} per verification, that is the proxy's own share at most ${ms(Math.max(0, emulatorDirect / 0.6 - emulatorInProject))} against ${ms(proxyOwn)} measured. With a real Signicat the upstream's CPU is not on the proxy's machine, and only the proxy's own share counts. The emulator itself got cheaper with this bench's changes (its Set images parse and its body-size check, sections below): that speeds up the direct flow, which is all emulator, more than the proxied one, and so lowers this ratio although the proxy did not get slower.`,
    });
    goals.push({
      name: 'memory per in-flight verification',
      target: '≤ 0.5 MiB',
      measured: `${fmtSpread(perProxy)} MiB`,
      met: perProxy.median <= 0.5,
      why: 'Within the admission cap every upload holds its raw bytes and the Set images JSON built from them (plus the copy fetch makes of it) at once; past the cap the growth should be flat, so a miss here points at memory that grows with waiting clients (sockets, retried requests, session records).',
    });
    goals.push({
      name: `failed verifications at c = ${highest}`,
      target: '0',
      measured: `${failuresAtTop} in ${t.length} runs`,
      met: failuresAtTop === 0,
      why: `See the failure reasons above: anything but a success or a refusal with Retry-After counts.`,
    });
    goals.push({
      name: `peak RSS at c = ${highest} vs c = ${mid}`,
      target: '≤ 1.2×',
      measured: `${fmtSpread(rssGrowth)}×`,
      met: rssGrowth.median <= 1.2,
      why: 'More concurrent clients mean more open sockets, more session records and more requests parsed before admission control can refuse them; the upload bodies themselves are capped.',
    });
    void lowest;
  }

  // ---- latency ----
  out.push('## Callback → browser', '');
  if (failed(r.latency)) out.push(`Not measured: ${r.latency.error}`, '');
  else {
    const l = r.latency;
    out.push(
      `From sending Assure's callback to the proxy until the final status event is read from the browser's SSE stream, one verification at a time (${l[0]!.n} per run and side). The proxy answers the callback, then reads the process from the emulator (it does not trust the callback body), updates the session and pushes the event.`,
      '',
    );
    out.push(
      '| figure | baseline: minimal relay | project | ratio [spread] |',
      '| --- | --- | --- | --- |',
    );
    for (const p of ['p50', 'p99'] as const) {
      const base = l.map((x) => x.relay[p]);
      const proj = l.map((x) => x.project[p]);
      out.push(
        `| callback sent → SSE event, ${p} | ${ms(medianOf(base))} | ${ms(medianOf(proj))} | ${fmtSpread(ratios(proj, base))} |`,
      );
    }
    out.push('');
  }

  // ---- upstream calls ----
  out.push('## Upstream calls per verification', '');
  if (failed(r.upstream)) out.push(`Not measured: ${r.upstream.error}`, '');
  else {
    const u = r.upstream;
    out.push(
      "Counted with a recording `fetch` in the proxy's Assure client (in-process proxy and emulator, token requests counted separately), one verification at a time, until its dossier is deleted. The minimum is the design's: create dossier, create process, one Set images per side, start verification, one Get process (after the callback), one delete; plus one Download when the zip is archived.",
      '',
    );
    out.push(
      '| verification | minimum | measured (3 runs) | ratio | by operation (last run) |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const c of u.calls) {
      const name = `${c.kind === 'passport' ? 'passport (front, selfie)' : 'identity card (front, back, selfie)'}${c.archived ? ', zip archived' : ''}, webhook delivery`;
      const ops = Object.entries(c.byOperation)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      out.push(
        `| ${name} | ${c.minimum} | ${c.totals.join(', ')} | ${fmt(medianOf(c.totals) / c.minimum)} | ${ops} |`,
      );
      goals.push({
        name: `calls: ${c.kind}${c.archived ? ' archived' : ''}`,
        target: `${c.minimum}`,
        measured: c.totals.join(', '),
        met: c.totals.every((n) => n <= c.minimum),
        why:
          (c.byOperation.getProcess ?? 0) > 1
            ? `Get process is called ${c.byOperation.getProcess} times. The design's one is the callback's refresh, whose answer the delivery sends (\`observe\` hands it to \`finish\` in server/lifecycle/lifecycle.ts); another one comes from a poll that ran before the callback arrived, from a delivery retry (which reads the process again), or from Start verification answering a final status at once (the delivery then has no process body to reuse).`
            : 'The "by operation" column shows which call is above the minimum.',
      });
    }
    out.push('');
    const k = u.tokens;
    const perLifetime = k.steadyRequests / k.lifetimes;
    // The client renews at 90 % of a lifetime: the fewest requests that keep a valid token all along.
    const designMinimum = Math.ceil(k.steadySeconds / (0.9 * k.lifetimeSeconds));
    out.push('### Token requests', '');
    out.push('| figure | baseline | measured | ratio |', '| --- | --- | --- | --- |');
    out.push(
      `| ${k.coldConcurrent} verifications started at once on a cold proxy | 1 request | ${k.coldRequests} | ${fmt(k.coldRequests)} |`,
    );
    out.push(
      `| steady use for ${fmt(k.steadySeconds, 1)} s (${k.verifications} verifications) with ${k.lifetimeSeconds}-s tokens: requests per token lifetime | 1 per lifetime | ${fmt(perLifetime)} (${k.steadyRequests} requests in ${fmt(k.lifetimes, 1)} lifetimes) | ${fmt(perLifetime)} |`,
    );
    out.push(
      `| the same against the client's design minimum (renewal at 90 % of a lifetime: one request per ${fmt(0.9 * k.lifetimeSeconds, 1)} s) | ${designMinimum} requests | ${k.steadyRequests} | ${fmt(k.steadyRequests / designMinimum)} |`,
    );
    out.push('');
    goals.push({
      name: 'token requests, cold start',
      target: '1',
      measured: String(k.coldRequests),
      met: k.coldRequests === 1,
      why: 'Concurrent callers should share one token request (single flight).',
    });
    goals.push({
      name: 'token requests, steady use',
      target: `≤ ${designMinimum} (one per 90 % of a lifetime)`,
      measured: String(k.steadyRequests),
      met: k.steadyRequests <= designMinimum,
      why: 'More requests than one per 90 % of a lifetime means tokens are dropped early or fetched in parallel.',
    });
  }

  // ---- scaling ----
  out.push('## Scaling: two instances on Redis', '');
  if (failed(r.scaling)) out.push(`Not measured: ${r.scaling.error}`, '');
  else if (typeof r.scaling === 'string') out.push(`Not measured: ${r.scaling}.`, '');
  else {
    const s = r.scaling;
    out.push(
      'Two proxy processes sharing one local Redis (REDIS_URL), the load spread over both request by request (so uploads, callbacks and status reads of one verification land on different instances), against one instance on the same Redis, c = 50, interleaved.',
      '',
    );
    out.push(
      '| figure | one instance | two instances | ratio [spread] |',
      '| --- | --- | --- | --- |',
    );
    const one = s.map((x) => x.one.perSecond);
    const two = s.map((x) => x.two.perSecond);
    out.push(
      `| verifications/s | ${fmt(medianOf(one))} | ${fmt(medianOf(two))} | ${fmtSpread(ratios(two, one))} |`,
    );
    const o99 = s.map((x) => x.one.p99);
    const t99 = s.map((x) => x.two.p99);
    out.push(
      `| p99 end to end | ${ms(medianOf(o99))} | ${ms(medianOf(t99))} | ${fmtSpread(ratios(t99, o99))} |`,
    );
    out.push(
      `| failed verifications (3 runs) | ${s.map((x) => x.one.failed).join(', ')} | ${s.map((x) => x.two.failed).join(', ')} | – |`,
    );
    const why = new Map<string, number>();
    for (const x of s)
      for (const side of [x.one, x.two])
        for (const [k, v] of Object.entries(side.failures)) why.set(k, (why.get(k) ?? 0) + v);
    const oc = s.map((x) => x.one.cpuMs);
    const tc = s.map((x) => x.two.cpuMs);
    out.push(
      `| server CPU per verification (proxies + emulator) | ${ms(medianOf(oc))} | ${ms(medianOf(tc))} | ${fmtSpread(ratios(tc, oc))} |`,
    );
    out.push('');
    if (why.size)
      out.push(`Failure reasons: ${[...why].map(([k, v]) => `${v}× \`${k}\``).join('; ')}.`, '');
    out.push(
      `On ${m.cores} cores a second instance has no core of its own: the emulator and the load generator already use the other one. This shows what spreading one verification over two instances costs${why.size ? '' : ', and that it works without failures'}; it cannot show a speed-up. On machines with a core per instance, throughput scales with instances until Redis or Signicat is the limit.`,
      '',
    );
  }

  // ---- emulator parse ----
  out.push('## Emulator: Set images parse (server/emulator/images.ts)', '');
  if (failed(r.emulatorParse)) out.push(`Not measured: ${r.emulatorParse.error}`, '');
  else {
    const e = r.emulatorParse;
    const cur = e.runs.map((x) => x.regex);
    const prop = e.runs.map((x) => x.scan);
    out.push(
      `\`parseImage\` used to match the whole dataURL with one regex (\`/^data:(image\\/[a-z0-9.+-]+);base64,([A-Za-z0-9+/]*={0,2})$/\`, kept as \`parseImageRegex\` in scripts/bench/phases/emulator-parse.ts). It now matches only the prefix with a regex and checks the base64 characters with a 128-entry table, then slices; every check after it is unchanged. Same answers on all ${e.cases} inputs tried (valid, wrong type, bad padding, a stray \`*\` or \`é\`, a trailing newline, empty, not a string): **${e.equivalent ? 'identical' : 'DIFFERENT: a regression in parseImage'}**.`,
      '',
    );
    out.push(
      '| figure | before (one regex) | now (prefix + table scan) | ratio [spread] |',
      '| --- | --- | --- | --- |',
    );
    out.push(
      `| parse of a ${Math.round(e.dataUrlBytes / 1000)} KB dataURL incl. base64 decode, p50 | ${ms(medianOf(cur))} | ${ms(medianOf(prop))} | ${fmtSpread(ratios(prop, cur))} |`,
    );
    out.push('');
    out.push(
      "Only the emulator runs this, so it speeds up sandbox mode, the tests and the direct baselines above, not a production proxy (and a faster baseline makes the proxy's ratios larger).",
      '',
    );
  }
  if (r.bodyLimit !== undefined) {
    out.push('### The body-size check (emulator and callback route)', '');
    if (failed(r.bodyLimit)) out.push(`Not measured: ${r.bodyLimit.error}`, '');
    else {
      const b = r.bodyLimit;
      out.push(
        "The emulator and the proxy's callback route used `hono/body-limit`, which reads `c.req.raw.body` first: @hono/node-server then builds a full `Request` with a web stream for every request (GETs too) and reads bodies through it instead of directly. Both now use the proxy's header-first check (`server/middleware/body-limit.ts`: decide from `Content-Length`; a chunked body is read only up to the limit). Two minimal Hono servers in the bench process, differing only in that middleware (before: hono's, now: the project's). Interleaved, p50 of each run.",
        '',
      );
      out.push(
        '| request | before: hono/body-limit | now: header-first | ratio [spread] |',
        '| --- | --- | --- | --- |',
      );
      const hg = b.runs.map((x) => x.get.hono);
      const fg = b.runs.map((x) => x.get.headerFirst);
      const hp = b.runs.map((x) => x.post.hono);
      const fp = b.runs.map((x) => x.post.headerFirst);
      out.push(
        `| small GET | ${ms(medianOf(hg))} | ${ms(medianOf(fg))} | ${fmtSpread(ratios(fg, hg))} |`,
      );
      out.push(
        `| POST of a ${Math.round(b.postBytes / 1000)} KB JSON body, read as text | ${ms(medianOf(hp))} | ${ms(medianOf(fp))} | ${fmtSpread(ratios(fp, hp))} |`,
      );
      out.push('');
    }
  }

  renderBrowser(r, out, goals);

  out.push('## Goals (issue 12)', '');
  out.push('| goal | target | measured (median [spread]) | met |', '| --- | --- | --- | --- |');
  for (const g of goals)
    out.push(
      `| ${g.name} | ${g.target} | ${g.measured} | ${g.met === undefined ? '–' : g.met ? 'yes' : '**no**'} |`,
    );
  out.push('');
  const missed = goals.filter((g) => g.met === false);
  if (missed.length) {
    out.push('### Why the missed goals are missed', '');
    for (const g of missed)
      out.push(`- **${g.name}** (${g.measured}, target ${g.target}): ${g.why ?? ''}`);
    out.push('');
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

export type { SideResult, Spread };

/** The browser phases: image pipeline, first render, capture-assistance per-frame cost. */
function renderBrowser(r: BenchResults, out: string[], goals: Goal[]): void {
  const notMeasured: string[] = [];
  const why = (value: unknown, name: string, provider: string) => {
    if (value === undefined)
      notMeasured.push(`- **${name}**: not run by this bench (${provider}).`);
    else if (failed(value)) notMeasured.push(`- **${name}**: the phase failed: ${value.error}`);
    else if (skipped(value)) notMeasured.push(`- **${name}**: ${value.skipped}.`);
    else return false;
    return true;
  };

  // ---- image pipeline ----
  const p = r.imagePipeline;
  if (
    !why(
      p,
      'Image pipeline against a naive main-thread canvas',
      'scripts/bench/phases/image-pipeline.ts',
    )
  ) {
    const x = p as ImagePipelineResult;
    out.push('## Browser: image pipeline against a naive main-thread canvas', '');
    out.push(
      `The element's image pipeline (\`processImage\` from the script-tag build in dist/cdn, as the element loads it: decode with EXIF orientation, downscale to ${x.options.maxEdge} px, JPEG at quality ${x.options.quality} within ${Math.round(x.options.maxBytes / 1000)} KB, ${x.worker ? 'in its module worker' : '**on the main thread: the worker did not start**'}) against a naive main-thread canvas (an \`<img>\` decoded, drawn at the same size, \`canvas.toBlob\` JPEG at the same quality), on the same ${x.input.width}×${x.input.height} JPEG (${fmt(x.input.bytes / 1e6, 1)} MB, made in the page). ${x.browser}, headless, no throttling; ${x.images} images per run and side after a warm-up, alternating which goes first; medians per run. Blocking time counts, as Total Blocking Time does, the part beyond 50 ms of each main-thread long task or long animation frame (whichever sum is larger; long animation frames also hold the canvas work the browser does outside script), and the longest gap between animation frames shows the longest freeze a user would see.`,
      '',
    );
    out.push(
      '| figure | naive main-thread canvas | element pipeline | ratio [spread] |',
      '| --- | --- | --- | --- |',
    );
    const col = (side: 'pipeline' | 'naive', pick: (s: PipelineSideLike) => number) =>
      x.runs.map((run) => pick(run[side]));
    const row = (figure: string, pick: (s: PipelineSideLike) => number, unit = ms) => {
      const naive = col('naive', pick);
      const pipe = col('pipeline', pick);
      const ratio = naive.every((v) => v > 0) ? fmtSpread(ratios(pipe, naive)) : '–';
      out.push(`| ${figure} | ${unit(medianOf(naive))} | ${unit(medianOf(pipe))} | ${ratio} |`);
    };
    row('time per image (p50)', (s) => s.ms);
    row('main-thread blocking time per image', (s) => s.blockingMs);
    row('longest long task or animation frame', (s) => s.longestTaskMs);
    row('longest gap between animation frames', (s) => s.longestFrameGapMs);
    row(
      'output',
      (s) => s.outputBytes,
      (v) => `${fmt(v / 1000, 0)} KB`,
    );
    out.push('');
    const time = ratios(
      col('pipeline', (s) => s.ms),
      col('naive', (s) => s.ms),
    );
    const blocking = medianOf(col('pipeline', (s) => s.blockingMs));
    goals.push({
      name: 'image pipeline vs naive canvas',
      target: 'reported (no target); main thread not blocked',
      measured: `time ${fmtSpread(time)}×, blocking ${ms(blocking)} against ${ms(medianOf(col('naive', (s) => s.blockingMs)))}`,
      met: undefined,
    });
  }

  // ---- first render ----
  const f = r.firstRender;
  if (!why(f, 'First render against Lit alone', 'scripts/bench/phases/first-render.ts')) {
    const x = f as FirstRender;
    const msSpread = (s: Spread) => `${fmt(s.median, 0)} ms [${fmt(s.min, 0)}–${fmt(s.max, 0)}]`;
    out.push('## Browser: first render against Lit alone', '');
    out.push(
      `From navigation start until the element's first view is painted, the script-tag element (\`/signicat-verify.js\` from dist/cdn) against a trivial LitElement built and compressed the same way (scripts/bench/phases/first-render.ts). ${x.conditions}; each page a cold load in a fresh browser context, ${x.ratio.runs.length} interleaved runs.`,
      '',
    );
    out.push('| figure | Lit alone | element | ratio [spread] |', '| --- | --- | --- | --- |');
    out.push(
      `| first render | ${msSpread(x.lit.ms)} | ${msSpread(x.element.ms)} | ${fmtSpread(x.ratio)} |`,
    );
    out.push(
      `| script requests before it | ${x.lit.scripts} | ${x.element.scripts} | – |`,
      `| their bytes on the wire | ${fmt(x.lit.scriptBytes / 1024, 1)} KB | ${fmt(x.element.scriptBytes / 1024, 1)} KB | ${fmt(x.element.scriptBytes / Math.max(1, x.lit.scriptBytes))} |`,
      '',
    );
    goals.push({
      name: 'first render vs Lit alone',
      target: `≤ ${x.goal}×`,
      measured: `${fmtSpread(x.ratio)}×`,
      met: x.ratio.median <= x.goal,
      why: `Both pages load over the same throttled connection, where every request costs a long round trip: the element needs ${x.element.scripts} script request(s) and ${fmt(x.element.scriptBytes / 1024, 1)} KB before its first view against ${x.lit.scripts} and ${fmt(x.lit.scriptBytes / 1024, 1)} KB for Lit alone, and more script to parse at 4× CPU slowdown.`,
    });
  }

  // ---- capture-assistance per-frame cost ----
  const a = r.frameAnalysis;
  if (!why(a, 'Capture-assistance per-frame cost', 'scripts/bench/phases/frame-analysis.ts')) {
    const x = a as FrameAnalysisResult;
    out.push('## Browser: capture-assistance per-frame cost', '');
    out.push(
      `The live capture-quality analysis (component/image/analyse.ts: luma at ${x.analysisWidth} px, sharpness, glare, brightness, motion) of ${x.source.width}×${x.source.height} ${x.source.format} camera frames (Chromium's fake camera) in a module worker, against a plain canvas read of the same frame (drawImage at ${x.analysisWidth} px + getImageData), scripts/bench/phases/frame-analysis.ts. ${x.frames} frames per run, ${x.runs.length} runs, each a fresh page and worker; ${x.browser}.`,
      '',
    );
    out.push(
      '| figure | plain canvas read | analysis | ratio [spread] |',
      '| --- | --- | --- | --- |',
    );
    const base = x.runs.map((run) => run.baselineMedianMs);
    const mine = x.runs.map((run) => run.analysisMedianMs);
    out.push(
      `| per frame, p50 | ${ms(medianOf(base))} | ${ms(medianOf(mine))} | ${fmtSpread(ratios(mine, base))} |`,
    );
    const base95 = x.runs.map((run) => run.baselineP95Ms);
    const mine95 = x.runs.map((run) => run.analysisP95Ms);
    out.push(
      `| per frame, p95 | ${ms(medianOf(base95))} | ${ms(medianOf(mine95))} | ${fmtSpread(ratios(mine95, base95))} |`,
    );
    const bitmap = x.runs.map((run) => run.grabImageBitmapMs);
    const frame = x.runs.map((run) => run.grabVideoFrameMs);
    out.push(
      `| taking the frame on the main thread: createImageBitmap (baseline) / new VideoFrame | ${ms(medianOf(bitmap))} | ${ms(medianOf(frame))} | ${fmtSpread(ratios(frame, bitmap))} |`,
      '',
    );
    goals.push({
      name: 'capture-assistance per frame',
      target: `≤ ${x.goalMs} ms`,
      measured: `${fmtSpread(x.analysisMs)} ms`,
      met: x.analysisMs.median <= x.goalMs,
      why: 'The analysis reads the frame at 640 px and runs its filters in the worker; on a machine whose cores are busy with other work the worker competes for them (the load average is in the machine section).',
    });
  }

  if (notMeasured.length) out.push('## Not measured here', '', ...notMeasured, '');
}

type PipelineSideLike = ImagePipelineResult['runs'][number]['pipeline'];
