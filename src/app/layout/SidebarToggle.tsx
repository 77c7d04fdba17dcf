/** The topbar button that folds the sidebar away (the map gets the width, or on a phone the screen). */
import { useLayout } from './layout-store.ts';

export function SidebarToggle() {
  const open = useLayout((s) => s.sidebarOpen);
  const toggle = useLayout((s) => s.toggleSidebar);
  return (
    <button
      type="button"
      className="btn btn-small sidebar-toggle"
      data-testid="sidebar-toggle"
      aria-expanded={open}
      aria-controls="sidebar"
      onClick={toggle}
    >
      {open ? '◂ Hide controls' : '▸ Model & data'}
    </button>
  );
}
