/**
 * Methods: one card per method the engine offers, its parameter form generated from methodInfo
 * (defaults, ranges, choices and help come from the engine), a "Run all" over the ticked methods and
 * a Run per method; a λ sweep for the regularised methods; and the job queue.
 */
import { memo, useId, useState } from 'react';
import type { MethodDescription, ReconMethodName } from '../../src/contract/schemas';
import type { JobView, Notice as NoticeT } from '../state/app-state';
import type { MethodForms } from '../state/method-form';
import { checkParam, defaultLambdas, paramEnabled, parseLambdaList, validateMethod } from '../state/method-form';
import { JobQueue } from './JobQueue';
import { Notice } from './Notice';

export interface MethodsPanelProps {
  methodInfo: readonly MethodDescription[];
  forms: MethodForms;
  selected: readonly ReconMethodName[];
  canRun: boolean;
  jobs: JobView[];
  notices: NoticeT[];
  onField(method: ReconMethodName, param: string, value: string): void;
  onToggle(method: ReconMethodName, on: boolean): void;
  onRun(methods: ReconMethodName[]): void;
  onSweep(method: ReconMethodName, lambdas: number[]): void;
  onCancel(key: string): void;
  onCancelAll(): void;
  onClearFinished(): void;
  onDismiss(area: NoticeT['area']): void;
}

export const MethodsPanel = memo(function MethodsPanel(p: MethodsPanelProps) {
  const id = useId();
  const checks = new Map(p.methodInfo.map((m) => [m.method, validateMethod(m, p.forms[m.method])]));
  const runnable = p.selected.filter((m) => checks.get(m)?.ok);
  const active = p.jobs.filter((j) => j.state === 'starting' || j.state === 'running').length;
  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <div className="panel-head">
        <h2 id={`${id}-h`}>Methods</h2>
        <span className="panel-actions">
          <button
            type="button"
            className="primary"
            data-testid="run-all"
            disabled={!p.canRun || runnable.length === 0}
            onClick={() => p.onRun(runnable)}
            title="Run every ticked method (Ctrl+Enter)"
          >
            Run all ({runnable.length})
          </button>
        </span>
      </div>
      <div className="methods">
        {p.methodInfo.map((m) => (
          <MethodCard
            key={m.method}
            desc={m}
            form={p.forms[m.method] ?? {}}
            selected={p.selected.includes(m.method)}
            canRun={p.canRun && !!checks.get(m.method)?.ok}
            onField={(param, v) => p.onField(m.method, param, v)}
            onToggle={(on) => p.onToggle(m.method, on)}
            onRun={() => p.onRun([m.method])}
          />
        ))}
      </div>
      <Notice notice={p.notices.find((n) => n.area === 'run')} onDismiss={() => p.onDismiss('run')} />
      <Sweep
        methodInfo={p.methodInfo}
        forms={p.forms}
        canRun={p.canRun}
        onSweep={p.onSweep}
        notice={p.notices.find((n) => n.area === 'sweep')}
        onDismiss={() => p.onDismiss('sweep')}
      />
      <JobQueue
        jobs={p.jobs}
        active={active}
        onCancel={p.onCancel}
        onCancelAll={p.onCancelAll}
        onClearFinished={p.onClearFinished}
      />
    </section>
  );
});

function MethodCard({
  desc,
  form,
  selected,
  canRun,
  onField,
  onToggle,
  onRun,
}: {
  desc: MethodDescription;
  form: Record<string, string>;
  selected: boolean;
  canRun: boolean;
  onField(param: string, v: string): void;
  onToggle(on: boolean): void;
  onRun(): void;
}) {
  const id = useId();
  return (
    <div className="method-card" data-testid={`method-${desc.method}`}>
      <div className="method-head">
        <input
          id={`${id}-on`}
          type="checkbox"
          checked={selected}
          onChange={(e) => onToggle(e.target.checked)}
          data-testid={`method-on-${desc.method}`}
        />
        <label htmlFor={`${id}-on`} className="method-label" title={desc.description}>
          {desc.label}
        </label>
        <button
          type="button"
          className="small"
          onClick={onRun}
          disabled={!canRun}
          data-testid={`run-${desc.method}`}
          aria-label={`Run ${desc.label}`}
        >
          Run
        </button>
      </div>
      <p className="hint method-desc">{desc.description}</p>
      {desc.params.length > 0 && (
        <div className="param-grid">
          {desc.params.map((prm) => {
            const raw = form[prm.name] ?? '';
            const enabled = paramEnabled(desc, prm, form);
            const err = enabled ? checkParam(prm, raw).error : undefined;
            const fid = `${id}-${prm.name}`;
            const range =
              (prm.min !== undefined || prm.max !== undefined
                ? ` (${prm.min ?? '−∞'} – ${prm.max ?? '∞'}${prm.log ? ', log' : ''})`
                : '') + (prm.enabledWhen && !enabled ? ` — only with ${prm.enabledWhen.param} ${prm.enabledWhen.value}` : '');
            return (
              <div key={prm.name} className={`field param ${prm.kind === 'text' ? 'param-wide' : ''}`}>
                <label htmlFor={fid} title={prm.help + range}>
                  {prm.label}
                </label>
                {prm.kind === 'choice' ? (
                  <select
                    id={fid}
                    value={raw}
                    disabled={!enabled}
                    onChange={(e) => onField(prm.name, e.target.value)}
                    data-testid={`param-${desc.method}-${prm.name}`}
                    title={prm.help}
                  >
                    {(prm.choices ?? []).map((c) => (
                      <option key={c} value={c}>
                        {c}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input
                    id={fid}
                    type="text"
                    inputMode={prm.kind === 'text' ? 'text' : 'decimal'}
                    spellCheck={false}
                    disabled={!enabled}
                    autoComplete="off"
                    value={raw}
                    placeholder={prm.default === null ? 'default' : String(prm.default)}
                    aria-invalid={err ? true : undefined}
                    aria-describedby={err ? `${fid}-err` : undefined}
                    title={prm.help + range}
                    data-testid={`param-${desc.method}-${prm.name}`}
                    onChange={(e) => onField(prm.name, e.target.value)}
                  />
                )}
                {err && (
                  <p
                    id={`${fid}-err`}
                    className="field-error"
                    role="alert"
                    data-testid="field-error"
                    data-field={`${desc.method}.${prm.name}`}
                  >
                    {err}
                  </p>
                )}
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}

function Sweep({
  methodInfo,
  forms,
  canRun,
  onSweep,
  notice,
  onDismiss,
}: {
  methodInfo: readonly MethodDescription[];
  forms: MethodForms;
  canRun: boolean;
  onSweep(method: ReconMethodName, lambdas: number[]): void;
  notice: NoticeT | undefined;
  onDismiss(): void;
}) {
  const id = useId();
  const candidates = methodInfo.filter((m) => m.params.some((p) => p.name === 'lambda'));
  const [method, setMethod] = useState<ReconMethodName | ''>(candidates[0]?.method ?? '');
  const desc = candidates.find((m) => m.method === method);
  const d = desc?.params.find((p) => p.name === 'lambda')?.default;
  const [text, setText] = useState<string | null>(null);
  const shown = text ?? (typeof d === 'number' ? defaultLambdas(d).join(', ') : '');
  const parsed = parseLambdaList(shown);
  const methodOk = desc ? validateMethod(desc, forms[desc.method]).ok : false;
  if (candidates.length === 0) return null;
  return (
    <details className="sweep">
      <summary>λ sweep</summary>
      <div className="row">
        <div className="field">
          <label htmlFor={`${id}-m`}>Method</label>
          <select
            id={`${id}-m`}
            value={method}
            data-testid="sweep-method"
            onChange={(e) => {
              setMethod(e.target.value as ReconMethodName);
              setText(null);
            }}
          >
            {candidates.map((m) => (
              <option key={m.method} value={m.method}>
                {m.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field grow">
          <label htmlFor={`${id}-l`}>λ values</label>
          <input
            id={`${id}-l`}
            type="text"
            spellCheck={false}
            value={shown}
            onChange={(e) => setText(e.target.value)}
            aria-invalid={!parsed.ok || undefined}
            data-testid="sweep-lambdas"
          />
        </div>
      </div>
      {!parsed.ok && (
        <p className="field-error" role="alert" data-testid="field-error" data-field="sweep">
          {parsed.error}
        </p>
      )}
      <div className="row sweep-foot">
        <p className="hint grow">One job per λ; other parameters from the {desc?.label ?? ''} card. Plot: Numbers → λ sweep.</p>
        <button
          type="button"
          data-testid="sweep-run"
          disabled={!canRun || !parsed.ok || !methodOk || !method}
          onClick={() => parsed.ok && method && onSweep(method, parsed.values)}
        >
          Run sweep
        </button>
      </div>
      <Notice notice={notice} onDismiss={onDismiss} />
    </details>
  );
}
