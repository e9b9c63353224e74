import {
  CheckoutCommand,
  CheckoutEvent,
  decideCheckout,
  decideStock,
  initialReservationState,
  initialStockState,
  skusTouchedBy,
  StockCommand,
  StockState,
} from '@stockade/inventory-domain';
import type { BatchWorkspace } from './batch-workspace';
import type { Decided } from './command-outcomes';

/** What the writer decides: a command on one Stock stream, or one across a checkout's streams. */
export type InventoryWriteCommand = StockCommand | CheckoutCommand;

export type DecisionStates = Omit<Decided, 'events'>;

/**
 * Loads (into the batch's working copy) exactly the states the command's decider needs.
 * `admit` sees the SKUs of a checkout command before their stock is loaded, and throws to refuse
 * it (a SKU of a shard this instance does not own).
 */
export async function statesFor(
  command: InventoryWriteCommand,
  workspace: BatchWorkspace,
  admit?: (skus: readonly string[]) => void,
): Promise<DecisionStates> {
  if (isStockCommand(command)) {
    return {
      reservation: initialReservationState(),
      stocks: { [command.data.sku]: await workspace.stock(command.data.sku) },
    };
  }
  const reservation = await workspace.reservation(command.data.checkoutId);
  const skus = skusTouchedBy(command, reservation);
  admit?.(skus);
  const stocks: Record<string, StockState> = {};
  for (const sku of skus) stocks[sku] = await workspace.stock(sku);
  return { reservation, stocks };
}

/**
 * Checkout commands are what a shard's owner alone decides; stock commands (an operator's receipt
 * or adjustment, a supplier's delivery) may come through any instance and are written with
 * expected versions only (ADR 0020).
 */
export function isCheckoutCommand(command: InventoryWriteCommand): command is CheckoutCommand {
  return !isStockCommand(command);
}

export function decideInventory(command: InventoryWriteCommand, states: DecisionStates): readonly CheckoutEvent[] {
  if (isStockCommand(command)) return decideStock(command, states.stocks[command.data.sku] ?? initialStockState());
  return decideCheckout(command, states);
}

const STOCK_COMMAND_TYPES: ReadonlySet<string> = new Set<StockCommand['type']>([
  'ReceiveStock',
  'AdjustStock',
  'ReserveUnits',
  'ReleaseUnits',
  'CommitUnits',
  'ConfigureStock',
  'SetListing',
]);

function isStockCommand(command: InventoryWriteCommand): command is StockCommand {
  return STOCK_COMMAND_TYPES.has(command.type);
}
