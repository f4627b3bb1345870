/**
 * A CodeMirror 6 YAML editor with inline problems: `problems` (path-located messages from the
 * server's schema check, or a YAML syntax error) are drawn as lint diagnostics on their node.
 */
import { yaml } from '@codemirror/lang-yaml';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';
import { isMap, isSeq, parseDocument, type Document } from 'yaml';

export interface Problem {
  path: string;
  message: string;
}

/** The text range of the deepest node on `path` that exists (a missing field marks its parent). */
export function rangeOf(doc: Document, path: string, length: number): [number, number] {
  const keys = path ? path.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k)) : [];
  for (let n = keys.length; n > 0; n--) {
    const node = doc.getIn(keys.slice(0, n), true) as
      { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range)
      return [node.range[0], Math.max(node.range[1], node.range[0] + 1)];
    const parent = n > 1 ? doc.getIn(keys.slice(0, n - 1), true) : doc.contents;
    if ((isMap(parent) || isSeq(parent)) && parent.range) {
      return [parent.range[0], Math.min(parent.range[0] + 1, length)];
    }
  }
  return [0, Math.min(1, length)];
}

export function diagnosticsFor(text: string, problems: Problem[]): Diagnostic[] {
  const doc = parseDocument(text);
  return problems.map((p) => {
    const [from, to] = rangeOf(doc, p.path, text.length);
    return {
      from: Math.min(from, text.length),
      to: Math.min(to, text.length),
      severity: 'error',
      message: p.path ? `${p.path}: ${p.message}` : p.message,
    };
  });
}

export function YamlEditor({
  value,
  onChange,
  problems,
  label,
  readOnly = false,
}: {
  value: string;
  onChange(next: string): void;
  problems: Problem[];
  label: string;
  /** Shown, selectable and copyable, but not editable (a role that may only read). */
  readOnly?: boolean;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changed = useRef(onChange);
  changed.current = onChange;

  useEffect(() => {
    const editor = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          basicSetup,
          yaml(),
          lintGutter(),
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({
            'aria-label': label,
            ...(readOnly ? { 'aria-readonly': 'true' } : {}),
          }),
          EditorState.readOnly.of(readOnly),
          EditorView.editable.of(!readOnly),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) changed.current(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => editor.destroy();
    // The editor is created once (the role does not change while the page is open); later
    // values arrive through the effect below.
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (!editor || editor.state.doc.toString() === value) return;
    editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    editor.dispatch(
      setDiagnostics(editor.state, diagnosticsFor(editor.state.doc.toString(), problems)),
    );
  }, [problems, value]);

  return <div ref={host} className="studio-yaml" data-testid="flow-yaml" />;
}
