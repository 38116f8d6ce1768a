// Worker threads run the built bundles (dist/workers), so build the Node side before any test.
export default async function setup(): Promise<void> {
  // @ts-expect-error plain ESM build script without types
  const { buildNode } = await import('../scripts/build.mjs');
  await buildNode();
}
