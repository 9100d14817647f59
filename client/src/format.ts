/** Dollars with cents and thousands separators, as the engine writes them. */
export function usd(n: number): string {
  const digits = n !== 0 && Math.abs(n) < 0.01 ? 4 : 2;
  const [w, f] = Math.abs(n).toFixed(digits).split('.');
  return `${n < 0 ? '-' : ''}$${w!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${f}`;
}
