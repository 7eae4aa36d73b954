/**
 * Stacking of horizontal labels into lanes so that labels close in time do not overlap: a label
 * takes the first lane whose previous label has ended (by an estimate of its drawn width). When
 * every lane is busy it takes the lane that frees first, and the label before it there is
 * shortened to end where it starts (the tables below the charts keep every text whole).
 */

/** Plot width the estimates assume, px (the page's charts are about 1,000 px wide). */
const PLOT_PX = 1000;
/** Average width of a character of the labels' 11 px font, px. */
const CHAR_PX = 6.6;

/** One label to place: where it starts (scenario seconds) and its text. */
export interface LaneItem {
  readonly t: number;
  readonly text: string;
}

/** Where a label goes: its lane (0 = first) and its text, shortened with `…` if it had to be. */
export interface Placed {
  readonly lane: number;
  readonly text: string;
}

function shorten(text: string, chars: number): string {
  if (text.length <= chars) return text;
  return `${text.slice(0, Math.max(0, chars - 1)).trimEnd()}…`;
}

/**
 * Places each item (result in the items' order) in at most `lanes` lanes; `lead` px are reserved
 * before each text (for a marker).
 */
export function assignLanes(
  items: readonly LaneItem[],
  durationSeconds: number,
  lanes: number,
  lead = 0,
): Placed[] {
  const pxPerSecond = PLOT_PX / Math.max(durationSeconds, 1e-9);
  const width = (text: string) => lead + 8 + text.length * CHAR_PX;
  const last: { t: number; i: number; end: number }[] = [];
  const out: { lane: number; text: string }[] = items.map((item) => ({ lane: 0, text: item.text }));
  const order = items.map((item, i) => ({ item, i })).sort((a, b) => a.item.t - b.item.t || a.i - b.i);
  for (const { item, i } of order) {
    const x = item.t * pxPerSecond;
    let lane = 0;
    while (lane < lanes && (last[lane]?.end ?? -Infinity) > x) lane++;
    if (lane === lanes) {
      lane = last.reduce((best, l, k) => (l.end < (last[best]?.end ?? Infinity) ? k : best), 0);
      const before = last[lane];
      const entry = before === undefined ? undefined : out[before.i];
      if (before !== undefined && entry !== undefined) {
        entry.text = shorten(entry.text, Math.floor((x - before.t - lead - 8) / CHAR_PX));
      }
    }
    out[i] = { lane, text: item.text };
    last[lane] = { t: x, i, end: x + width(item.text) };
  }
  return out;
}

/** How many lanes the placed labels use (0 when there are none). */
export function lanesUsed(placed: readonly Placed[]): number {
  return placed.length === 0 ? 0 : Math.max(...placed.map((p) => p.lane)) + 1;
}
