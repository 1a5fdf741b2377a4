// Small helpers for the page: element lookup, HTML escaping, number formats, tables, downloads, errors.
import type { WorkerFailure } from './protocol.js';

export const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
};

export const esc = (s: unknown): string =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** 1234567 → "1.23M", 0.0123 → "0.0123" */
export function fmt(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a >= 1e9) return `${(v / 1e9).toPrecision(digits)}B`;
  if (a >= 1e6) return `${(v / 1e6).toPrecision(digits)}M`;
  if (a >= 1e4) return `${(v / 1e3).toPrecision(digits)}k`;
  if (a >= 100) return v.toFixed(0);
  return v.toPrecision(digits);
}

export const pct = (v: number, d = 1) => (Number.isFinite(v) ? `${(100 * v).toFixed(d)}%` : '–');

/** An HTML table; cells are escaped unless given as { html }. */
export function table(head: string[], rows: Array<Array<string | number | { html: string }>>, attrs = ''): string {
  const cell = (c: string | number | { html: string }) => (typeof c === 'object' ? c.html : esc(typeof c === 'number' ? fmt(c) : c));
  return `<table ${attrs}><thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${cell(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

const urls = new Map<string, string>();
/** Points a download link at new content (revoking the previous object URL). */
export function setDownload(id: string, content: string, type: string): void {
  const a = $<HTMLAnchorElement>(id);
  const old = urls.get(id);
  if (old) URL.revokeObjectURL(old);
  const url = URL.createObjectURL(new Blob([content], { type }));
  urls.set(id, url);
  a.href = url;
  a.hidden = false;
}

/** Shows an error in the page's alert line (empty clears it). */
export function showError(e: unknown, context = ''): void {
  const msg = e === '' ? '' : typeof e === 'string' ? e : ((e as WorkerFailure).message ?? String(e));
  $('error').textContent = msg ? `${context}${msg}` : '';
}

/** A CSV string from rows. */
export function toCsv(head: string[], rows: Array<Array<string | number>>): string {
  const q = (v: string | number) => (typeof v === 'number' ? String(v) : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return `${[head, ...rows].map((r) => r.map(q).join(',')).join('\n')}\n`;
}
