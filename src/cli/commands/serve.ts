import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Engine } from '../../engine/engine';
import { packageRoot } from '../../engine/worker-path';
import { startServer } from '../../server/server';
import { num, parse } from '../args';
import { UsageError } from '../errors';

export const help = `mri-recon serve [--port P] [--host 127.0.0.1]
  Serves the workstation UI and engine to a browser. Prints "Open <url>" with the launch token.
  Binding to anything but loopback exposes the engine to the network: only do that on a trusted one.`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, { port: { type: 'string' }, host: { type: 'string' } }, false);
  if (values.help) return (console.log(help), 0);
  const port = num(values.port as string | undefined, 'port', 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0..65535, got ${port}`);
  const rendererDir = join(packageRoot(), 'dist', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    console.error('building the renderer (first run)…');
    const { buildRenderer } = (await import(pathToFileURL(join(packageRoot(), 'scripts', 'build.mjs')).href)) as {
      buildRenderer: () => Promise<void>;
    };
    await buildRenderer();
  }
  const engine = new Engine({ uploads: true });
  const srv = await startServer(engine, { port, host: (values.host as string | undefined) ?? '127.0.0.1', rendererDir });
  console.log(`Open ${srv.url}`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await srv.close();
  await engine.close();
  return 0;
}
