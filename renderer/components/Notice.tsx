import type { Notice as NoticeT } from '../state/app-state';

/** An in-place message: errors are alerts, information is a polite status. */
export function Notice({ notice, onDismiss }: { notice: NoticeT | undefined; onDismiss?: () => void }) {
  if (!notice) return null;
  const error = notice.kind === 'error';
  return (
    <div
      className={`notice notice-${notice.kind}`}
      role={error ? 'alert' : 'status'}
      data-testid={error ? 'error-message' : 'info-message'}
      data-area={notice.area}
    >
      <span>{notice.text}</span>
      {onDismiss && (
        <button type="button" className="notice-close" aria-label="Dismiss message" onClick={onDismiss}>
          ×
        </button>
      )}
    </div>
  );
}
