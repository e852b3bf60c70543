/**
 * What `npm run bench` prints: one markdown table of medians with the WASM/native
 * ratio, the target and the distance to it, and a line naming the machine.
 */
import { readFile } from 'node:fs/promises';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { distance, longTaskText, median, msText, targetText, type Target } from './stats.ts';

/** One line of the table; times are every run's milliseconds (the table shows medians). */
export interface ReportRow {
  /** Orders in the data, or null for steps that do not depend on it. */
  rows: number | null;
  step: string;
  native?: number[];
  chromium?: number[];
  /** Why the tab has no figure (e.g. out of memory): printed instead of a time. */
  error?: string;
  /** Why native DuckDB has none. */
  nativeError?: string;
  /** When only some runs finished: which (shown after the median). */
  note?: string;
  nativeNote?: string;
  target?: Target;
  /** Rows per second are shown for ingest steps. */
  rate?: boolean;
  /** A CSV ingest must reach 1M rows/s: shown as such, checked as a time. */
  targetLabel?: string;
  /** Long tasks of every Chromium run, in ms. */
  longTasks?: number[];
}

const count = (n: number) => n.toLocaleString('en');

function timeCell(
  values: number[] | undefined,
  rows: number | null,
  rate: boolean,
  note?: string,
): string {
  if (!values?.length) return '—';
  const m = median(values);
  const text =
    rate && rows ? `${msText(m)} (${count(Math.round(rows / (m / 1000)))} rows/s)` : msText(m);
  return note ? `${text} (${note})` : text;
}

/** The table of medians, as markdown lines. */
export function tableLines(rows: readonly ReportRow[]): string[] {
  const lines = [
    '| rows | step | native | Chromium | Chromium / native | target | distance | main-thread long tasks (all runs) |',
    '| ---: | --- | ---: | ---: | ---: | --- | --- | --- |',
  ];
  for (const r of rows) {
    const native = r.native?.length ? median(r.native) : undefined;
    const tab = r.chromium?.length ? median(r.chromium) : Number.NaN;
    const ratio = native !== undefined && Number.isFinite(tab) ? (tab / native).toFixed(1) : '—';
    const chromium = r.error
      ? `failed: ${r.error}`
      : timeCell(r.chromium, r.rows, r.rate ?? false, r.note);
    const far = r.error && r.target ? 'missed (no result)' : distance(tab, native, r.target);
    const nativeCell = r.nativeError
      ? `failed: ${r.nativeError}`
      : timeCell(r.native, r.rows, r.rate ?? false, r.nativeNote);
    lines.push(
      `| ${r.rows === null ? '—' : count(r.rows)} | ${r.step} | ${nativeCell} | ${chromium} | ${ratio} | ${r.targetLabel ?? targetText(r.target)} | ${far} | ${r.longTasks ? longTaskText(r.longTasks) : '—'} |`,
    );
  }
  return lines;
}

/** The machine the figures come from. */
export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  chromium: string;
  loadAverage: number[];
}

async function osName(): Promise<string> {
  try {
    const text = await readFile('/etc/os-release', 'utf8');
    const name = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(text)?.[1];
    if (name) return `${name} (${type()} ${release()})`;
  } catch {
    // not Linux
  }
  return `${type()} ${release()}`;
}

/** CPU model × cores, memory, OS, Node and Chromium versions, and the 1/5/15-minute load. */
export async function machine(chromium: string): Promise<Machine> {
  let cpu = cpus()[0]?.model ?? 'unknown CPU';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(await readFile('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {
    // not Linux
  }
  return {
    cpu: cpu.trim(),
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: await osName(),
    node: process.version,
    chromium,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** "Machine: Intel … × 2 cores, 23 GiB, Debian …, Node v20…, Chromium 1…; load 3.1 / 2.9 / 2.5" */
export function machineLine(m: Machine): string {
  return `Machine: ${m.cpu} × ${m.cores} cores, ${m.memoryGiB} GiB RAM, ${m.os}, Node ${m.node}, Chromium ${m.chromium} (headless); load average at the end ${m.loadAverage.join(' / ')}.`;
}
