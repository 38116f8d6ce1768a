import { useId } from 'react';
import type { MaskType, ScanInfo } from '../../src/contract/schemas';
import { FIELD_LABELS, MASK_TYPE_LABELS, type MaskField, type MaskForm, type MaskValidation } from '../state/mask-form';
import { MaskPreview } from './MaskPreview';

export interface MaskPanelProps {
  form: MaskForm;
  check: MaskValidation;
  maskTypes: readonly MaskType[];
  scan: ScanInfo | null;
  slice: number;
  onField(field: MaskField, value: string): void;
}

/** Undersampling mask: type (from engine.info), acceleration, centre fraction, seed; inline validation. */
export function MaskPanel({ form, check, maskTypes, scan, slice, onField }: MaskPanelProps) {
  const id = useId();
  const errors = check.ok ? {} : check.errors;
  const field = (name: Exclude<MaskField, 'type'>, testId: string, hint: string) => {
    const err = errors[name];
    return (
      <div className={`field ${err ? 'field-invalid' : ''}`}>
        <label htmlFor={`${id}-${name}`}>{FIELD_LABELS[name]}</label>
        <input
          id={`${id}-${name}`}
          data-testid={testId}
          type="text"
          inputMode="decimal"
          spellCheck={false}
          autoComplete="off"
          value={form[name]}
          aria-invalid={err ? true : undefined}
          aria-describedby={err ? `${id}-${name}-err` : `${id}-${name}-hint`}
          onChange={(e) => onField(name, e.target.value)}
        />
        {err ? (
          <p id={`${id}-${name}-err`} className="field-error" role="alert" data-testid="field-error" data-field={name}>
            {err}
          </p>
        ) : (
          <p id={`${id}-${name}-hint`} className="hint">
            {hint}
          </p>
        )}
      </div>
    );
  };
  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Undersampling</h2>
      <div className="field">
        <label htmlFor={`${id}-type`}>{FIELD_LABELS.type}</label>
        <select id={`${id}-type`} data-testid="mask-type" value={form.type} onChange={(e) => onField('type', e.target.value)}>
          {maskTypes.map((t) => (
            <option key={t} value={t}>
              {MASK_TYPE_LABELS[t] ?? t}
            </option>
          ))}
        </select>
        {errors.type && (
          <p className="field-error" role="alert" data-testid="field-error" data-field="type">
            {errors.type}
          </p>
        )}
      </div>
      <div className="field-grid">
        {field('acceleration', 'mask-accel', '1 – 64 ×')}
        {field('centerFraction', 'mask-center', '0 – 1, e.g. 0.08')}
      </div>
      {field('seed', 'mask-seed', 'blank = new random mask each run')}
      <MaskPreview scan={scan} slice={slice} spec={check.ok ? check.spec : null} />
    </section>
  );
}
