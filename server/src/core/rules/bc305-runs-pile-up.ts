import { tierOf } from '../data';
import { spanOf } from '../yaml-ast';
import { defineRule } from './rule';
import { inheritedNote, stageLabel } from './helpers';

/** An interval in words: "10 minutes", "2 hours", "1 day". */
function every(minutes: number): string {
  const unit = (n: number, word: string) => `${Number.isInteger(n) ? n : n.toFixed(1)} ${word}${n === 1 ? '' : 's'}`;
  if (minutes % 1440 === 0) return unit(minutes / 1440, 'day');
  if (minutes % 60 === 0) return unit(minutes / 60, 'hour');
  return unit(minutes, 'minute');
}

export const bc305 = defineRule({
  meta: {
    code: 'BC305',
    slug: 'runs-pile-up',
    category: 'cost',
    defaultSeverity: 'warning',
    summary: 'A run lasts longer than the runs the size tier can hold at once: runs pile up.',
    messages: {
      pileUp:
        'Stage {stage} starts a run every {interval} ({from}) and each lasts {minutes} minutes, so {inFlight} runs are in flight at once; size {size}{inherited} runs {capacity} at a time (concurrency {concurrency}{replicas}). Runs pile up: shorten them, run less often, or pick a size with more concurrency.',
    },
    perStage: true,
    fixable: false,
    // The size tier's concurrency is half of it: listed with the stage's runner in the preview.
    concernsRunner: true,
  },
  check(ctx) {
    for (const v of ctx.verdicts) {
      const stage = v.stage;
      const duration = stage.estimate.durationMinutes;
      // Only a declared duration counts, never a workload default (spec §5, BC305).
      if (!duration || !(duration.value > 0)) continue;
      const size = v.declared.size;
      const tier = tierOf(ctx.policy, size);
      if (!size || !tier?.concurrency) continue;
      // The cron expression's shortest gap; without one it can read, the declared runs a day.
      let interval = stage.cron ? stage.cronInterval : undefined;
      let from = stage.cron ? `schedule.cron "${stage.cron.value.slice(0, 40)}"` : '';
      if (interval === undefined) {
        const runs = stage.estimate.runsPerDay?.value;
        interval = runs !== undefined && runs > 0 ? 1440 / runs : undefined;
        from = `${runs} runs a day`;
      }
      if (interval === undefined || !(interval > 0)) continue;
      const replicas = v.declared.class === 'container' ? (stage.estimate.replicas?.value ?? 1) : 1;
      // Fewer than one replica is BC002's.
      if (!(replicas >= 1)) continue;
      const capacity = tier.concurrency * replicas;
      const inFlight = Math.ceil(duration.value / interval);
      if (inFlight <= capacity) continue;
      ctx.report({
        messageId: 'pileUp',
        data: {
          stage: stageLabel(stage),
          interval: every(interval),
          from,
          minutes: duration.value,
          inFlight,
          size,
          inherited: inheritedNote(stage, 'size'),
          capacity,
          concurrency: tier.concurrency,
          replicas: replicas === 1 ? '' : ` × ${replicas} replicas`,
        },
        span: spanOf(duration.node)!,
      });
    }
  },
});
