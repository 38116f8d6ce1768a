/**
 * Desktop settings (window bounds, last export folder) in a JSON file under Electron's userData.
 * Read defensively — a corrupt or hand-edited file falls back to defaults instead of breaking start-up —
 * and written atomically so a crash never leaves half a file.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { writeFileAtomically } from '../src/io/atomic';

const BoundsSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(400).max(20000),
  height: z.number().int().min(300).max(20000),
});

export const SettingsSchema = z.object({
  window: BoundsSchema.extend({ maximized: z.boolean() }).optional(),
  exportDirectory: z.string().max(4096).optional(),
});
export type Settings = z.infer<typeof SettingsSchema>;

export function loadSettings(path: string): Settings {
  try {
    const parsed = SettingsSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

export async function saveSettings(path: string, settings: Settings): Promise<void> {
  await writeFileAtomically(path, JSON.stringify(SettingsSchema.parse(settings), null, 1));
}
