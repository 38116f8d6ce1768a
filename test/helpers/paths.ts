import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures');
export const DEMO = join(ROOT, 'assets', 'demo', 'colin27_demo.h5');
export const SINGLECOIL = join(FIXTURES, 'data', 'colin_singlecoil.h5');
export const MULTICOIL = join(FIXTURES, 'data', 'colin_multicoil.h5');
/** A brain no learned method saw in training or tuning (scripts/make_unseen_test_data.py). */
export const UNSEEN_INIA19 = join(FIXTURES, 'unseen', 'inia19_t1_test.h5');
