/**
 * `aqjb backfill`: enters a legacy system's export into the national system through the staff API, exactly once.
 *
 *   aqjb backfill --from export.jsonl|export.csv --api https://api.example.gov.cn/aqjb/ --token-file backfill.token \
 *     --adapter ./henan-adapter.js [--concurrency 8] [--results export.results.jsonl]
 *
 * Each row goes through the adapter's `fromExport` (checked with our `StaffReportEntry`), then to
 * `POST /staff/reports` with its legacy id as `externalId`, `--concurrency` at a time. Every outcome is appended to
 * the results file as it happens; a rerun after a crash or a kill skips the rows that already have a national code
 * and resends the others (the server answers a resent externalId with the code it already gave, so nothing is
 * entered twice). At the end the results file is rewritten with one line per row, in input order:
 *   {"externalId":"HN20250301000001","reportCode":"K7M9QXRT3HWP"}
 *   {"externalId":"HN20250301000002","line":2,"error":{"code":"MAPPING_FAILED","field":"hangyeDaima","message":"…"}}
 * `line` is the line of the export file the failed row begins on (a CSV row whose quoted field spans lines begins on
 * its first). CSV is read with csv-parse; a file it cannot read stops the run before anything is sent, naming the line.
 * A progress bar on a terminal, a plain line every 5 % otherwise. Exit 0: every row has a national code; 1: some
 * rows failed (listed in the results) or the run stopped (rerun to resume); 2: bad arguments.
 * The token is read from --token-file or AQJB_STAFF_TOKEN (command.ts); it never appears in output.
 */
import { createReadStream, createWriteStream, existsSync, readFileSync, renameSync, writeFileSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Transform } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CsvError, parse } from 'csv-parse';
import { ApiError, ValidationError, isAqjbError } from '../../sdk/errors.js';
import { createStaffClient, type StaffClient } from '../../sdk/staff.js';
import { MappingError, isMappingError } from '../../sdk/transition/errors.js';
import { mapExportRow, type AnyLegacyAdapter } from '../../sdk/transition/adapter.js';
import { EXIT, TOKEN_HELP, UsageError, apiOption, defineCommand, readStaffToken, tokenOptions, type Out } from './command.js';

export type BackfillResult =
  | { externalId: string; reportCode: string; existing?: true }
  | {
      externalId: string;
      /** The line of the export file the row begins on. */
      line: number;
      error: { code: string; message: string; field?: string; fields?: { path: string; code: string }[] };
    };

export interface BackfillOptions {
  from: string;
  api: string;
  token: string;
  adapter: AnyLegacyAdapter;
  concurrency?: number;
  /** Default: next to the export, `<name>.results.jsonl`. */
  results?: string;
  /** `csv` or `jsonl`; by the file's extension when left out. */
  format?: 'csv' | 'jsonl';
  fetch?: typeof fetch;
  /** Progress and messages (stderr by default); the bar needs `isTTY`. */
  progress?: Out;
}

export interface BackfillSummary {
  rows: number;
  entered: number;
  existing: number;
  resumed: number;
  failed: number;
  ms: number;
  stopped?: string;
  results: string;
}

/** A run cannot go on (token refused, server unreachable after retries): stop, keep what is done, rerun later. */
class StopRun extends Error {
  override name = 'StopRun';
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the export

/**
 * Where each line of a byte stream begins, so that a CSV record's byte offset (csv-parse's `info.bytes`) names its
 * line in the file. csv-parse's own `info.lines` counts a CRLF inside a quoted field as two lines (7.0.3), and Windows
 * exports are CRLF throughout; CRLF, LF and a lone CR each end one line here.
 */
class LineIndex {
  readonly #starts = [0];
  #lastCr = -2;
  #seen = 0;

  /** Passes the bytes through unchanged, noting each line break. */
  tap(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        for (let i = 0; i < chunk.length; i++) {
          const at = this.#seen + i;
          if (chunk[i] === 0x0d) this.#starts.push(at + 1), (this.#lastCr = at);
          else if (chunk[i] === 0x0a) {
            if (this.#lastCr === at - 1) this.#starts[this.#starts.length - 1] = at + 1;
            else this.#starts.push(at + 1);
          }
        }
        this.#seen += chunk.length;
        done(null, chunk);
      },
    });
  }

  /** The 1-based line holding byte `offset`. */
  lineAt(offset: number): number {
    let lo = 0;
    let hi = this.#starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#starts[mid]! <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

const lineBreaks = (fields: string[]) => fields.reduce((n, f) => n + (f.match(/\r\n|\r|\n/g)?.length ?? 0), 0);

/** What a malformed CSV file gets wrong, for the one line that says where. */
const CSV_PROBLEMS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: '引号没有闭合',
  CSV_INVALID_CLOSING_QUOTE: '右引号后紧跟了其他字符',
};

/**
 * RFC 4180 records with the file line each starts on (csv-parse; a BOM is dropped, CRLF or LF, quoted fields may hold
 * commas, doubled quotes and line breaks; a stray quote inside an unquoted field is kept as text). A file csv-parse
 * cannot read throws, naming the line where the unreadable record begins.
 */
export async function* csvRecords(file: string): AsyncGenerator<{ line: number; fields: string[] }> {
  const lines = new LineIndex();
  const parser = createReadStream(file)
    .pipe(lines.tap())
    .pipe(parse({ bom: true, info: true, relax_quotes: true, relax_column_count: true, skip_empty_lines: true }));
  // Where the last good record ended: an unreadable one begins on the next line.
  let end = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { bytes: number } }>) {
      // info.bytes ends after the record's own line break: its last byte is on the record's last line.
      end = info.bytes;
      yield { line: lines.lineAt(end - 1) - lineBreaks(record), fields: record };
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = lines.lineAt(end);
    throw new Error(`${path.basename(file)} 第 ${line} 行起无法按 CSV 读取（${CSV_PROBLEMS[error.code] ?? error.code}），请修正后重新运行`);
  }
}

interface Row {
  /** The file line the row begins on. */
  line: number;
  value: unknown;
  bad?: string;
}

async function* readRows(file: string, format: 'csv' | 'jsonl'): AsyncGenerator<Row> {
  if (format === 'jsonl') {
    let line = 0;
    for await (const text of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
      line++;
      if (!text.trim()) continue;
      try {
        yield { line, value: JSON.parse(text) };
      } catch {
        yield { line, value: undefined, bad: '该行不是有效的 JSON' };
      }
    }
    return;
  }
  let header: string[] | undefined;
  for await (const { line, fields } of csvRecords(file)) {
    if (!header) {
      header = fields.map((h) => h.trim());
      continue;
    }
    const value = Object.fromEntries(header.map((h, i) => [h, fields[i] ?? '']));
    // A comma left unquoted shifts every later column: such a row is refused, not entered with its fields misplaced.
    if (fields.length !== header.length) yield { line, value, bad: `该行有 ${fields.length} 列，表头有 ${header.length} 列` };
    else yield { line, value };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The results file: a journal while running, one line per row at the end

function readJournal(file: string): Map<string, BackfillResult> {
  const done = new Map<string, BackfillResult>();
  if (!existsSync(file)) return done;
  for (const text of readFileSync(file, 'utf8').split('\n')) {
    if (!text.trim()) continue;
    try {
      const result = JSON.parse(text) as BackfillResult;
      if (typeof result.externalId === 'string') done.set(result.externalId, result);
    } catch {
      // The line a crash cut short: its row is sent again, and the server answers it with the same code.
    }
  }
  return done;
}

const idOf = (adapter: AnyLegacyAdapter, row: Row) => {
  try {
    return adapter.exportIdOf?.(row.value) || `line:${row.line}`;
  } catch {
    return `line:${row.line}`;
  }
};

function errorResult(externalId: string, line: number, error: unknown): BackfillResult {
  if (isMappingError(error)) return { externalId, line, error: { code: error.code, message: error.message, field: error.field } };
  if (error instanceof ValidationError) {
    const fields = error.fields.map((f) => ({ path: f.path, code: f.code }));
    return { externalId, line, error: { code: error.code, message: error.message, ...(fields[0] ? { field: fields[0].path } : {}), fields } };
  }
  if (isAqjbError(error)) return { externalId, line, error: { code: error.code, message: error.message } };
  return { externalId, line, error: { code: 'UNKNOWN', message: (error as Error)?.name ?? 'Error' } };
}

/** Errors after which going on would only fail every row the same way. */
function stopReason(error: unknown): string | undefined {
  if (error instanceof ApiError && error.status === 401) return '令牌无效或已吊销（401）';
  if (error instanceof ApiError && (error.status >= 500 || error.status === 429)) return `服务器暂不可用（${error.status} ${error.code}）`;
  if (isAqjbError(error) && ['NETWORK', 'TIMEOUT'].includes(error.code)) return `无法连接服务器（${error.code}）`;
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Progress

function progressView(out: Out, total: number) {
  const started = performance.now();
  let lastPlain = -1;
  const rate = (done: number) => done / Math.max(0.001, (performance.now() - started) / 1000);
  return {
    update(done: number, failed: number) {
      if (out.isTTY) {
        const width = Math.max(10, Math.min(40, (out.columns ?? 80) - 50));
        const filled = total ? Math.round((done / total) * width) : width;
        const pct = total ? Math.floor((done / total) * 100) : 100;
        out.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${pct}%  失败 ${failed}  ${Math.round(rate(done))} 行/秒 `);
        return;
      }
      const step = Math.max(1, Math.ceil(total / 20));
      const bucket = Math.floor(done / step);
      if (bucket !== lastPlain && (done % step === 0 || done === total)) {
        lastPlain = bucket;
        out.write(`backfill ${done}/${total} rows, ${failed} failed, ${Math.round(rate(done))} rows/s\n`);
      }
    },
    end() {
      if (out.isTTY) out.write('\n');
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------

const formatOf = (file: string): 'csv' | 'jsonl' => (/\.csv$/i.test(file) ? 'csv' : 'jsonl');
export const defaultResultsFile = (from: string) => path.join(path.dirname(from), `${path.basename(from).replace(/\.(csv|jsonl?|ndjson)$/i, '')}.results.jsonl`);

/** Runs (or resumes) one backfill. Never throws for a row: rows end in the results file, the run in the summary. */
export async function backfill(options: BackfillOptions): Promise<BackfillSummary> {
  const started = performance.now();
  const { adapter } = options;
  const format = options.format ?? formatOf(options.from);
  const resultsFile = options.results ?? defaultResultsFile(options.from);
  const concurrency = Math.max(1, Math.min(64, options.concurrency ?? 8));
  const progressOut = options.progress ?? process.stderr;
  const staff: StaffClient = createStaffClient({ baseUrl: options.api, token: options.token, fetch: options.fetch, retry: 4, timeoutMs: 30_000 });

  const earlier = readJournal(resultsFile);
  let total = 0;
  for await (const _row of readRows(options.from, format)) total++;

  // Appending after a line a crash cut short would glue two lines together.
  if (existsSync(resultsFile)) {
    const text = readFileSync(resultsFile, 'utf8');
    if (text && !text.endsWith('\n')) writeFileSync(resultsFile, '\n', { flag: 'a' });
  }
  const journal: WriteStream = createWriteStream(resultsFile, { flags: 'a' });
  const record = (result: BackfillResult) => {
    earlier.set(result.externalId, result);
    journal.write(`${JSON.stringify(result)}\n`);
  };

  const summary: BackfillSummary = { rows: total, entered: 0, existing: 0, resumed: 0, failed: 0, ms: 0, results: resultsFile };
  const view = progressView(progressOut, total);
  let done = 0;
  let stopped: string | undefined;
  const rows = readRows(options.from, format);

  async function handle(row: Row): Promise<void> {
    const externalId = idOf(adapter, row);
    const before = earlier.get(externalId);
    if (before && 'reportCode' in before) {
      summary.resumed++;
      return;
    }
    let result: BackfillResult;
    try {
      if (row.bad) throw new MappingError({ adapter: adapter.name, direction: 'from-legacy', field: '(row)', reason: row.bad });
      const mapped = mapExportRow(adapter, row.value);
      if ('nationalCode' in mapped) {
        result = { externalId, reportCode: mapped.nationalCode, existing: true };
        summary.existing++;
      } else {
        const receipt = await staff.enterReport(mapped.entry);
        result = { externalId, reportCode: receipt.reportCode };
        summary.entered++;
      }
    } catch (error) {
      const reason = stopReason(error);
      if (reason) throw new StopRun(reason);
      result = errorResult(externalId, row.line, error);
      summary.failed++;
    }
    record(result);
  }

  async function worker(): Promise<void> {
    for (;;) {
      if (stopped) return;
      const next = await rows.next();
      if (next.done) return;
      try {
        await handle(next.value);
      } catch (error) {
        stopped ??= error instanceof StopRun ? error.message : (error as Error).message;
        return;
      }
      done++;
      view.update(done, summary.failed);
    }
  }

  await Promise.all(Array.from({ length: concurrency }, worker));
  view.end();
  await new Promise<void>((resolve, reject) => journal.end((error?: Error | null) => (error ? reject(error) : resolve())));

  if (!stopped) {
    // One line per row, in input order: the file a person reads and a script joins on.
    const ordered: string[] = [];
    const seen = new Set<string>();
    for await (const row of readRows(options.from, format)) {
      const id = idOf(adapter, row);
      const result = earlier.get(id);
      if (result && !seen.has(id)) ordered.push(JSON.stringify(result)), seen.add(id);
    }
    writeFileSync(`${resultsFile}.tmp`, ordered.length ? `${ordered.join('\n')}\n` : '');
    renameSync(`${resultsFile}.tmp`, resultsFile);
  } else summary.stopped = stopped;
  summary.ms = performance.now() - started;
  return summary;
}

/**
 * Loads an adapter module: its default export, an export named `adapter`, or its only adapter-shaped export. A
 * TypeScript module (.ts, .mts, .cts) loads through tsx, a dependency of ours, so the installed command takes one
 * too: `tsImport`, which also compiles a .ts file that Node would load as CommonJS (a folder without "type": "module").
 */
export async function loadAdapter(modulePath: string): Promise<AnyLegacyAdapter> {
  const url = pathToFileURL(path.resolve(modulePath)).href;
  const mod = (/\.[cm]?ts$/.test(modulePath) ? await (await import('tsx/esm/api')).tsImport(url, import.meta.url) : await import(url)) as Record<string, unknown>;
  const isAdapter = (v: unknown): v is AnyLegacyAdapter =>
    !!v && typeof v === 'object' && typeof (v as AnyLegacyAdapter).fromExport === 'function' && typeof (v as AnyLegacyAdapter).name === 'string';
  // A CommonJS module's `module.exports` arrives as `default`: its own exports are looked at too.
  const commonJs = mod.default && typeof mod.default === 'object' ? Object.values(mod.default) : [];
  const candidates = [mod.default, mod.adapter, ...Object.values(mod), ...commonJs].filter(isAdapter);
  const adapter = candidates[0];
  if (!adapter) throw new Error(`${modulePath} 没有导出带 fromExport 的旧系统适配器`);
  return adapter;
}


export const backfillCommand = defineCommand({
  name: 'backfill',
  summary: '经 staff API 录入旧系统导出的举报，每行只录一次（中断后可续）',
  usage: `用法：aqjb backfill --from export.jsonl|export.csv --api URL --token-file FILE --adapter MODULE [--concurrency 8] [--results FILE]
  --from         旧系统导出文件（JSON Lines 或带表头的 CSV）
  --api          国家系统（参考服务器）地址，例如 https://api.example.gov.cn/aqjb/（或环境变量 AQJB_API）
  --adapter      旧系统适配器模块（.js 或 .ts，导出 fromExport）
  --concurrency  同时发送的请求数（默认 8，最多 64）
  --results      结果文件（默认与导出文件同目录的 *.results.jsonl）；中断后重新运行即从中断处继续
${TOKEN_HELP}  令牌须能录入这些举报所在的区划（角色 backfill 或 handler）。
退出码：0 每行都有国家系统编码，1 有行失败（见结果文件）或运行中断（重新运行即继续），2 参数有误、未发送任何内容。
`,
  options: (env) =>
    ({
      from: { type: 'string' },
      ...apiOption(env),
      ...tokenOptions(),
      adapter: { type: 'string' },
      concurrency: { type: 'string', default: '8' },
      results: { type: 'string' },
    }) as const,
  async run(values, positionals, io) {
    if (positionals.length) throw new UsageError(`aqjb backfill 不接受位置参数：${positionals.join(' ')}`);
    const concurrency = Number(values.concurrency);
    const missing = (['from', 'api', 'adapter'] as const).filter((name) => !values[name]).map((name) => `--${name}`);
    if (missing.length) throw new UsageError(`缺少 ${missing.join('、')}`);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError('--concurrency 须为 1 到 64 的整数');
    const token = readStaffToken(values, io.env);
    if (!existsSync(values.from!)) throw new UsageError(`找不到导出文件 ${values.from}`);
    let adapter: AnyLegacyAdapter;
    try {
      adapter = await loadAdapter(values.adapter!);
    } catch (error) {
      throw new UsageError(`无法加载适配器：${(error as Error).message}`);
    }
    let summary: BackfillSummary;
    try {
      summary = await backfill({ from: values.from!, api: values.api!, token, adapter, concurrency, results: values.results, progress: io.err });
    } catch (error) {
      io.err.write(`${isAqjbError(error) ? error.message : (error as Error).message}\n`);
      return EXIT.usage;
    }
    const seconds = summary.ms / 1000;
    const rate = Math.round((summary.entered + summary.existing + summary.failed) / Math.max(seconds, 0.001));
    io.out.write(
      `${summary.stopped ? '已中断' : '完成'}：共 ${summary.rows} 行；新录入 ${summary.entered}，已在国家系统 ${summary.existing}，` +
        `此前已完成 ${summary.resumed}，失败 ${summary.failed}；用时 ${seconds.toFixed(1)} 秒（${rate} 行/秒）\n结果文件：${summary.results}\n`,
    );
    if (summary.stopped) {
      io.err.write(`运行中断：${summary.stopped}。已完成的行已记入结果文件，重新运行同一命令即从中断处继续。\n`);
      return EXIT.failed;
    }
    return summary.failed ? EXIT.failed : EXIT.ok;
  },
});
