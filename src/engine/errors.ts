import type { EngineError, ErrorCode } from '../contract/schemas';

/** An error that already knows which contract error code it maps to. */
export class EngineFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EngineFailure';
  }
}

/**
 * Maps anything thrown inside the engine to the contract's error shape. Problems with the user's input
 * (RangeError from parameter checks, reader errors) are `bad_input`; programming errors stay `internal`
 * so they are not mistaken for the user's fault.
 */
export function toEngineError(e: unknown): EngineError {
  if (e instanceof EngineFailure) return { code: e.code, message: e.message };
  if (e instanceof TypeError || e instanceof ReferenceError || e instanceof SyntaxError) {
    return { code: 'internal', message: `internal error: ${e.message}` };
  }
  if (e instanceof Error) {
    if (e.name === 'CancelledError') return { code: 'cancelled', message: 'cancelled' };
    return { code: 'bad_input', message: oneLine(e.message) };
  }
  return { code: 'internal', message: oneLine(String(e)) };
}

export function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').slice(0, 500);
}
