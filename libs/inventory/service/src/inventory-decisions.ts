import { CheckoutCommand, CheckoutEvent, decideCheckout, decideStock, initialReservationState, initialStockState, skusTouchedBy, StockCommand, StockState } from '@stockade/inventory-domain';
import type { BatchWorkspace } from './batch-workspace';
import type { Decided } from './command-outcomes';

/** What the writer decides: a command on one Stock stream, or one across a checkout's streams. */
export type InventoryWriteCommand = StockCommand | CheckoutCommand;

export type DecisionStates = Omit<Decided, 'events'>;

/** Loads (into the batch's working copy) exactly the states the command's decider needs. */
export async function statesFor(command: InventoryWriteCommand, workspace: BatchWorkspace): Promise<DecisionStates> {
  if (isStockCommand(command)) {
    return { reservation: initialReservationState(), stocks: { [command.data.sku]: await workspace.stock(command.data.sku) } };
  }
  const reservation = await workspace.reservation(command.data.checkoutId);
  const stocks: Record<string, StockState> = {};
  for (const sku of skusTouchedBy(command, reservation)) stocks[sku] = await workspace.stock(sku);
  return { reservation, stocks };
}

export function decideInventory(command: InventoryWriteCommand, states: DecisionStates): readonly CheckoutEvent[] {
  if (isStockCommand(command)) return decideStock(command, states.stocks[command.data.sku] ?? initialStockState());
  return decideCheckout(command, states);
}

const STOCK_COMMAND_TYPES: ReadonlySet<string> = new Set<StockCommand['type']>(['ReceiveStock', 'AdjustStock', 'ReserveUnits', 'ReleaseUnits', 'CommitUnits', 'ConfigureStock']);

function isStockCommand(command: InventoryWriteCommand): command is StockCommand {
  return STOCK_COMMAND_TYPES.has(command.type);
}
