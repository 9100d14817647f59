import { z } from 'zod';

/** Messages a panel page may send. Anything else is dropped (and logged without its content). */
const money = z.number().finite();
const runner = z.string().regex(/^[a-z][a-z0-9-]{0,40}$/);

export const panelMessage = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({
    type: z.literal('apply'),
    documentIndex: z.number().int().min(0),
    stageIndex: z.number().int().min(0),
    class: runner,
    size: runner,
    network: runner,
  }),
  z.strictObject({
    type: z.literal('setEstimate'),
    documentIndex: z.number().int().min(0),
    stageIndex: z.number().int().min(0),
    estimate: z.strictObject({
      runsPerDay: money.min(0).max(1e6).optional(),
      durationMinutes: money.min(0).max(1e5).optional(),
      dataGb: money.min(0).max(1e9).optional(),
      replicas: z.number().int().min(1).max(1000).optional(),
    }),
  }),
  z.strictObject({ type: z.literal('export'), format: z.enum(['csv', 'markdown']) }),
  z.strictObject({ type: z.literal('reveal'), documentIndex: z.number().int().min(0), stageIndex: z.number().int().min(0) }),
  z.strictObject({ type: z.literal('applyRecommendation'), documentIndex: z.number().int().min(0), stageIndex: z.number().int().min(0) }),
  z.strictObject({ type: z.literal('applyAllRecommendations') }),
]);

export type PanelMessage = z.infer<typeof panelMessage>;

/**
 * Validates a message from a panel page. A message that fails is dropped and logged by count of
 * issues only: its content may be anything a hostile manifest managed to put on the page.
 */
export function acceptPanelMessage(raw: unknown, page: string, log: (line: string) => void): PanelMessage | undefined {
  const parsed = panelMessage.safeParse(raw);
  if (parsed.success) return parsed.data;
  log(`BareCount: dropped a message from the ${page} panel that failed validation (${parsed.error.issues.length} issue(s)).`);
  return undefined;
}
