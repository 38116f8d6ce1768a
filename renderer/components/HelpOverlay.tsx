/** The keyboard and mouse reference ('?'); Escape or the button closes it. */
import { useEffect, useRef } from 'react';

export const SHORTCUTS: [string, string][] = [
  ['↑ / ↓, PageUp / PageDown', 'previous / next slice (all panes)'],
  ['Mouse wheel', 'previous / next slice'],
  ['Ctrl+Enter', 'run all ticked methods'],
  ['Escape', 'leave full screen / close this help / cancel running jobs'],
  ['E', 'show or hide the error maps'],
  ['R', 'reset zoom, pan and window'],
  ['F', 'full screen for the focused pane (or double-click a pane)'],
  ['M', 'magnifier on / off'],
  ['W · P · O', 'tool: window/level · line profile · ROI'],
  ['+ / −', 'zoom in / out (pane focused)'],
  ['?', 'this help'],
];
export const MOUSE: [string, string][] = [
  ['Left drag', 'window / level (or the active tool: profile line, ROI box)'],
  ['Right drag, Ctrl+left drag', 'zoom'],
  ['Middle drag, Shift+left drag', 'pan'],
  ['Double-click', 'full screen / back'],
  ['Click or drag on the mask (Edit)', 'toggle k-space lines; brush for 2-D masks'],
];

export function HelpOverlay({ onClose }: { onClose(): void }) {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const prev = document.activeElement as HTMLElement | null;
    close.current?.focus();
    return () => prev?.focus?.();
  }, []);
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="help-title"
        data-testid="help"
        onClick={(e) => e.stopPropagation()}
      >
        <div className="panel-head">
          <h2 id="help-title">Keyboard and mouse</h2>
          <button ref={close} type="button" className="icon-button" onClick={onClose} aria-label="Close help">
            ×
          </button>
        </div>
        <div className="help-cols">
          <table>
            <caption>Keyboard</caption>
            <tbody>
              {SHORTCUTS.map(([k, v]) => (
                <tr key={k}>
                  <th scope="row">
                    <kbd>{k}</kbd>
                  </th>
                  <td>{v}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table>
            <caption>Mouse</caption>
            <tbody>
              {MOUSE.map(([k, v]) => (
                <tr key={k}>
                  <th scope="row">{k}</th>
                  <td>{v}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="hint">Every control is reachable with Tab; shortcuts are ignored while typing in a field.</p>
      </div>
    </div>
  );
}
