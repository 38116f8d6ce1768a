// Builds everything the end-to-end tests run: the Node side (engine workers) and the renderer.
export default async function setup(): Promise<void> {
  // @ts-expect-error plain ESM build script without types
  const { buildNode, buildRenderer } = await import('../../scripts/build.mjs');
  await buildNode();
  await buildRenderer();
}
