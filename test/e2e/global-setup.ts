// Builds everything the end-to-end tests run: the Node side (engine workers) and the renderer.
// Vitest sets NODE_ENV=test, and Vite keeps a NODE_ENV it finds, so the renderer would be built with
// React's development runtime (jsxDEV, prop validation, dev-only profiling): right for the functional
// suite (React's warnings reach the console and fail the tests), wrong for the browser benchmark, which
// must measure what `npm run build` ships. PERF=1 therefore builds the renderer for production.
// PERF_PREBUILT=1 keeps the renderer already in dist/renderer (A/B runs of two builds under the same load).
export default async function setup(): Promise<void> {
  // @ts-expect-error plain ESM build script without types
  const { buildNode, buildRenderer } = await import('../../scripts/build.mjs');
  await buildNode();
  if (process.env.PERF === '1' && process.env.PERF_PREBUILT === '1') return;
  const before = process.env.NODE_ENV;
  if (process.env.PERF === '1') process.env.NODE_ENV = 'production';
  try {
    await buildRenderer();
  } finally {
    if (before === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = before;
  }
}
