import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { config as zodConfig } from 'zod';
import { App } from './components/App';
import './styles.css';

// The CSP forbids eval: keep zod (the contract's schemas, used for form checks) off its `new Function` path.
zodConfig({ jitless: true });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
