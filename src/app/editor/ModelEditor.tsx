/**
 * The model editor (lazy: CodeMirror 6 is loaded with this chunk, only when a
 * model is opened). Run (or Ctrl/Cmd-Enter) loads the draft into a fresh model
 * worker — compile errors marked on their line — selects the model and runs it
 * on its sample (or the chosen dataset) like a built-in one. Messages for a
 * model that does not load, or a run that fails or hangs, show here; the
 * previous version stays registered and runnable until a new one loads.
 */
import { useEffect, useRef } from 'react';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view';
import { takesNoInput } from '../data/compat.ts';
import { sampleSource } from '../panels/ModelPanel.tsx';
import { useRunController, useSelectedSpec } from '../run/useRun.ts';
import { useWorkbench } from '../store.ts';
import { applyModel, pageModelSpec, useModelHost } from './model-host.ts';

function download(text: string, name: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export default function ModelEditor() {
  const host = useModelHost();
  const holder = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const runRef = useRef<() => void>(() => undefined);
  const ctl = useRunController();
  const spec = useSelectedSpec();
  const run = useWorkbench((s) => s.run);

  // The editor view, made once; the draft goes to the store on every change.
  useEffect(() => {
    if (!holder.current) return;
    const v = new EditorView({
      parent: holder.current,
      state: EditorState.create({
        doc: useModelHost.getState().draft,
        extensions: [
          lineNumbers(),
          history(),
          indentOnInput(),
          bracketMatching(),
          highlightActiveLine(),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          javascript({ typescript: true }),
          lintGutter(),
          keymap.of([{ key: 'Mod-Enter', run: () => (runRef.current(), true) }, indentWithTab, ...defaultKeymap, ...historyKeymap]),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) useModelHost.getState().set({ draft: u.state.doc.toString() });
          }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
  }, []);

  // A new draft from outside (template, file, link) replaces the editor's text.
  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== host.draft) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: host.draft } });
  }, [host.draft]);

  // A load problem with a line is marked on it.
  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const p = host.problem;
    const diagnostics: Diagnostic[] = [];
    if (p?.line !== undefined && p.line >= 1 && p.line <= v.state.doc.lines) {
      const line = v.state.doc.line(p.line);
      const from = Math.min(line.to, line.from + (p.column ?? 0));
      diagnostics.push({ from, to: Math.max(from, line.to), severity: 'error', message: p.message });
    }
    const at = diagnostics[0]?.from;
    // The marked line is scrolled into view (CodeMirror draws only the lines on screen).
    v.dispatch(setDiagnostics(v.state, diagnostics), at !== undefined ? { effects: EditorView.scrollIntoView(at, { y: 'center' }) } : {});
  }, [host.problem]);

  const runDraft = async () => {
    const st = useModelHost.getState();
    if (st.loading || useWorkbench.getState().run.status === 'running') return;
    let specs = st.active?.specs;
    if (!st.active || st.active.source !== st.draft || st.active.fileName !== st.fileName) {
      const r = await applyModel(st.draft, st.fileName);
      if (!r.ok) return;
      specs = r.specs;
    }
    const target = specs?.[0];
    if (!target) return;
    const wb = useWorkbench.getState();
    if (!pageModelSpec(wb.model)) {
      // As when a model is picked: its sample, if it names one.
      wb.selectModel(target);
      if (target.sample && !takesNoInput(target)) wb.setSource(sampleSource(target.sample));
    }
    const chosen = pageModelSpec(useWorkbench.getState().model) ?? target;
    if (chosen.sample && !takesNoInput(chosen) && !useWorkbench.getState().source)
      useWorkbench.getState().setSource(sampleSource(chosen.sample));
    useModelHost.getState().set({ pendingRun: chosen.name });
  };
  useEffect(() => {
    runRef.current = () => void runDraft();
  });

  // Start the run once the model is selected and its dataset is ready.
  useEffect(() => {
    const wantRun = host.pendingRun;
    if (!wantRun || spec?.name !== wantRun || ctl.running) return;
    if (ctl.blockers.some((b) => /still loading/.test(b))) return;
    useModelHost.getState().set({ pendingRun: null });
    if (ctl.blockers.length === 0) void ctl.start();
  }, [host.pendingRun, spec, ctl]);

  const isPageRun = !!pageModelSpec(run.model);
  const runError = isPageRun && (run.status === 'failed' || run.status === 'cancelled') ? run.error : null;
  const message = host.problem
    ? { kind: host.problem.kind, text: host.problem.message }
    : runError
      ? { kind: `run-${run.status}`, text: runError.message }
      : host.pendingRun && ctl.blockers.length > 0
        ? { kind: 'blocked', text: ctl.blockers.join(' ') }
        : null;

  return (
    <section className="panel model-editor" aria-label="Model editor" data-testid="model-editor">
      <div className="share-row">
        <h2 className="panel-title">
          Model code <span className="muted small mono">{host.fileName}</span>
        </h2>
        <span className="muted small" data-testid="editor-active">
          {host.active
            ? `registered: ${host.active.specs.map((s) => s.name).join(', ')} · sha256 ${host.active.sha256.slice(0, 12)}…`
            : 'not registered yet'}
        </span>
      </div>
      <div className="code-editor" ref={holder} data-testid="code-editor" />
      <div className="share-row">
        <button
          type="button"
          className="btn"
          data-testid="editor-run"
          disabled={host.loading || run.status === 'running'}
          onClick={() => void runDraft()}
          title="Ctrl/Cmd-Enter"
        >
          {host.loading ? 'Loading the model…' : 'Run (Ctrl/Cmd-Enter)'}
        </button>
        {run.status === 'running' && isPageRun && (
          <button type="button" className="btn btn-ghost" data-testid="editor-cancel" onClick={ctl.cancel}>
            Cancel
          </button>
        )}
        <button type="button" className="btn btn-small" data-testid="editor-download" onClick={() => download(host.draft, host.fileName)}>
          Download model
        </button>
        <button type="button" className="btn btn-small btn-ghost" onClick={() => host.set({ editorOpen: false })}>
          Close
        </button>
      </div>
      {message && (
        <p className="field-error" role="alert" data-testid="editor-message" data-kind={message.kind}>
          {message.text}
          {host.active && host.problem
            ? ` The previous version (${host.active.fileName}, sha256 ${host.active.sha256.slice(0, 12)}…) is still registered and runnable.`
            : ''}
        </p>
      )}
    </section>
  );
}
