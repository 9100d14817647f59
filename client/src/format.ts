/** Dollars with cents and thousands separators, as the engine writes them: the engine's own function. */
export { changeLabel, usd, usdChange } from '../../server/src/core/money';
