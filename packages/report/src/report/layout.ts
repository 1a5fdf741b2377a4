// The page shell of the HTML reports and the small pieces every section uses: inline CSS, no scripts, nothing loaded.
import { esc } from '../svg.js';

const CSS = `
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; color: #222; margin: 0; background: #f6f7f9; line-height: 1.45; }
main { max-width: 1180px; margin: 0 auto; padding: 24px; }
h1 { font-size: 1.7rem; margin: 0 0 4px; }
h2 { font-size: 1.25rem; margin: 32px 0 10px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 1rem; margin: 16px 0 6px; }
.sub { color: #666; margin: 0 0 16px; }
section.card { background: #fff; border: 1px solid #e3e5e8; border-radius: 8px; padding: 16px 20px; margin: 14px 0; }
.verdict { padding: 10px 14px; border-radius: 6px; font-weight: 600; }
.verdict.pass { background: #e6f4ea; color: #1e6b34; }
.verdict.fail { background: #fdecea; color: #8a1c13; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
.charts figure { margin: 0; }
figure { margin: 10px 0; }
svg.mmm-chart { max-width: 100%; height: auto; border: 1px solid #eee; border-radius: 4px; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 8px 0; }
th, td { padding: 4px 10px; border-bottom: 1px solid #eee; text-align: right; }
th:first-child, td:first-child { text-align: left; }
thead th { background: #f0f2f4; }
tr.bad td { color: #8a1c13; }
ul.kpis { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 10px; }
ul.kpis li { background: #f0f4fa; border-radius: 6px; padding: 8px 12px; min-width: 150px; }
ul.kpis b { display: block; font-size: 1.2rem; }
footer { color: #888; font-size: 0.8rem; margin-top: 30px; }
`;

/** A whole self-contained page. @internal */
export function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body}
<footer>Made with mmm (@mmm/report). All charts are inline SVG; this file loads nothing from anywhere.</footer>
</main>
</body>
</html>
`;
}

/** An HTML table with a header row; the first cell of each row is its header. @internal */
export function table(
  head: ReadonlyArray<string>,
  rows: ReadonlyArray<ReadonlyArray<string>>,
  rowClass?: (i: number) => string | undefined,
): string {
  let s = `<table><thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>`;
  rows.forEach((r, i) => {
    const cls = rowClass?.(i);
    const cells = r.map((c, k) => (k === 0 ? `<th scope="row">${esc(c)}</th>` : `<td>${esc(c)}</td>`));
    s += `<tr${cls ? ` class="${cls}"` : ''}>${cells.join('')}</tr>`;
  });
  return `${s}</tbody></table>`;
}

/** A chart with an optional caption. @internal */
export function figure(svg: string, caption?: string): string {
  return `<figure>${svg}${caption ? `<figcaption>${esc(caption)}</figcaption>` : ''}</figure>`;
}

/** A share as a percentage with one decimal. @internal */
export const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
/** A number with `d` decimals, or – when not finite. @internal */
export const fix = (v: number, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : '–');
