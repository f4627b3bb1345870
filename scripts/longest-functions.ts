/**
 * The longest functions in src/, channels/ and console/src: `npm run report:functions` prints
 * the top 10; `npx tsx scripts/longest-functions.ts 25` the top 25; `--over 150` every function
 * longer than 150 lines (exit code 1 when there is one).
 *
 * Lines are counted the way ESLint's `max-lines-per-function` counts them (eslint.config.js
 * enforces 150): every line from the function's first token to its last, blank lines and
 * comments included, the JSDoc above it excluded; a method counts from its name; an
 * immediately-invoked function is not counted, as the rule skips it. So the report and the lint
 * agree on which functions are over the limit.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface FunctionLength {
  file: string;
  line: number;
  lines: number;
  name: string;
}

const ROOTS = ['src', 'channels', 'console/src'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'public']);

/** Every .ts/.tsx file under a root, skipping built and vendored folders. */
function sourceFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) {
      if (!SKIPPED_DIRS.has(entry)) found.push(...sourceFiles(full));
    } else if (/\.tsx?$/.test(entry) && !entry.endsWith('.d.ts')) {
      found.push(full);
    }
  }
  return found;
}

type FunctionNode =
  | ts.FunctionDeclaration
  | ts.FunctionExpression
  | ts.ArrowFunction
  | ts.MethodDeclaration
  | ts.ConstructorDeclaration
  | ts.AccessorDeclaration;

function isFunctionWithBody(node: ts.Node): node is FunctionNode {
  return (
    (ts.isFunctionDeclaration(node) ||
      ts.isFunctionExpression(node) ||
      ts.isArrowFunction(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isConstructorDeclaration(node) ||
      ts.isGetAccessorDeclaration(node) ||
      ts.isSetAccessorDeclaration(node)) &&
    node.body !== undefined
  );
}

/** `(function () {…})()` and `(async () => {…})()`: ESLint's rule leaves these out. */
function isImmediatelyInvoked(node: FunctionNode): boolean {
  let callee: ts.Node = node;
  while (ts.isParenthesizedExpression(callee.parent)) callee = callee.parent;
  return ts.isCallExpression(callee.parent) && callee.parent.expression === callee;
}

function propertyName(name: ts.PropertyName | ts.BindingName, sf: ts.SourceFile): string {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : name.getText(sf);
}

/** A name a reader can search for: the function's own, or what holds it, or whom it is passed to. */
function functionName(node: FunctionNode, sf: ts.SourceFile): string {
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  if (node.name) return propertyName(node.name, sf);
  const holder = node.parent;
  if (ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder)) {
    return propertyName(holder.name, sf);
  }
  if (ts.isCallExpression(holder)) {
    const callee = holder.expression.getText(sf).replace(/\s+/g, '');
    const wrapped = functionNameOfWrapper(holder, sf);
    return wrapped ? `${wrapped} (${callee} callback)` : `${callee} callback`;
  }
  if (ts.isExportAssignment(holder)) return 'default export';
  return '(anonymous)';
}

/** `const Page = memo(() => …)`: the variable that receives the wrapped function. */
function functionNameOfWrapper(call: ts.CallExpression, sf: ts.SourceFile): string | undefined {
  const holder = call.parent;
  if (ts.isVariableDeclaration(holder)) return propertyName(holder.name, sf);
  return undefined;
}

export function measureFile(file: string): FunctionLength[] {
  const text = readFileSync(file, 'utf8');
  const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const found: FunctionLength[] = [];
  const visit = (node: ts.Node): void => {
    if (isFunctionWithBody(node) && !isImmediatelyInvoked(node)) {
      // getStart skips the JSDoc; a method's node starts at its modifiers or name, as ESLint's does.
      const first = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const last = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      found.push({
        file: file.split(path.sep).join('/'),
        line: first + 1,
        lines: last - first + 1,
        name: functionName(node, sf),
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

export function measureTree(roots: string[] = ROOTS): FunctionLength[] {
  return roots
    .flatMap((root) => sourceFiles(root))
    .flatMap(measureFile)
    .sort((a, b) => b.lines - a.lines || a.file.localeCompare(b.file) || a.line - b.line);
}

function parseArgs(argv: string[]): { top: number; over?: number } {
  const overAt = argv.indexOf('--over');
  const over = overAt >= 0 ? Number(argv[overAt + 1]) : undefined;
  const topArg = argv.find((arg, i) => /^\d+$/.test(arg) && (overAt < 0 || i !== overAt + 1));
  return { top: topArg ? Number(topArg) : 10, over };
}

function main(): void {
  const { top, over } = parseArgs(process.argv.slice(2));
  const all = measureTree();
  const shown = over === undefined ? all.slice(0, top) : all.filter((f) => f.lines > over);
  const title =
    over === undefined
      ? `The ${top} longest functions in ${ROOTS.join(', ')} (of ${all.length}):`
      : `Functions over ${over} lines in ${ROOTS.join(', ')}: ${shown.length}`;
  console.log(title);
  shown.forEach((f, i) => {
    const rank = String(i + 1).padStart(3);
    console.log(`${rank}. ${String(f.lines).padStart(4)} lines  ${f.name}  ${f.file}:${f.line}`);
  });
  if (over !== undefined && shown.length > 0) process.exitCode = 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main();
}
