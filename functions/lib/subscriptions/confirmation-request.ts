import { z } from 'zod';

/**
 * What the sign-up puts on the confirmation queue: ids only (the address hash, the campaign, the
 * sign-up's nonce), never the address, a name or a token. The worker reads the rest from the table.
 */
export const confirmationRequestSchema = z.object({
  emailHmac: z.string().regex(/^[0-9a-f]{64}$/),
  campaignId: z.string().min(1).max(100),
  nonce: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
});
export type ConfirmationRequest = z.infer<typeof confirmationRequestSchema>;

/** The confirmation queue's consumer, the same in AWS (event source mapping, redrive) and locally. */
export const CONFIRMATION_CONSUMER = { batchSize: 10, maxConcurrency: 2, maxReceiveCount: 5 } as const;
