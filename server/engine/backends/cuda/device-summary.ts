/**
 * An output's statistics from a summary run, by the same code as the CPU backend's (summarizeSorted):
 * its sorted values stay on the device and are read through a SortedSample that answers from what the
 * device has said so far. The summary is computed in rounds: a round notes every rank and count it
 * lacked, the device answers them all in one question each, and the next round gets further. An unknown
 * value reads as NaN, which makes everything computed from it NaN too, and a count at NaN is answered
 * here (0, as the CPU's search gives), so no question is ever asked about a placeholder, and a round
 * that asked nothing used no placeholder. The first round asks for order statistics, the second for
 * counts at bin edges and cdf points, the third has every answer.
 */
import type { SortedSample } from '../../statistics/histogram';
import { type OutputSummary, summarizeSorted } from '../../statistics/summary';
import type { DeviceSummaryRun, OutputFacts } from './summary-run';

/** summarizeSorted needs three rounds; more would mean it asks for something that depends on itself. */
const MAX_ROUNDS = 4;

export async function summarizeOnDevice(
  run: DeviceSummaryRun,
  j: number,
  facts: OutputFacts,
): Promise<OutputSummary> {
  const sample = new AnsweredSample(facts.numeric);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const summary = summarizeSorted(facts.moments, sample);
    if (!sample.hasQuestions()) return summary;
    await sample.ask(run, j);
  }
  throw new Error('internal: the summary kept asking the device new questions');
}

class AnsweredSample implements SortedSample {
  private readonly values = new Map<number, number>();
  private readonly below = new Map<number, number>();
  private readonly atOrBelow = new Map<number, number>();
  private readonly questions = {
    ranks: new Set<number>(),
    below: new Set<number>(),
    atOrBelow: new Set<number>(),
  };

  constructor(readonly length: number) {}

  at(i: number): number {
    if (!(Number.isInteger(i) && i >= 0 && i < this.length))
      throw new Error(`internal: rank ${i} of ${this.length}`);
    return known(this.values, i, this.questions.ranks);
  }

  countBelow(x: number): number {
    return this.beyondNumbers(x) ?? known(this.below, x, this.questions.below);
  }

  countAtOrBelow(x: number): number {
    return this.beyondNumbers(x) ?? known(this.atOrBelow, x, this.questions.atOrBelow);
  }

  /**
   * The count at a key that is not a number the values could equal (edges of a range that overflowed,
   * or a placeholder), as the CPU's binary searches give it; the device is never asked about these.
   */
  private beyondNumbers(x: number): number | undefined {
    if (x === Number.POSITIVE_INFINITY) return this.length;
    if (Number.isNaN(x) || x === Number.NEGATIVE_INFINITY) return 0;
    return undefined;
  }

  hasQuestions(): boolean {
    const { ranks, below, atOrBelow } = this.questions;
    return ranks.size + below.size + atOrBelow.size > 0;
  }

  async ask(run: DeviceSummaryRun, j: number): Promise<void> {
    const ranks = [...this.questions.ranks];
    const below = [...this.questions.below];
    const atOrBelow = [...this.questions.atOrBelow];
    const [values, counts, inclusiveCounts] = await Promise.all([
      ranks.length > 0 ? run.valuesAt(j, ranks) : [],
      below.length > 0 ? run.countsBelow(j, below, false) : [],
      atOrBelow.length > 0 ? run.countsBelow(j, atOrBelow, true) : [],
    ]);
    for (const [i, rank] of ranks.entries()) this.values.set(rank, values[i]);
    for (const [i, x] of below.entries()) this.below.set(x, counts[i]);
    for (const [i, x] of atOrBelow.entries()) this.atOrBelow.set(x, inclusiveCounts[i]);
    for (const asked of Object.values(this.questions)) asked.clear();
  }
}

/** The answer for `key`, or NaN with the question noted for the next round. */
function known(answers: Map<number, number>, key: number, questions: Set<number>): number {
  const answer = answers.get(key);
  if (answer !== undefined) return answer;
  questions.add(key);
  return Number.NaN;
}
