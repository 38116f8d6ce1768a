/** The training form: data, run folder, mode (new / resume / fine-tune), architecture, optimiser, loop. */
import { useId, type ReactNode } from 'react';
import { TRAIN_LOSSES, TRAIN_NORMS, TRAIN_OPTIMIZERS } from '../../../src/contract/schemas';
import type { FormErrors, TrainField, TrainForm as Form, TrainMode } from '../../state/training';

const MODES: { mode: TrainMode; label: string }[] = [
  { mode: 'new', label: 'New run' },
  { mode: 'resume', label: 'Resume' },
  { mode: 'finetune', label: 'Fine-tune' },
];

export function TrainingForm({
  form,
  errors,
  disabled,
  onChange,
}: {
  form: Form;
  /** shown once the user tried to start (or edits a field that had an error) */
  errors: FormErrors;
  disabled: boolean;
  onChange(patch: Partial<Form>): void;
}) {
  const id = useId();
  const resume = form.mode === 'resume';
  const text = (
    field: TrainField,
    label: string,
    opts: { placeholder?: string; help?: string; wide?: boolean; numeric?: boolean } = {},
  ): ReactNode => {
    const fid = `${id}-${field}`;
    const err = errors[field];
    return (
      <div className={`field training-field${opts.wide ? ' training-wide' : ''}`}>
        <label htmlFor={fid} title={opts.help}>
          {label}
        </label>
        <input
          id={fid}
          type="text"
          inputMode={opts.numeric ? 'decimal' : 'text'}
          spellCheck={false}
          autoComplete="off"
          value={form[field]}
          placeholder={opts.placeholder}
          title={opts.help}
          disabled={disabled}
          aria-invalid={err ? true : undefined}
          aria-describedby={err ? `${fid}-err` : undefined}
          data-testid={`train-${field}`}
          onChange={(e) => onChange({ [field]: e.target.value })}
        />
        {err && (
          <p id={`${fid}-err`} className="field-error" role="alert" data-testid="field-error" data-field={`train.${field}`}>
            {err}
          </p>
        )}
      </div>
    );
  };
  const choice = <K extends 'norm' | 'optimizer' | 'loss'>(
    field: K,
    label: string,
    options: readonly Form[K][],
    help: string,
  ): ReactNode => (
    <div className="field training-field">
      <label htmlFor={`${id}-${field}`} title={help}>
        {label}
      </label>
      <select
        id={`${id}-${field}`}
        value={form[field]}
        disabled={disabled}
        title={help}
        data-testid={`train-${field}`}
        onChange={(e) => onChange({ [field]: e.target.value } as Partial<Form>)}
      >
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <div className="training-form">
      <fieldset className="training-modes" disabled={disabled}>
        <legend>Run</legend>
        {MODES.map((m) => (
          <label key={m.mode} className="inline-label">
            <input
              type="radio"
              name={`${id}-mode`}
              value={m.mode}
              checked={form.mode === m.mode}
              data-testid={`train-mode-${m.mode}`}
              onChange={() => onChange({ mode: m.mode })}
            />
            {m.label}
          </label>
        ))}
      </fieldset>
      <div className="training-grid">
        {text('out', 'Run folder', {
          wide: true,
          placeholder: '/path/to/runs/my-run',
          help: 'where config.json, metrics.jsonl, checkpoints/ and model.safetensors go',
        })}
        {text('data', resume ? 'Training data (optional)' : 'Training data', {
          wide: true,
          placeholder: 'a scan file or a folder of scans',
          help: 'fastMRI .h5 (or any scan the engine reads); a folder trains on every scan in it',
        })}
        {!resume &&
          text('val', 'Validation data', {
            wide: true,
            placeholder: 'optional: a file or folder',
            help: 'absent: a fifth of the training volumes (none with a single volume)',
          })}
        {form.mode === 'finetune' &&
          text('init', 'Fine-tune from', {
            wide: true,
            placeholder: 'checkpoint, run folder or fastMRI .safetensors',
            help: 'weights to start from',
          })}
      </div>
      {!resume && (
        <>
          <h4 className="training-sub">Architecture</h4>
          <div className="training-grid">
            {text('chans', 'Channels', {
              numeric: true,
              placeholder: form.mode === 'finetune' ? 'from source' : '32',
              help: 'U-Net channels of the first level',
            })}
            {text('pools', 'Pooling levels', {
              numeric: true,
              placeholder: form.mode === 'finetune' ? 'from source' : '4',
              help: 'U-Net depth',
            })}
            {choice('norm', 'Normalisation', TRAIN_NORMS, 'batch, group, instance or layer normalisation after each convolution')}
          </div>
          <h4 className="training-sub">Optimiser</h4>
          <div className="training-grid">
            {choice(
              'optimizer',
              'Optimiser',
              TRAIN_OPTIMIZERS,
              'adam, adamw (decoupled weight decay), rmsprop, sgd (+ momentum)',
            )}
            {text('lr', 'Learning rate', { numeric: true, placeholder: '0.001' })}
            {text('momentum', 'Momentum', { numeric: true, placeholder: 'default', help: 'sgd and rmsprop momentum, in [0, 1)' })}
            {text('weightDecay', 'Weight decay', {
              numeric: true,
              placeholder: 'default',
              help: 'adamw: decoupled weight decay',
            })}
            {choice('loss', 'Loss', TRAIN_LOSSES, 'l1, 1 − SSIM, or a mix of both')}
          </div>
        </>
      )}
      <h4 className="training-sub">Loop</h4>
      <div className="training-grid">
        {text('epochs', resume ? 'Epochs (total)' : 'Epochs', {
          numeric: true,
          placeholder: resume ? "the run's" : '10',
          help: resume ? 'raise it to train a finished run further' : undefined,
        })}
        {!resume &&
          text('batch', 'Batch', { numeric: true, placeholder: '1', help: 'slices per optimiser step (gradient accumulation)' })}
        {!resume &&
          text('accelerations', 'Accelerations', { placeholder: '4, 8', help: 'one or more; each sample draws one at random' })}
        {!resume &&
          text('maxSlices', 'Slices per volume', {
            numeric: true,
            placeholder: 'all',
            help: 'the central slices of each volume',
          })}
        {!resume && text('patch', 'Patch', { numeric: true, placeholder: 'whole slices', help: 'train on random P × P patches' })}
      </div>
    </div>
  );
}
