import { z } from 'zod';

/**
 * POST /api/chats/{id}/approvals: the answer to one tool call waiting for approval. `alwaysAllow`
 * (with `approved: true`) also lets that tool's later calls in this chat run without asking.
 */
export const postApprovalSchema = z
  .strictObject({
    approvalId: z.string().min(1).max(200),
    approved: z.boolean(),
    reason: z.string().trim().max(1_000).optional(),
    alwaysAllow: z.boolean().optional(),
  })
  .refine((body) => !(body.alwaysAllow && !body.approved), { message: 'alwaysAllow goes with approved: true', path: ['alwaysAllow'] });

export type PostApprovalBody = z.infer<typeof postApprovalSchema>;
