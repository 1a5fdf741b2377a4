// Lists the functions in packages/*/src longer than a limit (80 lines by default) that carry no comment saying why.
// The why is a comment containing "long:" just before the function or at the top of its body, e.g.
// `// long: the NUTS tree doubling keeps its state in locals for speed`. Run: npx tsx scripts/function-lengths.ts
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/** One function over the limit. */
export interface LongFunction {
  file: string;
  line: number;
  name: string;
  lines: number;
  justified: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

function nameOf(node: ts.Node, sf: ts.SourceFile): string {
  const named = node as ts.FunctionLikeDeclaration;
  if (named.name) return named.name.getText(sf);
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent)) return parent.name.getText(sf);
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText(sf);
  return '(anonymous)';
}

/** Every function-like node in `packages/*\/src` below `root` longer than `limit` lines, justified or not. */
export function longFunctions(root: string, limit = 80): LongFunction[] {
  const out: LongFunction[] = [];
  const packages = join(root, 'packages');
  for (const pkg of readdirSync(packages)) {
    const src = join(packages, pkg, 'src');
    if (!statSync(join(packages, pkg)).isDirectory()) continue;
    let files: string[];
    try {
      files = sourceFiles(src);
    } catch {
      continue;
    }
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
      const visit = (node: ts.Node) => {
        if (ts.isFunctionLike(node) && (node as ts.FunctionLikeDeclaration).body) {
          const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
          const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
          const lines = end - start + 1;
          if (lines > limit) {
            // the comments just before the function (or before the statement that holds it) and at the top of its body
            const holder = ts.isVariableDeclaration(node.parent)
              ? node.parent.parent.parent
              : ts.isReturnStatement(node.parent)
                ? node.parent
                : node;
            const before = text.slice(holder.getFullStart(), holder.getStart(sf));
            const body = (node as ts.FunctionLikeDeclaration).body!;
            const first =
              ts.isBlock(body) && body.statements.length > 0 ? text.slice(body.getStart(sf), body.statements[0].getStart(sf)) : '';
            out.push({
              file: relative(root, file),
              line: start + 1,
              name: nameOf(node, sf),
              lines,
              justified: /\blong:/.test(before + first),
            });
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(sf);
    }
  }
  return out;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const found = longFunctions(process.cwd(), Number(process.argv[2] ?? 80));
  for (const f of found) console.log(`${f.justified ? 'justified' : 'TOO LONG '} ${f.lines} lines  ${f.file}:${f.line} ${f.name}`);
  const bad = found.filter((f) => !f.justified);
  console.log(`${found.length} functions over the limit, ${bad.length} without a "long:" comment`);
  process.exit(bad.length > 0 ? 1 : 0);
}
