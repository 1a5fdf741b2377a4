// Test helpers: parse an SVG string as XML (failing on any parse error) and read what a chart drew.
import { DOMParser, type Element } from '@xmldom/xmldom';

export function parseSvg(svg: string): Element {
  const errors: string[] = [];
  const doc = new DOMParser({ onError: (level, msg) => void (level !== 'warning' && errors.push(msg)) }).parseFromString(
    svg,
    'image/svg+xml',
  );
  if (errors.length) throw new Error(`SVG does not parse: ${errors.join('; ')}`);
  const root = doc.documentElement;
  if (root?.tagName !== 'svg') throw new Error('root element is not <svg>');
  return root;
}

export function all(el: Element, tag: string): Element[] {
  return Array.from(el.getElementsByTagName(tag) as unknown as ArrayLike<Element>);
}

export function byClass(el: Element, tag: string, cls: string): Element[] {
  return all(el, tag).filter((e) => (e.getAttribute('class') ?? '').split(/\s+/).includes(cls));
}

/** The (x, y) points of path data made of M, L and Z commands. */
export function pathPoints(d: string): Array<[number, number]> {
  const pts: Array<[number, number]> = [];
  for (const m of d.matchAll(/[ML]\s*(-?[\d.e+-]+)[ ,](-?[\d.e+-]+)/g)) pts.push([Number(m[1]), Number(m[2])]);
  return pts;
}

/** Every attribute value of every element, to look for NaN or Infinity. */
export function attributeValues(el: Element): string[] {
  const out: string[] = [];
  const walk = (e: Element) => {
    for (let i = 0; i < e.attributes.length; i++) out.push(e.attributes[i].value);
    for (let c = e.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) walk(c as Element);
  };
  walk(el);
  return out;
}

export function tickValues(el: Element, axis: 'x' | 'y'): number[] {
  const g = all(el, 'g').find((e) => e.getAttribute('class') === `axis ${axis}`);
  if (!g) throw new Error(`no ${axis} axis`);
  return byClass(g, 'g', 'tick').map((t) => Number(t.getAttribute('data-value')));
}

/** The linear map from pixels to data of an axis, from its first and last tick. */
export function axisMap(svg: Element, axis: 'x' | 'y'): (p: number) => number {
  const g = all(svg, 'g').find((e) => e.getAttribute('class') === `axis ${axis}`)!;
  const ticks = byClass(g, 'g', 'tick');
  const at = (t: Element) =>
    Number(
      all(t, 'line')
        .at(-1)!
        .getAttribute(axis === 'x' ? 'x1' : 'y1'),
    );
  const [a, b] = [ticks[0], ticks[ticks.length - 1]];
  const va = Number(a.getAttribute('data-value'));
  const vb = Number(b.getAttribute('data-value'));
  const pa = at(a);
  const pb = at(b);
  return (p) => va + ((p - pa) * (vb - va)) / (pb - pa);
}
