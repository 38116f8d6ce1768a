/**
 * The one contract between the renderer and the engine: every request, response and event as a zod
 * schema, with the TypeScript types inferred from them. Electron IPC, the WebSocket server and the CLI
 * all validate against these same schemas where messages enter the engine. This folder is shared by
 * the Node and web builds, so it imports nothing but zod.
 */
import { z } from 'zod';

const finite = () => z.number().finite();
const posInt = (max: number) => z.number().int().positive().max(max);

// ---- domain values ----------------------------------------------------------------------------

export const MaskTypeSchema = z.enum([
  'random',
  'equispaced',
  'equispaced_fraction',
  'magic',
  'magic_fraction',
  'gaussian2d',
  'poisson2d',
  'custom',
  'none',
]);
export type MaskType = z.infer<typeof MaskTypeSchema>;

export const MaskSpecSchema = z
  .object({
    type: MaskTypeSchema,
    acceleration: finite().min(1, 'acceleration must be ≥ 1').max(64, 'acceleration must be ≤ 64').default(4),
    centerFraction: finite().gt(0, 'centerFraction must be in (0, 1)').lt(1, 'centerFraction must be in (0, 1)').default(0.08),
    /** integer seed, or a file name (fastMRI's tuple(map(ord, name))); absent = fresh random mask */
    seed: z
      .union([
        z
          .number()
          .int()
          .min(0)
          .max(2 ** 32 - 1),
        z.string().min(1).max(256),
      ])
      .optional(),
    accelerationY: finite().min(1).max(16).optional(),
    accelerationZ: finite().min(1).max(16).optional(),
    calibration: z.number().int().min(0).max(256).optional(),
    /** custom masks (drawn or loaded): 0/1 per column (1-D) or per k-space sample (2-D) */
    data: z
      .custom<Uint8Array>((v) => v instanceof Uint8Array && v.length <= 8192 * 8192, 'expected a Uint8Array mask')
      .optional(),
    dataShape: z.union([z.tuple([posInt(8192)]), z.tuple([posInt(8192), posInt(8192)])]).optional(),
  })
  .strict()
  .refine((m) => m.type !== 'custom' || (m.data !== undefined && m.dataShape !== undefined), {
    message: 'a custom mask needs data and dataShape',
    path: ['data'],
  });
export type MaskSpec = z.infer<typeof MaskSpecSchema>;

export const ReconMethodNameSchema = z.enum(['zf', 'cs-tv', 'cs-wavelet', 'unet', 'varnet']);
/** cs-tv's TV: per slice (2-D) or across slices (3-D) */
export const TV_DIMS = ['2d', '3d'] as const;
export type ReconMethodName = z.infer<typeof ReconMethodNameSchema>;

export const MethodSpecSchema = z
  .object({
    method: ReconMethodNameSchema,
    lambda: finite().min(0, 'lambda must be ≥ 0').max(1e6).optional(),
    iterations: z.number().int().min(1, 'iterations must be ≥ 1').max(100_000).optional(),
    maps: z.enum(['espirit', 'lowres']).optional(),
    /** learned methods: a run folder, a checkpoint or a fastMRI .safetensors; absent = the bundled model */
    model: z.string().min(1).max(4096).optional(),
    /**
     * cs-tv: total variation of each slice ('2d', the default) or across slices too ('3d': the whole
     * volume in one solve, one job task; exploits through-plane redundancy)
     */
    tv: z.enum(TV_DIMS).optional(),
    /**
     * cs-tv: weight of the through-plane differences of the 3-D TV (in-plane spacing / slice spacing
     * makes it isotropic in mm; 0 decouples the slices); default 1; has no effect with tv '2d'
     */
    tvZWeight: finite().min(0, 'tvZWeight must be ≥ 0').max(100, 'tvZWeight must be ≤ 100').optional(),
  })
  .strict()
  .superRefine((m, ctx) => {
    for (const key of ['tv', 'tvZWeight'] as const) {
      if (m[key] !== undefined && m.method !== 'cs-tv') {
        ctx.addIssue({ code: 'custom', path: [key], message: `${key} applies to cs-tv only, not ${m.method}` });
      }
    }
  });
export type MethodSpec = z.infer<typeof MethodSpecSchema>;

/** What the UI needs to draw a method's parameter form; the engine owns the defaults. */
export const MethodParamSchema = z.object({
  name: z.enum(['lambda', 'iterations', 'maps', 'model', 'tv', 'tvZWeight']),
  label: z.string(),
  kind: z.enum(['number', 'integer', 'choice', 'text']),
  default: z.union([z.number(), z.string()]).nullable(),
  min: z.number().optional(),
  max: z.number().optional(),
  log: z.boolean().optional(),
  choices: z.array(z.string()).optional(),
  help: z.string(),
  /** the parameter applies only while another (choice) parameter has this value; else the form omits it */
  enabledWhen: z.object({ param: z.string(), value: z.string() }).optional(),
});
export type MethodParam = z.infer<typeof MethodParamSchema>;
export const MethodDescriptionSchema = z.object({
  method: ReconMethodNameSchema,
  label: z.string(),
  description: z.string(),
  params: z.array(MethodParamSchema),
  /** false for a method that needs something the user must supply first (a trained VarNet) */
  runnableAsIs: z.boolean(),
});
export type MethodDescription = z.infer<typeof MethodDescriptionSchema>;

export const MetricsSchema = z.object({ nmse: z.number(), psnr: z.number(), ssim: z.number() });
export type Metrics = z.infer<typeof MetricsSchema>;

export const ScanInfoSchema = z.object({
  scanId: z.string(),
  path: z.string(),
  name: z.string(),
  format: z.enum(['fastmri', 'ismrmrd', 'dicom', 'nifti']),
  slices: z.number().int(),
  coils: z.number().int(),
  /** k-space matrix: rows (readout) × columns (phase encode) */
  kspaceShape: z.tuple([z.number().int(), z.number().int()]),
  /** image size reconstructions are cropped to (the target's, or the header's recon matrix) */
  imageShape: z.tuple([z.number().int(), z.number().int()]),
  hasTarget: z.boolean(),
  targetKey: z.string().nullable(),
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
});
export type ScanInfo = z.infer<typeof ScanInfoSchema>;

export const ImageSchema = z.object({
  width: z.number().int(),
  height: z.number().int(),
  data: z.custom<Float32Array>((v) => v instanceof Float32Array, 'expected a Float32Array'),
  min: z.number(),
  max: z.number(),
});
export type Image = z.infer<typeof ImageSchema>;

export const MaskInfoSchema = z.object({
  dims: z.union([z.literal(1), z.literal(2)]),
  width: z.number().int(),
  height: z.number().int(),
  data: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected a Uint8Array'),
  numLowFrequencies: z.number().int(),
  acceleration: z.number(),
  sampledFraction: z.number(),
});
export type MaskInfo = z.infer<typeof MaskInfoSchema>;

export const ReconSummarySchema = z.object({
  resultId: z.string(),
  scanId: z.string(),
  method: MethodSpecSchema,
  mask: MaskSpecSchema,
  slices: z.number().int(),
  imageShape: z.tuple([z.number().int(), z.number().int()]),
  /** null when the scan has no reference to compare with */
  volume: MetricsSchema.nullable(),
  perSlice: z.array(MetricsSchema).nullable(),
  mask1d: MaskInfoSchema.omit({ data: true }),
  elapsedMs: z.number(),
  cached: z.boolean(),
  /** true when every slice has a complex image (the phase view is available) */
  hasPhase: z.boolean(),
});
export type ReconSummary = z.infer<typeof ReconSummarySchema>;

/** paused: a training job asked to pause (train.pause); it waits after its current step until resumed */
export const JobStateSchema = z.enum(['queued', 'running', 'paused', 'done', 'failed', 'cancelled']);
export const JobInfoSchema = z.object({
  jobId: z.string(),
  kind: z.string(),
  label: z.string(),
  state: JobStateSchema,
  fraction: z.number(),
  startedAt: z.number().nullable(),
  error: z.string().nullable(),
});
export type JobInfo = z.infer<typeof JobInfoSchema>;

const ScanRef = z.object({ scanId: z.string().min(1).max(200) }).strict();

// ---- training (train.start / train.pause / train.runs; events train.event / train.done) --------

/** Choices mirrored from src/train and src/models (src/engine/train-jobs.ts checks they match at compile time). */
export const TRAIN_NORMS = ['instance', 'group', 'batch', 'layer', 'none'] as const;
export const TRAIN_OPTIMIZERS = ['adam', 'adamw', 'rmsprop', 'sgd'] as const;
export const TRAIN_LOSSES = ['l1', 'ssim', 'mix'] as const;
export const TRAIN_SCHEDULES = ['constant', 'step', 'cosine'] as const;
export const TRAIN_BACKENDS = ['tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export const TrainMaskTypeSchema = MaskTypeSchema.exclude(['custom']);

const pathString = () => z.string().min(1).max(4096);
const bounded = (name: string, lo: number, hi: number) =>
  finite().min(lo, `${name} must be ≥ ${lo}`).max(hi, `${name} must be ≤ ${hi}`);
const boundedInt = (name: string, lo: number, hi: number) =>
  z.number().int(`${name} must be an integer`).min(lo, `${name} must be ≥ ${lo}`).max(hi, `${name} must be ≤ ${hi}`);

export const TrainStartSchema = z
  .object({
    /** a scan file or a folder of scans (required unless resuming) */
    data: pathString().optional(),
    /** validation scans; absent = a split of the training volumes (none with a single volume) */
    val: pathString().optional(),
    /** the run folder (created when missing) */
    out: pathString(),
    /** continue the run in `out` from its newest checkpoint (its config.json rules; epochs may grow) */
    resume: z.boolean().optional(),
    /** fine-tune: start from this checkpoint, run folder or fastMRI .safetensors */
    init: pathString().optional(),
    model: z.enum(['unet', 'varnet']).optional(),
    chans: boundedInt('chans', 1, 1024).optional(),
    pools: boundedInt('pools', 1, 8).optional(),
    norm: z.enum(TRAIN_NORMS).optional(),
    dropout: finite().min(0, 'dropout must be in [0, 1)').lt(1, 'dropout must be in [0, 1)').optional(),
    /** VarNet: cascades and its sensitivity U-Net */
    cascades: z.number().int().min(1).max(32).optional(),
    sensChans: z.number().int().min(1).max(256).optional(),
    sensPools: z.number().int().min(1).max(8).optional(),
    optimizer: z.enum(TRAIN_OPTIMIZERS).optional(),
    lr: finite().gt(0, 'lr must be positive').max(10, 'lr must be ≤ 10').optional(),
    weightDecay: bounded('weightDecay', 0, 1).optional(),
    momentum: finite().min(0, 'momentum must be in [0, 1)').lt(1, 'momentum must be in [0, 1)').optional(),
    schedule: z.enum(TRAIN_SCHEDULES).optional(),
    warmup: boundedInt('warmup', 0, 1_000_000).optional(),
    stepSize: boundedInt('stepSize', 1, 1_000_000).optional(),
    gamma: finite().gt(0, 'gamma must be positive').max(1, 'gamma must be ≤ 1').optional(),
    clip: finite().gt(0, 'clip must be positive').max(1e6).optional(),
    loss: z.enum(TRAIN_LOSSES).optional(),
    ssimWeight: bounded('ssimWeight', 0, 1).optional(),
    epochs: boundedInt('epochs', 1, 100_000).optional(),
    batch: boundedInt('batch', 1, 1024).optional(),
    mask: TrainMaskTypeSchema.optional(),
    accelerations: z
      .array(bounded('accelerations', 1, 64))
      .min(1)
      .max(8)
      .optional(),
    centerFractions: z
      .array(finite().gt(0, 'centerFractions must be in (0, 1)').lt(1, 'centerFractions must be in (0, 1)'))
      .min(1)
      .max(8)
      .optional(),
    /** train on random patch × patch windows */
    patch: boundedInt('patch', 8, 4096).optional(),
    maxSlices: boundedInt('maxSlices', 1, 100_000).optional(),
    valMaxSlices: boundedInt('valMaxSlices', 1, 100_000).optional(),
    valFraction: finite().gt(0, 'valFraction must be in (0, 1)').lt(1, 'valFraction must be in (0, 1)').optional(),
    checkpointEvery: boundedInt('checkpointEvery', 1, 1_000_000).optional(),
    seed: boundedInt('seed', 0, 2 ** 32 - 1).optional(),
    backend: z.enum(TRAIN_BACKENDS).optional(),
    /** stop after this many optimiser steps in this invocation (tests, quick trials); resume continues */
    maxSteps: boundedInt('maxSteps', 1, 1000).optional(),
  })
  .strict()
  .refine((p) => p.resume === true || p.data !== undefined, { message: 'data is required for a new run', path: ['data'] });
export type TrainStartParams = z.input<typeof TrainStartSchema>;

const nullableNumber = () => z.number().nullable();
export const TrainMetricsSchema = z.object({ nmse: nullableNumber(), psnr: nullableNumber(), ssim: nullableNumber() });
export const TrainValSchema = TrainMetricsSchema.extend({
  loss: nullableNumber(),
  zf: TrainMetricsSchema,
  volumes: z.number().int(),
});
export type TrainVal = z.infer<typeof TrainValSchema>;

/** What the trainer reports, small (no tensors); non-finite numbers travel as null. */
export const TrainEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('step'),
    step: z.number().int(),
    epoch: z.number().int(),
    loss: nullableNumber(),
    lr: z.number(),
    gradNorm: nullableNumber(),
    slices: z.number().int(),
    ms: z.number(),
  }),
  z.object({
    type: z.literal('epoch'),
    epoch: z.number().int(),
    step: z.number().int(),
    trainLoss: nullableNumber(),
    val: TrainValSchema.nullable(),
    ms: z.number(),
  }),
  z.object({ type: z.literal('checkpoint'), step: z.number().int(), epoch: z.number().int(), path: z.string() }),
  z.object({ type: z.literal('log'), message: z.string() }),
  /** the job stopped between steps after train.pause (paused: true), or went on after a resume (false) */
  z.object({ type: z.literal('paused'), paused: z.boolean(), step: z.number().int() }),
  /** first event of a job: what the run will do (epochs is the run's total, resumed or not) */
  z.object({ type: z.literal('start'), out: z.string(), epochs: z.number().int(), resume: z.boolean(), model: z.string() }),
]);
export type TrainEventPayload = z.infer<typeof TrainEventSchema>;

export const TrainRunSchema = z.object({
  path: z.string(),
  name: z.string(),
  /** config.json's modification time (ms since the epoch); null when unreadable */
  modifiedAt: z.number().nullable(),
  config: z
    .object({
      model: z.string(),
      chans: z.number().int().nullable(),
      pools: z.number().int().nullable(),
      norm: z.string().nullable(),
      optimizer: z.string(),
      lr: z.number(),
      epochs: z.number().int(),
      batch: z.number().int(),
      loss: z.string(),
      data: z.array(z.string()),
      init: z.string().nullable(),
    })
    .nullable(),
  last: z
    .object({
      step: z.number().int().nullable(),
      loss: nullableNumber(),
      epoch: z.number().int().nullable(),
      trainLoss: nullableNumber(),
      val: TrainValSchema.nullable(),
    })
    .nullable(),
  checkpoints: z.number().int(),
  /** model.safetensors (a finished run), else the newest checkpoint; null = nothing to load yet */
  modelPath: z.string().nullable(),
  finished: z.boolean(),
  /** why the folder could not be read fully (broken config.json, …) */
  error: z.string().optional(),
});
export type TrainRun = z.infer<typeof TrainRunSchema>;

// ---- requests: name → params schema and result schema ----------------------------------------

export const requests = {
  'engine.info': {
    params: z.object({}).strict(),
    result: z.object({
      version: z.string(),
      backend: z.string(),
      threads: z.number().int(),
      methods: z.array(ReconMethodNameSchema),
      methodInfo: z.array(MethodDescriptionSchema),
      maskTypes: z.array(MaskTypeSchema),
      demoAvailable: z.boolean(),
      /** server mode accepts dropped files at POST /upload; Electron reads paths directly */
      uploads: z.boolean(),
      /** a writable folder on the engine's machine for exports (the UI's default) */
      defaultExportDir: z.string(),
    }),
  },
  'scan.open': {
    params: z.union([z.object({ path: z.string().min(1).max(4096) }).strict(), z.object({ demo: z.literal(true) }).strict()]),
    result: ScanInfoSchema,
  },
  'scan.image': {
    params: ScanRef.extend({
      slice: z.number().int().min(0),
      /** target: the file's reference image (or the fully sampled RSS when it has none) */
      view: z.enum(['target', 'kspace']),
    }).strict(),
    result: ImageSchema,
  },
  'mask.make': {
    params: z
      .object({
        spec: MaskSpecSchema,
        height: posInt(8192),
        width: posInt(8192),
      })
      .strict(),
    result: MaskInfoSchema,
  },
  'recon.start': {
    params: ScanRef.extend({
      mask: MaskSpecSchema,
      method: MethodSpecSchema,
    }).strict(),
    result: z.object({ jobId: z.string() }),
  },
  'recon.image': {
    params: z
      .object({
        resultId: z.string().min(1).max(200),
        slice: z.number().int().min(0),
        /** kspace: log-magnitude of fft2c(reconstruction); phase: of the complex image, when the method has one */
        view: z.enum(['recon', 'error', 'kspace', 'phase']),
      })
      .strict(),
    result: ImageSchema,
  },
  'recon.export': {
    params: z
      .object({
        resultIds: z.array(z.string().min(1).max(200)).min(1).max(32),
        format: z.enum(['dicom', 'nifti', 'png', 'h5']),
        /** a folder on the engine's machine; each result goes into its own file or sub-folder */
        directory: z.string().min(1).max(4096),
      })
      .strict(),
    result: z.object({ files: z.array(z.string()) }),
  },
  'scan.metadata': {
    params: ScanRef,
    result: z.object({
      groups: z.array(z.object({ name: z.string(), entries: z.array(z.object({ key: z.string(), value: z.string() })) })),
    }),
  },
  'job.cancel': {
    params: z.object({ jobId: z.string().min(1).max(200) }).strict(),
    result: z.object({ cancelled: z.boolean() }),
  },
  'job.list': {
    params: z.object({}).strict(),
    result: z.array(JobInfoSchema),
  },
  'train.start': {
    params: TrainStartSchema,
    result: z.object({ jobId: z.string() }),
  },
  /**
   * Pauses (paused: true) or resumes a training job. The job finishes its current step, then waits
   * (train.event 'paused' says when); job.cancel still works while paused and checkpoints as usual.
   * The result is the job's pause state now: false once the job has ended.
   */
  'train.pause': {
    params: z.object({ jobId: z.string().min(1).max(200), paused: z.boolean() }).strict(),
    result: z.object({ paused: z.boolean() }),
  },
  'train.runs': {
    params: z.object({ directory: pathString() }).strict(),
    result: z.object({ directory: z.string(), runs: z.array(TrainRunSchema) }),
  },
} as const;

export type RequestName = keyof typeof requests;
export type RequestParams<N extends RequestName> = z.input<(typeof requests)[N]['params']>;
export type ParsedParams<N extends RequestName> = z.output<(typeof requests)[N]['params']>;
export type RequestResult<N extends RequestName> = z.output<(typeof requests)[N]['result']>;
export const REQUEST_NAMES = Object.keys(requests) as RequestName[];

// ---- events: engine → renderer -----------------------------------------------------------------

export const events = {
  'job.progress': z.object({
    jobId: z.string(),
    fraction: z.number(),
    message: z.string(),
    elapsedMs: z.number(),
    remainingMs: z.number().nullable(),
  }),
  'job.log': z.object({ jobId: z.string(), message: z.string() }),
  'job.result': z.object({ jobId: z.string(), result: ReconSummarySchema }),
  'job.error': z.object({ jobId: z.string(), error: z.string(), cancelled: z.boolean() }),
  'train.event': z.object({ jobId: z.string(), event: TrainEventSchema }),
  /** a training job's end (cancelled included: it stopped at a checkpoint); failures are job.error */
  'train.done': z.object({
    jobId: z.string(),
    out: z.string(),
    steps: z.number().int(),
    epochs: z.number().int(),
    cancelled: z.boolean(),
    /** model.safetensors when the run finished, else null (resume continues) */
    modelPath: z.string().nullable(),
    /** the best validation PSNR seen in this job, with its epoch */
    bestVal: TrainMetricsSchema.extend({ epoch: z.number().int() }).optional(),
    elapsedMs: z.number(),
  }),
} as const;

export type EventName = keyof typeof events;
export type EventPayload<N extends EventName> = z.infer<(typeof events)[N]>;
export type AnyEvent = { [N in EventName]: { event: N; payload: EventPayload<N> } }[EventName];

// ---- envelopes ---------------------------------------------------------------------------------

export const ErrorCodeSchema = z.enum(['invalid_request', 'not_found', 'bad_input', 'cancelled', 'internal', 'unauthorized']);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;
export interface EngineError {
  code: ErrorCode;
  message: string;
}
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: EngineError };

/** A request as it travels over a transport (the id pairs it with its response). */
export const RequestEnvelopeSchema = z
  .object({
    id: z.number().int().nonnegative(),
    method: z.string().max(100),
    params: z.unknown(),
  })
  .strict();
export type RequestEnvelope = z.infer<typeof RequestEnvelopeSchema>;
export type ResponseEnvelope = { id: number } & Outcome<unknown>;

/** What the renderer calls: the same task-level API whichever transport sits underneath. */
export type EngineApi = {
  [N in RequestName]: (params: RequestParams<N>) => Promise<RequestResult<N>>;
};

/** Formats a zod error as one line naming the offending field. */
export function describeZodError(err: z.ZodError): string {
  return err.issues
    .map((i) => {
      const where = i.path.length ? i.path.join('.') : 'request';
      return `${where}: ${i.message}`;
    })
    .join('; ');
}

// the preload's zod-free name list must name exactly the contract's requests
type NameList = (typeof import('./names').REQUEST_NAME_LIST)[number];
const _namesMatch: [NameList] extends [RequestName] ? ([RequestName] extends [NameList] ? true : never) : never = true;
void _namesMatch;
