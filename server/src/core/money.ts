/**
 * Money as every surface writes it: the engine's messages, the CLI, the language server and the
 * extension's panels and status bar. No imports, so the webview and the client bundle it as it is.
 */

/** Dollars with cents, thousands separated: "$1,500.00" (four decimals under a cent). */
export function usd(value: number): string {
  const digits = value !== 0 && Math.abs(value) < 0.01 ? 4 : 2;
  const [whole, frac] = Math.abs(value).toFixed(digits).split('.') as [string, string];
  // Thousands separators by hand: Intl formatting is slow enough to show in the benchmark.
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${value < 0 ? '-' : ''}$${grouped}.${frac}`;
}

/** A change in money: "+$149.86", "-$12.00", "±$0.00". */
export function usdChange(now: number, then: number): string {
  const d = Math.round((now - then) * 100) / 100;
  if (d === 0) return `±${usd(0)}`;
  return d > 0 ? `+${usd(d)}` : `-${usd(-d)}`;
}

/** "+$149.86 vs origin/main", or "new since HEAD" when there is nothing to compare with. */
export function changeLabel(now: number, then: number | null | undefined, ref: string): string {
  if (then === null || then === undefined) return `new since ${ref}`;
  return `${usdChange(now, then)} vs ${ref}`;
}
