/** New UIDs in the 2.25 arc (a random UUID as one decimal integer), which needs no registered root. */
import { randomUUID } from 'node:crypto';

export function newUid(): string {
  return `2.25.${BigInt('0x' + randomUUID().replace(/-/g, '')).toString()}`;
}
