import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { vi } from 'vitest';
import { describeApprovalRoutes } from '@/tests/helpers/approvals-route-suite';
import { describeRunRoutes } from '@/tests/helpers/runs-route-suite';

// The embedded default: SQLite, and the run log written through to SQLite beside it.
process.env.MAESTRO_DATA_DIR = mkdtempSync(path.join(os.tmpdir(), 'maestro-runs-'));
process.env.MAESTRO_RUN_TIMEOUT_MS = '5000';
process.env.MAESTRO_RUN_LEASE_MS = '1000';
process.env.MAESTRO_WORKSPACE_DIR = mkdtempSync(path.join(os.tmpdir(), 'maestro-workspace-'));
process.env.MAESTRO_OFFLINE_DELAY_MS = '0';
process.env.MAESTRO_RATE_LIMIT_PER_MINUTE = '0';

vi.mock('@/lib/models/registry', async (original) => (await import('@/tests/helpers/models')).pacedRegistry(original));

describeRunRoutes('SQLite, run log persisted');
describeApprovalRoutes('SQLite, run log persisted', { sharedRunLog: true });
