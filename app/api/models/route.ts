import { handleErrors } from '@/lib/http/errors';
import { listModels } from '@/lib/models/registry';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = handleErrors(async () => Response.json(listModels()));
