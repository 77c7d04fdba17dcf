/** The workbench page: controls on the left, the map and results on the right. */
import { lazy, Suspense, useEffect, type CSSProperties } from 'react';
import { CODE_VERSION } from '../version.ts';
import { ErrorBoundary } from './components/ErrorBoundary.tsx';
import { useExecutorSpecs } from './data/queries.ts';
import { useLayout } from './layout/layout-store.ts';
import { MainView } from './layout/MainView.tsx';
import { ResultsResizer } from './layout/ResultsResizer.tsx';
import { SidebarToggle } from './layout/SidebarToggle.tsx';
import { DatasetPanel } from './panels/DatasetPanel.tsx';
import { ModelPanel } from './panels/ModelPanel.tsx';
import { ParamForm } from './panels/ParamForm.tsx';
import { ResultsPanel } from './panels/ResultsPanel.tsx';
import { RunPanel } from './panels/RunPanel.tsx';
import { SettingsMenu } from './panels/SettingsMenu.tsx';
import { handleLink } from './editor/link-code.ts';
import { LinkCodeConsent } from './editor/LinkCodeConsent.tsx';
import { useModelHost } from './editor/model-host.ts';
import { ReproduceBanner } from './share/ReproduceBanner.tsx';
import { ConsentDialog } from './consent/ConsentDialog.tsx';
import { SharePanel } from './share/SharePanel.tsx';
import { HistoryPanel } from './history/HistoryPanel.tsx';
import { SweepPanel } from './sweep/SweepPanel.tsx';
import { useWorkbench } from './store.ts';

/** The model editor (CodeMirror), loaded only when a model is opened. */
const ModelEditor = lazy(() => import('./editor/ModelEditor.tsx'));

function EditorSlot() {
  const open = useModelHost((s) => s.editorOpen);
  if (!open) return null;
  return (
    <ErrorBoundary name="the model editor">
      <Suspense fallback={<p className="muted">Loading the editor…</p>}>
        <ModelEditor />
      </Suspense>
    </ErrorBoundary>
  );
}

function Notice() {
  const notice = useWorkbench((s) => s.notice);
  const setNotice = useWorkbench((s) => s.setNotice);
  if (!notice) return null;
  return (
    <div className="notice" role="alert" data-testid="notice">
      <span>{notice}</span>
      <button type="button" className="btn btn-small btn-ghost" onClick={() => setNotice(null)} aria-label="Dismiss">
        Dismiss
      </button>
    </div>
  );
}

/** The fragment last acted on (StrictMode runs effects twice in development: one replay per link). */
let handledHash: string | null = null;

/**
 * A URL fragment (`#run=…`) re-runs a shared experiment — on load, and when a
 * link is pasted into an open page; anything else in the fragment gets a readable refusal.
 */
function useLinkOnLoad(): void {
  const specs = useExecutorSpecs();
  useEffect(() => {
    const go = () => {
      const hash = location.hash;
      if (hash.length <= 1 || hash === handledHash) return;
      handledHash = hash;
      handleLink(hash, specs);
    };
    go();
    window.addEventListener('hashchange', go);
    return () => window.removeEventListener('hashchange', go);
  }, [specs]);
}

export function App() {
  useLinkOnLoad();
  const sidebarOpen = useLayout((s) => s.sidebarOpen);
  const resultsH = useLayout((s) => s.resultsH);
  return (
    <div className="app" data-testid="app">
      <header className="topbar">
        <SidebarToggle />
        <div className="brand">
          <span className="logo" aria-hidden="true">
            ◧
          </span>
          <h1>DisSModel Workbench</h1>
          <span className="tagline">spatial simulation in your browser</span>
        </div>
        <div className="topbar-right">
          <span className="version mono">v{CODE_VERSION}</span>
          <ErrorBoundary name="the settings">
            <SettingsMenu />
          </ErrorBoundary>
        </div>
      </header>
      <Notice />
      <ErrorBoundary name="the reproduction banner">
        <ReproduceBanner />
        <LinkCodeConsent />
      </ErrorBoundary>
      <ConsentDialog />
      <div className={`workspace${sidebarOpen ? '' : ' sidebar-closed'}`}>
        <aside id="sidebar" className="sidebar" aria-label="Model, dataset and parameters">
          <div className="sidebar-scroll">
            <ErrorBoundary name="the model picker">
              <ModelPanel />
            </ErrorBoundary>
            <ErrorBoundary name="the dataset panel">
              <DatasetPanel />
            </ErrorBoundary>
            <ErrorBoundary name="the parameter form">
              <ParamForm />
            </ErrorBoundary>
            <ErrorBoundary name="the share panel">
              <SharePanel />
            </ErrorBoundary>
            <ErrorBoundary name="the run history">
              <HistoryPanel />
            </ErrorBoundary>
          </div>
          <ErrorBoundary name="the run panel">
            <RunPanel />
          </ErrorBoundary>
        </aside>
        <main className="main" style={resultsH ? ({ '--results-h': `${resultsH}px` } as CSSProperties) : undefined}>
          <EditorSlot />
          <ErrorBoundary name="the map">
            <MainView />
          </ErrorBoundary>
          <ResultsResizer />
          <ErrorBoundary name="the results">
            <ResultsPanel />
          </ErrorBoundary>
          <details className="sweep-details">
            <summary>Parameter sweep</summary>
            <ErrorBoundary name="the sweep panel">
              <SweepPanel />
            </ErrorBoundary>
          </details>
        </main>
      </div>
    </div>
  );
}
