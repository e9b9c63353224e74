import { evolveStock, StockEvent, StockState } from '@stockade/inventory-domain';

/**
 * `evolveStock` in O(1) instead of O(holds), for the writer's own working states. The domain's
 * evolve copies the whole `reservations` record on every event; on a hot SKU with thousands of
 * open holds that made each group commit quadratic (it was the top of the CPU profile). The
 * domain still decides every value: it evolves a probe holding only the event's own checkout,
 * and the result for that key is written into the state's record, which is mutated in place.
 *
 * That is safe only where the writer owns the state: the InventoryWriter's StreamCache is read
 * by nothing else, one batch at a time, and a batch that fails evicts every stream it touched,
 * so a record changed by a batch that did not commit is never read again. It relies on a stock
 * event changing no hold but its own checkout's, which `in-place-stock-fold.spec.ts` checks
 * against `evolveStock`.
 */
export function evolveOwnedStock(state: StockState, event: StockEvent): StockState {
  if (!('checkoutId' in event.data)) return evolveStock(state, event);
  const { checkoutId } = event.data;
  const held = state.reservations[checkoutId];
  const probe = evolveStock({ ...state, reservations: held === undefined ? {} : { [checkoutId]: held } }, event);
  const reservations = state.reservations as Record<string, number>;
  const after = probe.reservations[checkoutId];
  if (after === undefined) delete reservations[checkoutId];
  else reservations[checkoutId] = after;
  return { ...probe, reservations };
}
