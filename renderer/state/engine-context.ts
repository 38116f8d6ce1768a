import { createContext, useContext } from 'react';
import type { EngineApi } from '../../src/contract/schemas';

export const EngineContext = createContext<EngineApi | null>(null);

export function useEngine(): EngineApi {
  const api = useContext(EngineContext);
  if (!api) throw new Error('useEngine outside an EngineContext');
  return api;
}

/** One line for any error the engine or the transport threw. */
export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
